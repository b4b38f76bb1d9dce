package dev.spool.media.ffmpeg;

import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ToolFailureTest {

    private static final String LOADER_ERROR = "ffmpeg: error while loading shared libraries: libpulse.so.0: "
            + "cannot open shared object file: No such file or directory";

    @Test
    void theDynamicLoadersMessageNamesTheMissingLibrary() {
        assertThat(ToolFailure.missingLibrary(LOADER_ERROR)).contains("libpulse.so.0");
    }

    @Test
    void theMissingLibraryIsFoundAmongOtherStderrLines() {
        String stderr = "some warning\n" + LOADER_ERROR.replace("ffmpeg:", "/opt/ffmpeg/bin/ffprobe:")
                .replace("libpulse.so.0", "libxcb.so.1") + "\n";

        assertThat(ToolFailure.missingLibrary(stderr)).contains("libxcb.so.1");
    }

    @Test
    void anOrdinaryFailureIsNotAMissingLibrary() {
        assertThat(ToolFailure.missingLibrary("in.mp4: No such file or directory")).isEmpty();
        assertThat(ToolFailure.missingLibrary("")).isEmpty();
    }

    @Test
    void aKnownMissingLibraryErrorSaysWhichPackageToInstall() {
        SpoolError error = ToolFailure.missingLibraryError("ffmpeg", "libpulse.so.0");

        assertThat(error.code()).isEqualTo(SpoolError.Code.ENVIRONMENT);
        assertThat(error.code().retryable()).isFalse();
        assertThat(error.getMessage()).contains("ffmpeg", "libpulse.so.0", "sudo apt-get install -y libpulse0");
    }

    @Test
    void anUnknownMissingLibraryErrorSaysHowToFindItsPackage() {
        SpoolError error = ToolFailure.missingLibraryError("ffprobe", "libfoo.so.3");

        assertThat(error.code()).isEqualTo(SpoolError.Code.ENVIRONMENT);
        assertThat(error.getMessage()).contains("ffprobe", "libfoo.so.3", "apt-file search libfoo.so.3")
                .doesNotContain("apt-get install");
    }

    @Test
    void theLastLineSkipsFfmpegsClosingBoilerplate() {
        List<String> stderr = List.of(
                "[libx264 @ 0x5581] height not divisible by 2 (1280x719)",
                "Error while opening encoder - maybe incorrect parameters such as bit_rate, rate, width or height",
                "Conversion failed!",
                "  ");

        assertThat(ToolFailure.lastLine(stderr)).startsWith("Error while opening encoder");
        assertThat(ToolFailure.lastLine(List.of())).isEqualTo("(no message)");
    }
}
