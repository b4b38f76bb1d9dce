package dev.spool.cli;

import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.media.ffmpeg.ToolProcess;
import dev.spool.media.hls.MasterPlaylistFile;
import dev.spool.media.hls.StreamFacts;
import dev.spool.media.hls.StreamProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 000's job knobs through `spool run` with real ffmpeg: Opus at a chosen bitrate (single pass,
 * split and MP4), the job-wide video cap measured in the master, and the flag combinations refused.
 */
class EncodingKnobsIT {
    @TempDir Path dir;

    @Test
    void opusAt96kGivesAVerifiedLadderWhoseAudioIsOpusAtAbout96k() throws Exception {
        Path out = dir.resolve("out");
        SpoolProcess.Result r = SpoolProcess.run("run", TestMedia.small(4).toString(), out.toString(), "--hls-time", "2",
                "--audio-codec", "opus", "--audio-bitrate", "96k");
        assertThat(r.exitCode()).as(r.stderr()).isZero();

        assertOpusNear96k(out.resolve("audio/index.m3u8"));
        MasterPlaylistFile master = MasterPlaylistFile.read(out.resolve("index.m3u8"));
        assertThat(master.variants()).allSatisfy(v -> assertThat(v.attributes().get("CODECS")).endsWith(",opus"));
        SpoolProcess.Result verify = SpoolProcess.run("verify", out.toString());
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
    }

    @Test
    void aSplitRunEncodesItsAudioOnceWithTheSameKnobs() throws Exception {
        Path out = dir.resolve("split");
        SpoolProcess.Result r = SpoolProcess.run("run", TestMedia.small(4).toString(), out.toString(), "--hls-time", "2",
                "--workers", "2", "--piece-seconds", "2", "--audio-codec", "opus", "--audio-bitrate", "96k");
        assertThat(r.exitCode()).as(r.stderr()).isZero();

        assertOpusNear96k(out.resolve("audio/index.m3u8"));
    }

    @Test
    void anMp4OutputCarriesOpusInEveryFile() throws Exception {
        Path out = dir.resolve("mp4");
        SpoolProcess.Result r = SpoolProcess.run("run", TestMedia.small(4).toString(), out.toString(), "--format", "mp4",
                "--audio-codec", "opus", "--audio-bitrate", "96k");
        assertThat(r.exitCode()).as(r.stderr()).isZero();

        try (var files = Files.list(out)) {
            List<Path> mp4s = files.filter(f -> f.toString().endsWith(".mp4")).toList();
            assertThat(mp4s).isNotEmpty();
            for (Path mp4 : mp4s) assertThat(new StreamProbe(TestMedia.TOOLS).first(mp4, "audio").codecName()).isEqualTo("opus");
        }
    }

    /**
     * The cap binds: a noisy 360p source would take the ladder's 800k at 360p. The VBV buffer holds
     * two seconds at the cap, so a 4 s segment may peak at cap x (1 + 2/4); the average stays below it.
     */
    @Test
    void aVideoBitrateCapsEveryRungMeasuredInTheMaster() throws Exception {
        int capBps = 500_000;
        Path source = noisy360p(dir.resolve("noisy.mp4"));
        Path out = dir.resolve("capped");
        SpoolProcess.Result r = SpoolProcess.run("run", source.toString(), out.toString(), "--hls-time", "4",
                "--video-bitrate", "500k");
        assertThat(r.exitCode()).as(r.stderr()).isZero();

        MasterPlaylistFile master = MasterPlaylistFile.read(out.resolve("index.m3u8"));
        assertThat(master.media()).as("a source without audio: BANDWIDTH is the video's alone").isEmpty();
        assertThat(master.variants()).extracting(MasterPlaylistFile.Entry::uri).contains("360p/index.m3u8", "240p/index.m3u8");
        for (MasterPlaylistFile.Entry v : master.variants()) {
            long peak = Long.parseLong(v.attributes().get("BANDWIDTH"));
            long average = Long.parseLong(v.attributes().get("AVERAGE-BANDWIDTH"));
            assertThat(peak).as(v.uri() + " peak").isLessThanOrEqualTo(Math.round(capBps * (1 + 2.0 / 4)));
            assertThat(average).as(v.uri() + " average").isLessThan(capBps);
        }
        long top = Long.parseLong(master.variants().getFirst().attributes().get("AVERAGE-BANDWIDTH"));
        assertThat(top).as("the top rung runs at the cap, not below it by its content").isGreaterThan(capBps * 8 / 10);
    }

