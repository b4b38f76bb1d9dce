package dev.spool.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The terminal display says what the run is doing from its first moment, not from ffmpeg's first report. */
class ProgressDisplayTest {

    @Test
    void theProbeIsAnnouncedAndTheBarAppearsAsSoonAsTheEncodeStarts() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressDisplay display = new ProgressDisplay(ProgressDisplay.Mode.BAR, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            display.stage("probe");
            assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("probing the input..." + System.lineSeparator());
            assertThat(display.barShown()).isFalse();

            display.stage("encode");

            assertThat(display.barShown()).as("before ffmpeg's first progress report").isTrue();
            assertThat(display.currentStage()).isEqualTo("encode");
        }
    }

    @Test
    void withoutATerminalNothingButTheSummaryIsPrinted() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressDisplay display = new ProgressDisplay(ProgressDisplay.Mode.QUIET, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            display.stage("probe");
            display.stage("encode");
            display.progress(new dev.spool.media.ffmpeg.Progress(50, 30, 1, 10, false));
        }
        assertThat(bytes.size()).isZero();
    }
}
