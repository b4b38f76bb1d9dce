package dev.spool.media.ffmpeg;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class ProgressParserTest {

    /** One block as ffmpeg 6+ writes it with -progress; out_time_ms is really microseconds too. */
    private static List<String> block(String frame, String fps, String outTimeUs, String speed, String progress) {
        return List.of(
                "frame=" + frame,
                "fps=" + fps,
                "stream_0_0_q=28.0",
                "bitrate=1843.2kbits/s",
                "total_size=1152000",
                "out_time_us=" + outTimeUs,
                "out_time_ms=" + outTimeUs,
                "out_time=00:00:05.000000",
                "dup_frames=0",
                "drop_frames=0",
                "speed=" + speed,
                "progress=" + progress);
    }

    /** Feeds lines and returns every report, checking that only the progress= line closes a block. */
    private static List<Progress> feed(ProgressParser parser, List<String> lines) {
        List<Progress> reports = new ArrayList<>();
        for (String line : lines) {
            Optional<Progress> report = parser.accept(line);
            assertThat(report.isPresent()).as("a report after '%s'", line).isEqualTo(line.startsWith("progress="));
            report.ifPresent(reports::add);
        }
        return reports;
    }

    @Test
    void aBlockReportsPercentFpsSpeedAndTimeLeft() {
        ProgressParser parser = new ProgressParser(30.0);

        List<Progress> reports = feed(parser, block("150", "48.50", "5000000", "2.5x", "continue"));

        assertThat(reports).hasSize(1);
        Progress p = reports.get(0);
        assertThat(p.percent()).isCloseTo(100.0 * 5 / 30, offset(1e-9));
        assertThat(p.fps()).isEqualTo(48.5);
        assertThat(p.speed()).isEqualTo(2.5);
        assertThat(p.etaSec()).as("(30 s - 5 s) / 2.5x").isEqualTo(10);
        assertThat(p.done()).isFalse();
        assertThat(p.frames()).as("ffmpeg's frame= count").isEqualTo(150);
    }

    @Test
    void theTimeLeftIsRoundedToWholeSeconds() {
        ProgressParser parser = new ProgressParser(20.0);

        Progress p = feed(parser, block("120", "30.0", "4000000", "2.5x", "continue")).get(0);

        assertThat(p.etaSec()).as("(20 s - 4 s) / 2.5x = 6.4 s").isEqualTo(6);
        assertThat(p.percent()).isCloseTo(20.0, offset(1e-9));
    }

    @Test
    void valuesNotYetKnownAreReadAsZeroAndTheTimeLeftAsUnknown() {
        ProgressParser parser = new ProgressParser(30.0);

        Progress p = feed(parser, block("0", "0.00", "N/A", "N/A", "continue")).get(0);

        assertThat(p.percent()).isZero();
        assertThat(p.fps()).isZero();
        assertThat(p.speed()).isZero();
        assertThat(p.etaSec()).isEqualTo(-1);
        assertThat(p.done()).isFalse();
    }

    @Test
    void laterBlocksAdvanceTheReport() {
        ProgressParser parser = new ProgressParser(60.0);
        List<String> lines = new ArrayList<>(block("0", "0.00", "N/A", "N/A", "continue"));
        lines.addAll(block("360", "60.0", "12000000", "2x", "continue"));
        lines.addAll(block("900", "62.5", "30000000", "2.5x", "continue"));

        List<Progress> reports = feed(parser, lines);

        assertThat(reports).extracting(Progress::percent).containsExactly(0.0, 20.0, 50.0);
        assertThat(reports).extracting(Progress::etaSec).containsExactly(-1L, 24L, 12L);
        assertThat(reports).extracting(Progress::fps).containsExactly(0.0, 60.0, 62.5);
    }

    @Test
    void theEndBlockIsDoneAtAHundredPercentWithNothingLeft() {
        ProgressParser parser = new ProgressParser(30.0);
        List<String> lines = new ArrayList<>(block("150", "48.5", "5000000", "2.5x", "continue"));
        lines.addAll(block("900", "50.0", "29966667", "2.6x", "end"));

        List<Progress> reports = feed(parser, lines);

        assertThat(reports).extracting(Progress::done).containsExactly(false, true);
        Progress end = reports.get(1);
        assertThat(end.percent()).isEqualTo(100.0);
        assertThat(end.etaSec()).isZero();
        assertThat(end.fps()).isEqualTo(50.0);
        assertThat(end.speed()).isEqualTo(2.6);
    }

    @Test
    void anUnknownDurationGivesNoPercentAndNoTimeLeft() {
        ProgressParser parser = new ProgressParser(0);

        Progress p = feed(parser, block("150", "48.5", "5000000", "2.5x", "continue")).get(0);

        assertThat(p.percent()).isZero();
        assertThat(p.etaSec()).isEqualTo(-1);
        assertThat(p.speed()).isEqualTo(2.5);
    }

    @Test
    void encodingPastTheProbedDurationStopsAtAHundredPercent() {
        ProgressParser parser = new ProgressParser(10.0);

        Progress p = feed(parser, block("310", "48.5", "10400000", "2.5x", "continue")).get(0);

        assertThat(p.percent()).isEqualTo(100.0);
        assertThat(p.etaSec()).isZero();
        assertThat(p.done()).isFalse();
    }

    @Test
    void linesWithoutAnEqualsSignAreIgnored() {
        ProgressParser parser = new ProgressParser(10.0);

        assertThat(parser.accept("")).isEmpty();
        assertThat(parser.accept("[hls @ 0x55d0] Opening 'seg_00001.m4s' for writing")).isEmpty();
    }
}
