package dev.spool.cli;

import dev.spool.model.encode.EncodeOptions;
import dev.spool.media.probe.MediaInfo;
import dev.spool.media.probe.Probe;
import dev.spool.model.encode.Ratio;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.media.hls.MasterPlaylistFile;
import dev.spool.media.hls.StreamFacts;
import dev.spool.media.hls.StreamProbe;
import dev.spool.model.encode.VideoCodec;
import dev.spool.media.run.LadderRun;
import dev.spool.media.run.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Probing real files of every shape, and the ladders Spool makes of them. */
class LadderVariantsIT {
    @TempDir Path dir;
    private final StreamProbe readBack = new StreamProbe(TestMedia.TOOLS);

    @Test
    void aPortraitPhoneVideoIsProbedWithItsRotationAndEncodedUpright() {
        Path phone = TestMedia.get("phone.mp4", SampleMedia.Spec.video(640, 360, 30, 2).rotation(90));
        MediaInfo info = new Probe(TestMedia.TOOLS).probe(phone);
        assertThat(info.video().orElseThrow().rotation()).isEqualTo(90);
        assertThat(info.video().get().displayWidth()).isEqualTo(360);
        assertThat(info.video().get().displayHeight()).isEqualTo(640);

        RunSummary summary = run(phone, options(List.of(), VideoCodec.H264, EncodeOptions.SegmentFormat.FMP4, EncodeOptions.OutputFormat.HLS));
        StreamFacts top = readBack.first(Path.of(summary.out()).resolve("360p/index.m3u8"), "video");
        assertThat(top.width()).isEqualTo(360);
        assertThat(top.height()).isEqualTo(640);
    }

    @Test
    void anAnamorphicSourceIsProbedWithItsPixelShapeAndEncodedWithSquarePixels() {
        Path dvd = TestMedia.get("anamorphic.mp4", SampleMedia.Spec.video(720, 480, 30, 1).sampleAspect(new Ratio(32, 27)));
        MediaInfo info = new Probe(TestMedia.TOOLS).probe(dvd);
        assertThat(info.video().orElseThrow().sampleAspect()).isEqualTo(new Ratio(32, 27));

        RunSummary summary = run(dvd, options(List.of("480p"), VideoCodec.H264, EncodeOptions.SegmentFormat.FMP4, EncodeOptions.OutputFormat.HLS));
        assertThat(summary.outputs()).filteredOn(o -> o.name().equals("480p")).singleElement()
                .satisfies(o -> assertThat((double) o.width() / o.height()).isCloseTo(16 / 9.0, within(0.01)));
    }

    @Test
    void surroundSoundIsDownmixedToStereo() {
        Path surround = TestMedia.get("surround.mp4", SampleMedia.Spec.video(320, 180, 30, 2).audioChannels(6));
        assertThat(new Probe(TestMedia.TOOLS).probe(surround).mainAudio().orElseThrow().channels()).isEqualTo(6);

        RunSummary summary = run(surround, options(List.of(), VideoCodec.H264, EncodeOptions.SegmentFormat.FMP4, EncodeOptions.OutputFormat.HLS));
        assertThat(readBack.first(Path.of(summary.out()).resolve("audio/index.m3u8"), "audio").channels()).isEqualTo(2);
    }

    @Test
    void anAudioOnlyInputGivesAnAudioOnlyLadder() {
        Path song = TestMedia.get("song.m4a", SampleMedia.Spec.video(0, 0, 30, 3).audioOnly());
        MediaInfo info = new Probe(TestMedia.TOOLS).probe(song);
        assertThat(info.audioOnly()).isTrue();

        RunSummary summary = run(song, EncodeOptions.defaults());
        MasterPlaylistFile master = MasterPlaylistFile.read(Path.of(summary.master()));
        assertThat(master.variants()).singleElement().satisfies(v -> {
            assertThat(v.uri()).isEqualTo("audio/index.m3u8");
            assertThat(v.attributes()).containsEntry("CODECS", "mp4a.40.2").doesNotContainKey("RESOLUTION");
        });
    }

    @Test
    void aVideoWithoutSoundHasNoAudioGroup() {
        Path silent = TestMedia.get("silent.mp4", SampleMedia.Spec.video(320, 180, 30, 2).audioChannels(0));
        RunSummary summary = run(silent, EncodeOptions.defaults());
        MasterPlaylistFile master = MasterPlaylistFile.read(Path.of(summary.master()));
        assertThat(master.media()).isEmpty();
        assertThat(master.variants()).singleElement().satisfies(v -> assertThat(v.attributes()).doesNotContainKey("AUDIO"));
    }

