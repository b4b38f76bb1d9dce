package dev.spool.cli;

import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.media.hls.MasterPlaylistFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `spool run` with the default 6 s segments on clips whose last segment is short, long or the only
 * one, then `spool verify OUT` with no flags: a ladder Spool made always passes, and its master's
 * BANDWIDTH is never below its AVERAGE-BANDWIDTH.
 */
class VerifyDefaultsIT {
    @TempDir Path work;

    @ParameterizedTest(name = "{0} s, {1}")
    @CsvSource({"2, fmp4", "7, fmp4", "8, fmp4", "10, fmp4", "13, fmp4", "2, ts", "7, ts", "8, ts", "10, ts", "13, ts"})
    void aDefaultLadderOfAnyLengthPassesVerifyWithNoFlags(int seconds, String segments) throws Exception {
        Path out = run(seconds, "--segment-format", segments);

        Verified.output(out);
        assertPeaksAreNotBelowAverages(out);
    }

    @Test
    void aShortLastSegmentLeavesHevcAndAudioOnlyPeaksAtOrAboveTheirAverages() throws Exception {
        Path hevc = run(7, "--codec", "hevc");
        Path audioOnly = run(TestMedia.get("song-7s.m4a", SampleMedia.Spec.video(0, 0, 30, 7).audioOnly()), "audio-only");

        Verified.output(hevc, audioOnly);
        assertPeaksAreNotBelowAverages(hevc);
        assertPeaksAreNotBelowAverages(audioOnly);
    }

    @ParameterizedTest(name = "{0} s")
    @CsvSource({"7", "13"})
    void aDefaultMp4OutputPassesVerifyWithNoFlags(int seconds) throws Exception {
        Verified.output(run(seconds, "--format", "mp4"));
    }

    @Test
    void aSegmentLengthGivenWithTheFlagStillWins() throws Exception {
        Path out = run(13);

        SpoolProcess.Result r = SpoolProcess.run("verify", out.toString(), "--hls-time", "2");

        assertThat(r.exitCode()).isEqualTo(6);
        assertThat(r.stdout()).contains("FAIL  180p segments are at most 2 s (the segment length asked for) + 0.5",
                "too long: seg_00000.m4s (6.0 s)");
    }

    @Test
    void aMasterWhoseBandwidthIsBelowItsAverageFailsNamingTheVariant() throws Exception {
        Path out = run(7);
        Path master = out.resolve("index.m3u8");
        Files.writeString(master, Files.readString(master).replaceFirst("BANDWIDTH=\\d+,AVERAGE-BANDWIDTH=",
                "BANDWIDTH=1000,AVERAGE-BANDWIDTH="));

        SpoolProcess.Result r = SpoolProcess.run("verify", out.toString());

        assertThat(r.exitCode()).isEqualTo(6);
        assertThat(r.stdout()).containsPattern("FAIL  180p BANDWIDTH is at least its AVERAGE-BANDWIDTH "
                + "\\(BANDWIDTH 1000 is below AVERAGE-BANDWIDTH \\d+\\)");
    }

    @Test
    void aMasterWithoutAverageBandwidthFailsNamingTheVariant() throws Exception {
        Path out = run(2);
        Path master = out.resolve("index.m3u8");
        Files.writeString(master, Files.readString(master).replaceFirst(",AVERAGE-BANDWIDTH=\\d+", ""));

        SpoolProcess.Result r = SpoolProcess.run("verify", out.toString());

        assertThat(r.exitCode()).isEqualTo(6);
        assertThat(r.stdout()).contains("FAIL  180p BANDWIDTH is at least its AVERAGE-BANDWIDTH (no AVERAGE-BANDWIDTH)");
    }

    @Test
    void aSegmentLengthBelowOneSecondIsRefusedNamingTheFlag() throws Exception {
        SpoolProcess.Result r = SpoolProcess.run("verify", work.toString(), "--hls-time", "0");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderrLines()).singleElement().asString().contains("--hls-time", "must be 1 or more seconds, not 0");
    }

    private static void assertPeaksAreNotBelowAverages(Path out) {
        for (MasterPlaylistFile.Entry v : MasterPlaylistFile.read(out.resolve("index.m3u8")).variants())
            assertThat(Long.parseLong(v.attributes().get("BANDWIDTH"))).as(v.uri())
                    .isGreaterThanOrEqualTo(Long.parseLong(v.attributes().get("AVERAGE-BANDWIDTH")));
    }

    /** `spool run` of a 320x180 clip of this length with the defaults and any further flags. */
    private Path run(int seconds, String... flags) throws Exception {
        return run(TestMedia.small(seconds), seconds + "s-" + String.join("", flags).replace("-", ""), flags);
    }

    private Path run(Path input, String name, String... flags) throws Exception {
        Path out = work.resolve("out-" + name);
        String[] args = new String[3 + flags.length];
        args[0] = "run";
        args[1] = input.toString();
        args[2] = out.toString();
        System.arraycopy(flags, 0, args, 3, flags.length);
        SpoolProcess.Result r = SpoolProcess.run(args);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return out;
    }
}
