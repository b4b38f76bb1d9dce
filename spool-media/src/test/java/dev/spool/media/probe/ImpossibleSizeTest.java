package dev.spool.media.probe;

import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A file that declares an absurd picture size is refused for that, not with the errno ffprobe happens to end on. */
class ImpossibleSizeTest {
    @TempDir Path dir;

    @Test
    void aY4mOf60000By60000IsRefusedNamingTheSize() throws Exception {
        Path huge = Files.writeString(dir.resolve("huge.y4m"), "YUV4MPEG2 W60000 H60000 F30:1 C420jpeg\nFRAME\n" + "x".repeat(1000));
        SpoolError error = catchThrowableOfType(SpoolError.class, () -> new Probe(FfmpegTools.locate(null)).probe(huge));
        assertThat(error.code()).isEqualTo(SpoolError.Code.INPUT_UNREADABLE);
        assertThat(error.getMessage()).contains(huge.toString()).contains("declares a picture size ffmpeg refuses (60000x60000)")
                .doesNotContain("busy");
    }
}
