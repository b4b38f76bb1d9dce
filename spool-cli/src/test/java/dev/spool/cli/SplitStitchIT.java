package dev.spool.cli;

import dev.spool.model.encode.EncodeOptions;
import dev.spool.model.encode.Ratio;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.media.hls.MediaPlaylist;
import dev.spool.media.hls.StreamFacts;
import dev.spool.media.hls.StreamProbe;
import dev.spool.model.encode.VideoCodec;
import dev.spool.media.run.LadderRun;
import dev.spool.media.run.RunSummary;
import dev.spool.media.run.SplitRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A video cut into pieces, encoded apart and stitched, against the same video encoded in one pass:
 * same frames, same durations, same segment boundaries, timestamps continuous across the joins.
 */
class SplitStitchIT {
    private static final int HLS_TIME = 2;
    private static final int PIECE_SECONDS = 4;

    @TempDir Path dir;
    private final StreamProbe probe = new StreamProbe(TestMedia.TOOLS);

    @Test
    void aStitchedLadderMatchesTheSinglePassOneFrameForFrame() throws Exception {
        Path source = TestMedia.get("split-30fps-10s.mp4", SampleMedia.Spec.video(480, 270, 30, 10));
        compare(source, EncodeOptions.SegmentFormat.FMP4, 300);
    }

    @Test
    void ntscFrameRatesAndADurationThatIsNoMultipleOfThePieceStitchExactly() throws Exception {
        Path source = TestMedia.get("split-2997-9s.mp4",
                SampleMedia.Spec.video(480, 270, 30, 9.01).frameRate(new Ratio(30000, 1001)));
        compare(source, EncodeOptions.SegmentFormat.FMP4, -1);
    }

    @Test
    void aVariableFrameRateSourceIsStitchedAtTheSameConstantRateAsTheSinglePass() throws Exception {
        Path source = variableFrameRateClip();
        assertThat(new dev.spool.media.probe.Probe(TestMedia.TOOLS).probe(source).video().orElseThrow().variableFrameRate())
                .as("the clip really is VFR").isTrue();
        compare(source, EncodeOptions.SegmentFormat.FMP4, -1);
    }

    @Test
    void mpegTsPiecesStitchToo() throws Exception {
        Path source = TestMedia.get("split-30fps-10s.mp4", SampleMedia.Spec.video(480, 270, 30, 10));
        compare(source, EncodeOptions.SegmentFormat.TS, 300);
    }

    @Test
    void mp4PiecesAreJoinedByStreamCopyIntoTheSameFramesAsTheSinglePass() throws Exception {
        Path source = TestMedia.get("split-30fps-10s.mp4", SampleMedia.Spec.video(480, 270, 30, 10));
        EncodeOptions options = new EncodeOptions(List.of(), VideoCodec.H264, null, HLS_TIME, EncodeOptions.SegmentFormat.FMP4,
                EncodeOptions.OutputFormat.MP4, EncodeOptions.DEFAULT_MASTER_NAME, 0);
        RunSummary single = new LadderRun(TestMedia.TOOLS).run(new LadderRun.Request(source, dir.resolve("single"), options, false),
                new LadderRun.Listener() { });
        RunSummary split = new SplitRun(TestMedia.TOOLS, 2, PIECE_SECONDS).run(
                new LadderRun.Request(source, dir.resolve("split"), options, false), new LadderRun.Listener() { });
        Verified.output(Path.of(single.out()), Path.of(split.out()));

        assertThat(split.master()).isNull();
        assertThat(split.outputs()).extracting(o -> o.name()).containsExactlyElementsOf(single.outputs().stream().map(o -> o.name()).toList());
        for (var output : single.outputs()) {
            Path a = Path.of(single.out()).resolve(output.path());
            Path b = Path.of(split.out()).resolve(output.path());
            StreamFacts one = probe.first(a, "video");
            StreamFacts joined = probe.first(b, "video");
            assertThat(joined.packets()).as(output.name() + " frames").hasSize(300).hasSameSizeAs(one.packets());
            double frame = 1 / joined.frameRate().value();
            assertThat(joined.duration()).isCloseTo(one.duration(), within(frame));
            List<Double> pts = joined.packets().stream().map(StreamFacts.Packet::pts).sorted().toList();
            for (int i = 1; i < pts.size(); i++)
                assertThat(pts.get(i) - pts.get(i - 1)).as("step before frame " + i).isCloseTo(frame, within(frame / 10));
            StreamFacts audio = probe.first(b, "audio");
            assertThat(Math.abs(audio.duration() - 1024.0 / 48_000 - joined.duration())).as("audio/video drift").isLessThanOrEqualTo(0.02);
        }
        try (var left = Files.list(Path.of(split.out()))) {
            assertThat(left.map(p -> p.getFileName().toString())).allMatch(n -> n.endsWith(".mp4"));
        }
    }