    @Test
    void opusInTsSegmentsIsRefusedNamingBothFlags() throws Exception {
        SpoolProcess.Result r = SpoolProcess.run("run", TestMedia.small(2).toString(), dir.resolve("out").toString(),
                "--audio-codec", "opus", "--segment-format", "ts");
        assertRefusedNaming(r, "--audio-codec", "--segment-format");
    }

    @Test
    void tsSegmentsWithAnMp4OutputAreRefusedByRunAndSubmit() throws Exception {
        SpoolProcess.Result run = SpoolProcess.run("run", TestMedia.small(2).toString(), dir.resolve("out").toString(),
                "--segment-format", "ts", "--format", "mp4");
        assertRefusedNaming(run, "--segment-format", "--format");
        // refused before any coordinator is asked: none listens here
        SpoolProcess.Result submit = SpoolProcess.run("submit", "movies/a.mp4", "--output", "processed/a",
                "--coordinator", "http://127.0.0.1:9", "--token", "t", "--segment-format", "ts", "--format", "mp4");
        assertRefusedNaming(submit, "--segment-format", "--format");
    }

    @Test
    void badKnobValuesAreRefusedNamingTheirFlag() throws Exception {
        String in = TestMedia.small(2).toString();
        assertRefusedNaming(SpoolProcess.run("run", in, dir.resolve("out").toString(), "--audio-bitrate", "loud"), "--audio-bitrate");
        assertRefusedNaming(SpoolProcess.run("run", in, dir.resolve("out").toString(), "--audio-bitrate", "8k"), "--audio-bitrate");
        assertRefusedNaming(SpoolProcess.run("run", in, dir.resolve("out").toString(), "--audio-codec", "mp3"), "--audio-codec");
        assertRefusedNaming(SpoolProcess.run("run", in, dir.resolve("out").toString(), "--video-bitrate", "10k"), "--video-bitrate");
        assertRefusedNaming(SpoolProcess.run("submit", "movies/a.mp4", "--output", "processed/a", "--coordinator",
                "http://127.0.0.1:9", "--token", "t", "--audio-codec", "opus", "--segment-format", "ts"), "--audio-codec", "--segment-format");
    }

    private void assertRefusedNaming(SpoolProcess.Result r, String... flags) {
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderrLines()).as("one clear line").singleElement().asString().startsWith("spool: ").contains(flags);
        assertThat(r.stderr()).doesNotContain("Exception", "\tat ");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /** Opus, and within 15% of 96 kb/s counted from its packets (not the container's overhead). */
    private static void assertOpusNear96k(Path audioPlaylist) {
        StreamFacts audio = new StreamProbe(TestMedia.TOOLS).first(audioPlaylist, "audio");
        assertThat(audio.codecName()).isEqualTo("opus");
        assertThat(audio.codecs()).contains("opus");
        String sizes = ToolProcess.capture("ffprobe", TestMedia.TOOLS.ffprobe(List.of("-v", "error", "-allowed_extensions", "ALL",
                "-select_streams", "a:0", "-show_entries", "packet=size:format=duration", "-of", "csv=p=0", audioPlaylist.toString())),
                failure -> { throw new AssertionError(failure.lastError()); });
        List<String> lines = sizes.lines().filter(l -> !l.isBlank()).toList();
        long bytes = lines.subList(0, lines.size() - 1).stream().mapToLong(l -> Long.parseLong(l.strip())).sum();
        double seconds = Double.parseDouble(lines.getLast().strip());
        assertThat(bytes * 8 / seconds / 1000).as("kb/s of Opus packets").isBetween(96 * 0.85, 96 * 1.15);
    }

    /** 12 s of 640x360 with heavy grain and no audio: content that fills any bitrate it is given. */
    private static Path noisy360p(Path file) {
        ToolProcess.Result made = ToolProcess.run("ffmpeg", TestMedia.TOOLS.ffmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=640x360:rate=30:duration=12,noise=alls=30:allf=t", "-c:v", "libx264", "-preset", "ultrafast",
                "-qp", "10", "-pix_fmt", "yuv420p", file.toString())), line -> { });
        assertThat(made.ok()).as(made.lastError()).isTrue();
        return file;
    }
}