    @Test
    void mpegTsSegmentsAreSupported() {
        RunSummary summary = run(TestMedia.small(2), options(List.of(), VideoCodec.H264, EncodeOptions.SegmentFormat.TS, EncodeOptions.OutputFormat.HLS));
        Path rung = Path.of(summary.out()).resolve("180p");
        assertThat(rung.resolve("seg_00000.ts")).exists();
        assertThat(MasterPlaylistFile.read(Path.of(summary.master())).variants().getFirst().attributes().get("CODECS"))
                .matches("avc1\\.64[0-9A-F]{4},mp4a\\.40\\.2");
    }

    @Test
    void hevcLaddersCarryAnHvc1CodecString() {
        RunSummary summary = run(TestMedia.small(2), options(List.of(), VideoCodec.HEVC, EncodeOptions.SegmentFormat.FMP4, EncodeOptions.OutputFormat.HLS));
        assertThat(summary.outputs()).filteredOn(o -> o.name().equals("180p")).singleElement()
                .satisfies(o -> assertThat(o.codecs()).startsWith("hvc1.1.6.L"));
    }

    @Test
    void av1LaddersCarryAnAv01CodecString() {
        RunSummary summary = run(TestMedia.small(2), options(List.of(), VideoCodec.AV1, EncodeOptions.SegmentFormat.FMP4, EncodeOptions.OutputFormat.HLS));
        assertThat(summary.outputs()).filteredOn(o -> o.name().equals("180p")).singleElement()
                .satisfies(o -> assertThat(o.codecs()).matches("av01\\.0\\.\\d\\dM\\.08"));
    }

    @Test
    void mp4FormatWritesOneFaststartFilePerRung() throws Exception {
        Path source = TestMedia.get("360p-2s.mp4", SampleMedia.Spec.video(640, 360, 30, 2));
        RunSummary summary = run(source, options(List.of(), VideoCodec.H264, EncodeOptions.SegmentFormat.FMP4, EncodeOptions.OutputFormat.MP4));
        Path out = Path.of(summary.out());
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("240p.mp4", "360p.mp4");
        }
        List<StreamFacts> streams = readBack.streams(out.resolve("360p.mp4"));
        assertThat(streams).extracting(StreamFacts::type).containsExactly("video", "audio");
        assertThat(streams.getFirst().duration()).isCloseTo(2.0, within(0.1));
        assertThat(summary.master()).isNull();
    }

    @Test
    void subtitlesAndLanguagesAreProbedAndTheAudioLanguageReachesTheMaster() throws Exception {
        Path srt = Files.writeString(dir.resolve("subs.srt"), "1\n00:00:00,000 --> 00:00:01,000\nBonjour\n");
        Path film = dir.resolve("film.mp4");
        var mux = TestMedia.TOOLS.ffmpeg(List.of("-v", "error", "-i", TestMedia.small(2).toString(), "-i", srt.toString(),
                "-map", "0", "-map", "1", "-c", "copy", "-c:s", "mov_text", "-metadata:s:a:0", "language=fra",
                "-metadata:s:s:0", "language=fra", film.toString()));
        assertThat(dev.spool.media.ffmpeg.ToolProcess.run("ffmpeg", mux, line -> { }).ok()).isTrue();

        MediaInfo info = new Probe(TestMedia.TOOLS).probe(film);
        assertThat(info.subtitles()).singleElement().satisfies(s -> {
            assertThat(s.codec()).isEqualTo("mov_text");
            assertThat(s.language()).isEqualTo("fra");
        });
        assertThat(info.mainAudio().orElseThrow().language()).isEqualTo("fra");

        RunSummary summary = run(film, EncodeOptions.defaults());
        assertThat(MasterPlaylistFile.read(Path.of(summary.master())).media()).singleElement()
                .satisfies(audio -> assertThat(audio.attributes()).containsEntry("LANGUAGE", "fr").containsEntry("NAME", "French"));
    }

    private RunSummary run(Path input, EncodeOptions options) {
        Path out = dir.resolve("out-" + System.nanoTime());
        RunSummary summary = new LadderRun(TestMedia.TOOLS).run(new LadderRun.Request(input, out, options, false), new LadderRun.Listener() { });
        Verified.output(out);
        return summary;
    }

    private static EncodeOptions options(List<String> renditions, VideoCodec codec, EncodeOptions.SegmentFormat segments,
                                         EncodeOptions.OutputFormat format) {
        return new EncodeOptions(renditions, codec, null, 2, segments, format, EncodeOptions.DEFAULT_MASTER_NAME, 0);
    }
}