    /** Frames 1/30 s apart, but every fourth one held for an extra 1/60 s: a phone-like irregular clock. */
    private Path variableFrameRateClip() {
        Path out = dir.resolve("vfr.mp4");
        var args = List.of("-v", "error", "-f", "lavfi", "-i", "testsrc2=size=480x270:rate=30", "-t", "9",
                "-vf", "setpts='(N/30+floor(N/4)/60)/TB'", "-fps_mode", "vfr", "-c:v", "libx264", "-preset", "ultrafast",
                out.toString());
        assertThat(dev.spool.media.ffmpeg.ToolProcess.run("ffmpeg", TestMedia.TOOLS.ffmpeg(args), l -> { }).ok()).isTrue();
        return out;
    }

    private void compare(Path source, EncodeOptions.SegmentFormat segments, int expectedFrames) throws Exception {
        EncodeOptions options = new EncodeOptions(List.of(), VideoCodec.H264, null, HLS_TIME, segments,
                EncodeOptions.OutputFormat.HLS, EncodeOptions.DEFAULT_MASTER_NAME, 0);
        RunSummary single = new LadderRun(TestMedia.TOOLS).run(new LadderRun.Request(source, dir.resolve("single"), options, false),
                new LadderRun.Listener() { });
        RunSummary split = new SplitRun(TestMedia.TOOLS, 2, PIECE_SECONDS).run(
                new LadderRun.Request(source, dir.resolve("split"), options, false), new LadderRun.Listener() { });
        Verified.output(Path.of(single.out()), Path.of(split.out()));

        assertThat(split.outputs()).extracting(o -> o.name()).containsExactlyElementsOf(single.outputs().stream().map(o -> o.name()).toList());
        for (var output : single.outputs()) {
            if (output.name().equals("audio")) continue;
            Path a = Path.of(single.out()).resolve(output.path());
            Path b = Path.of(split.out()).resolve(output.path());
            StreamFacts one = probe.first(a, "video");
            StreamFacts joined = probe.first(b, "video");
            assertThat(joined.packets()).as(output.name() + " frame count").hasSameSizeAs(one.packets());
            if (expectedFrames > 0) assertThat(joined.packets()).hasSize(expectedFrames);
            double frame = 1 / joined.frameRate().value();
            assertThat(joined.duration()).isCloseTo(one.duration(), within(frame));
            assertThat(MediaPlaylist.read(b).segmentStarts()).hasSameSizeAs(MediaPlaylist.read(a).segmentStarts())
                    .zipSatisfy(MediaPlaylist.read(a).segmentStarts(), (x, y) -> assertThat(x).isCloseTo(y, within(frame / 2)));
            List<Double> pts = joined.packets().stream().map(StreamFacts.Packet::pts).sorted().toList();
            for (int i = 1; i < pts.size(); i++)
                assertThat(pts.get(i) - pts.get(i - 1)).as("step before frame " + i + " of " + output.name())
                        .isCloseTo(frame, within(frame / 10));
        }
        if (Files.exists(Path.of(split.out()).resolve("audio/index.m3u8"))) {
            StreamFacts audio = probe.first(Path.of(split.out()).resolve("audio/index.m3u8"), "audio");
            StreamFacts video = probe.first(Path.of(split.out()).resolve(split.outputs().get(1).path()), "video");
            assertThat(Math.abs(audio.duration() - video.duration())).as("audio/video drift at the end").isLessThan(0.05);
        }
        try (var left = Files.list(Path.of(split.out()))) {
            assertThat(left.map(p -> p.getFileName().toString())).doesNotContain(".pieces");
        }
    }
}
