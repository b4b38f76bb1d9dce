package dev.spool.model.ffmpeg;

import dev.spool.model.SpoolError;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Named, parameterised ffmpeg commands for callers who should not write ffmpeg arguments. Each
 * recipe only builds a command string and hands it to {@link FfmpegCommand#check}, so a recipe can
 * never produce what the check refuses; parameters are validated first so errors name them.
 */
public final class FfmpegRecipes {
    /** One recipe for the API: its parameters with their defaults (null: required) and allowed output extensions. */
    public record RecipeInfo(String name, String description, Map<String, String> params, List<String> outputs) {}

    private record Recipe(RecipeInfo info, Function<Map<String, String>, String> command) {}

    private static final Pattern NUMBER = Pattern.compile("\\d{1,6}(\\.\\d{1,3})?");
    private static final Pattern INT = Pattern.compile("\\d{1,5}");
    private static final Map<String, Recipe> RECIPES = new LinkedHashMap<>();

    static {
        add(new RecipeInfo("thumbnail", "one frame at a time, scaled to a width",
                params("at", "0", "width", "320"), List.of("jpg", "png")),
                p -> "-ss " + p.get("at") + " -i IN -frames:v 1 -vf scale=" + p.get("width") + ":-2");
        add(new RecipeInfo("gif", "an animated GIF with its own palette",
                params("start", "0", "duration", "5", "width", "480", "fps", "10"), List.of("gif")),
                p -> "-ss " + p.get("start") + " -t " + p.get("duration") + " -i IN -filter_complex 'fps=" + p.get("fps")
                        + ",scale=" + p.get("width") + ":-1:flags=lanczos,split[s0][s1];[s0]palettegen[p];[s1][p]paletteuse'");
        add(new RecipeInfo("audio-extract", "the audio alone, encoded with codec (mp3, aac, flac, opus)",
                params("codec", "mp3"), List.of("mp3", "aac", "m4a", "flac", "opus", "ogg")),
                p -> "-i IN -vn -c:a " + switch (p.get("codec")) {
                    case "mp3" -> "libmp3lame";
                    case "aac" -> "aac";
                    case "flac" -> "flac";
                    default -> "libopus";
                });
        add(new RecipeInfo("trim", "a part from start for duration, copied (fast, cuts at key frames) or reencoded",
                params("start", "0", "duration", null, "mode", "copy"), List.of("mp4", "mov", "mkv", "webm", "ts")),
                p -> "-ss " + p.get("start") + " -t " + p.get("duration") + " -i IN "
                        + (p.get("mode").equals("copy") ? "-c copy" : "-c:v libx264 -c:a aac"));
        add(new RecipeInfo("remux", "the same streams in another container (the output's extension)",
                params(), List.of("mp4", "mov", "mkv", "ts")),
                p -> "-i IN -c copy -map 0");
    }

    private static final Map<String, Pattern> PARAM_FORMAT = Map.of("at", NUMBER, "start", NUMBER, "duration", NUMBER,
            "width", INT, "fps", INT);
    private static final Map<String, Set<String>> PARAM_CHOICES = Map.of("codec", Set.of("mp3", "aac", "flac", "opus"),
            "mode", Set.of("copy", "reencode"));

    private FfmpegRecipes() {}

    public static List<RecipeInfo> recipes() {
        return RECIPES.values().stream().map(Recipe::info).toList();
    }

    /** Builds recipe {@code name} on the one declared input; errors name the parameter (field params.NAME). */
    public static FfmpegCommand recipe(String name, Map<String, String> params, Map<String, String> inputFiles, String outputFilename) {
        Recipe recipe = RECIPES.get(name);
        if (recipe == null) throw SpoolError.invalid("recipe", "'" + name + "' is not a recipe (" + String.join(", ", RECIPES.keySet()) + ")");
        if (inputFiles == null || inputFiles.size() != 1) throw SpoolError.invalid("input_files", "must declare exactly one input for recipe " + name);
        Map<String, String> given = params == null ? Map.of() : params;
        for (String key : given.keySet()) {
            if (!recipe.info().params().containsKey(key)) {
                throw SpoolError.invalid("params." + key, "is not a parameter of recipe " + name + " ("
                        + String.join(", ", recipe.info().params().keySet()) + ")");
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        recipe.info().params().forEach((key, dflt) -> {
            String v = given.getOrDefault(key, dflt);
            if (v == null) throw SpoolError.invalid("params." + key, "is required by recipe " + name);
            Pattern format = PARAM_FORMAT.get(key);
            if (format != null && !format.matcher(v).matches()) throw SpoolError.invalid("params." + key, "'" + v + "' is not a number");
            Set<String> choices = PARAM_CHOICES.get(key);
            if (choices != null && !choices.contains(v)) {
                throw SpoolError.invalid("params." + key, "'" + v + "' is not one of " + String.join(", ", new java.util.TreeSet<>(choices)));
            }
            values.put(key, v);
        });
        AllowList.name("output_filename", outputFilename);
        String ext = outputFilename.substring(outputFilename.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
        if (!recipe.info().outputs().contains(ext)) {
            throw SpoolError.invalid("output_filename", "'" + outputFilename + "' must end in one of " + String.join(", ", recipe.info().outputs())
                    + " for recipe " + name);
        }
        String input = inputFiles.keySet().iterator().next();
        AllowList.name("input_files", input);
        // Names are plain (checked above), so they need no quoting.
        String command = recipe.command().apply(values).replace("IN", input) + " " + outputFilename;
        return FfmpegCommand.check(command, inputFiles, outputFilename);
    }

    private static void add(RecipeInfo info, Function<Map<String, String>, String> command) {
        RECIPES.put(info.name(), new Recipe(info, command));
    }

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
