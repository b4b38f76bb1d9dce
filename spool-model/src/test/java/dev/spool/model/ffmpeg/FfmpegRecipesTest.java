package dev.spool.model.ffmpeg;

import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FfmpegRecipesTest {
    private static final Map<String, String> IN = Map.of("in.mp4", "https://example.com/a.mp4");
    private static final Map<String, Path> PATHS = Map.of("in.mp4", Path.of("/sb/in.mp4"));

    @Test
    void thumbnailBuildsACheckedCommand() {
        FfmpegCommand c = FfmpegRecipes.recipe("thumbnail", Map.of("at", "12.5", "width", "640"), IN, "t.jpg");
        assertEquals(List.of("-nostdin", "-y", "-hide_banner", "-ss", "12.5", "-protocol_whitelist", "file", "-i", "/sb/in.mp4",
                "-frames:v", "1", "-vf", "scale=640:-2", "-f", "image2", "/o/t.jpg"), c.arguments(PATHS, Path.of("/o/t.jpg")));
    }

    @Test
    void everyRecipePassesTheCheckWithItsDefaults() {
        Map<String, String> outputs = Map.of("thumbnail", "t.png", "gif", "a.gif", "audio-extract", "a.mp3", "trim", "c.mkv", "remux", "r.mov");
        for (FfmpegRecipes.RecipeInfo info : FfmpegRecipes.recipes()) {
            Map<String, String> params = info.name().equals("trim") ? Map.of("duration", "3", "mode", "reencode") : Map.of();
            FfmpegCommand c = FfmpegRecipes.recipe(info.name(), params, IN, outputs.get(info.name()));
            assertEquals(outputs.get(info.name()), c.outputName());
        }
        assertEquals(List.of("-nostdin", "-y", "-hide_banner", "-protocol_whitelist", "file", "-i", "/sb/in.mp4", "-vn", "-c:a", "flac",
                        "-f", "flac", "/o/a.flac"),
                FfmpegRecipes.recipe("audio-extract", Map.of("codec", "flac"), IN, "a.flac").arguments(PATHS, Path.of("/o/a.flac")));
    }

    @Test
    void errorsNameTheParameter() {
        assertEquals("params.width", assertThrows(SpoolError.class,
                () -> FfmpegRecipes.recipe("thumbnail", Map.of("width", "1;id"), IN, "t.jpg")).field());
        assertEquals("params.duration", assertThrows(SpoolError.class, () -> FfmpegRecipes.recipe("trim", Map.of(), IN, "c.mp4")).field());
        assertEquals("params.codec", assertThrows(SpoolError.class,
                () -> FfmpegRecipes.recipe("audio-extract", Map.of("codec", "wma"), IN, "a.mp3")).field());
        assertEquals("params.evil", assertThrows(SpoolError.class,
                () -> FfmpegRecipes.recipe("remux", Map.of("evil", "x"), IN, "r.mp4")).field());
        assertEquals("output_filename", assertThrows(SpoolError.class, () -> FfmpegRecipes.recipe("gif", Map.of(), IN, "a.mp4")).field());
        assertEquals("recipe", assertThrows(SpoolError.class, () -> FfmpegRecipes.recipe("nope", Map.of(), IN, "a.mp4")).field());
        // A day-long gif is refused by the command check itself: recipes cannot bypass it.
        assertEquals("command", assertThrows(SpoolError.class,
                () -> FfmpegRecipes.recipe("gif", Map.of("duration", "100000"), IN, "a.gif")).field());
    }
}
