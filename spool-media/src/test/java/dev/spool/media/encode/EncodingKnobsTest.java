package dev.spool.media.encode;

import dev.spool.media.plan.LadderPlan;
import dev.spool.model.encode.AudioEncoding;
import dev.spool.model.encode.Bitrate;
import dev.spool.model.encode.EncodeOptions;
import dev.spool.model.encode.EncodeOptions.OutputFormat;
import dev.spool.model.encode.EncodeOptions.SegmentFormat;
import dev.spool.media.probe.AudioStream;
import dev.spool.media.probe.MediaInfo;
import dev.spool.model.encode.Ratio;
import dev.spool.media.probe.VideoStream;
import dev.spool.model.SpoolError;
import dev.spool.media.plan.Rendition;
import dev.spool.model.encode.VideoCodec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Seed 000's job knobs in the encoder's terms: the audio codec and bitrate, and the job-wide video cap. */
class EncodingKnobsTest {
    private static final Path INPUT = Path.of("/media/in.mov");
    private static final Path DIR = Path.of("/work/out");
    private static final VideoStream VIDEO = new VideoStream(0, "h264", 1920, 1080, 0, Ratio.ONE, new Ratio(30, 1),
            false, "yuv420p", 8, "bt709", 60.0);
    private static final AudioStream AUDIO = new AudioStream(1, "aac", 6, 48_000, "eng", true, 60.0);
    private static final MediaInfo SOURCE = new MediaInfo(INPUT, "mov,mp4,m4a,3gp,3g2,mj2", 60.0, 48_000_000L,
            java.util.Optional.of(VIDEO), List.of(AUDIO), List.of());

    private static EncodeOptions options(SegmentFormat segments, OutputFormat format, Map<String, Integer> caps,
                                         AudioEncoding audio, int videoCap) {
        return new EncodeOptions(List.of(), VideoCodec.H264, null, 6, segments, format, EncodeOptions.DEFAULT_MASTER_NAME, 0,
                caps, null, audio, videoCap);
    }

    private static EncodeOptions hls(AudioEncoding audio, int videoCap) {
        return options(SegmentFormat.FMP4, OutputFormat.HLS, Map.of(), audio, videoCap);
    }

    /** The arguments of the last output (the shared audio of an HLS ladder). */
    private static List<String> lastOutput(List<String> args) {
        return args.subList(args.lastIndexOf("-map"), args.size());
    }

    private static String after(List<String> args, String option) {
        int at = args.indexOf(option);
        assertThat(at).as("%s in %s", option, args).isNotNegative();
        return args.get(at + 1);
    }

    private static void assertRejected(ThrowingCallable call, String field, String... mentions) {
        assertThatThrownBy(call).isInstanceOf(SpoolError.class)
                .hasFieldOrPropertyWithValue("code", SpoolError.Code.INVALID)
                .hasFieldOrPropertyWithValue("field", field)
                .hasMessageStartingWith(field + " ")
                .hasMessageContainingAll(mentions.length == 0 ? new String[] {field} : mentions);
    }

    @Test
    void theAudioIsAacLcAt128kUnlessAskedOtherwise() {
        EncodeOptions o = EncodeOptions.defaults();

        assertThat(o.audio()).isEqualTo(new AudioEncoding(AudioEncoding.Codec.AAC, 128));
        assertThat(o.videoCapKbps()).isZero();
    }

    @Test
    void aChosenAacBitrateReachesTheAudioEncoder() {
        List<String> audio = lastOutput(LadderCommand.args(LadderPlan.of(SOURCE, hls(new AudioEncoding(AudioEncoding.Codec.AAC, 192), 0)),
                INPUT, DIR, false));

        assertThat(after(audio, "-c:a")).isEqualTo("aac");
        assertThat(after(audio, "-profile:a")).isEqualTo("aac_low");
        assertThat(after(audio, "-b:a")).isEqualTo("192k");
    }

    @Test
    void opusIsEncodedByLibopusInStereoAt48kHz() {
        List<String> audio = lastOutput(LadderCommand.args(LadderPlan.of(SOURCE, hls(new AudioEncoding(AudioEncoding.Codec.OPUS, 96), 0)),
                INPUT, DIR, false));

        assertThat(after(audio, "-c:a")).isEqualTo("libopus");
        assertThat(after(audio, "-b:a")).isEqualTo("96k");
        assertThat(after(audio, "-vbr")).isEqualTo("constrained");
        assertThat(after(audio, "-ac")).isEqualTo("2");
        assertThat(after(audio, "-ar")).isEqualTo("48000");
        assertThat(audio).doesNotContain("-profile:a");
    }

    @Test
    void aSplitJobsAudioIsEncodedOnceWithTheSameKnobs() {
        LadderPlan plan = LadderPlan.of(SOURCE, hls(new AudioEncoding(AudioEncoding.Codec.OPUS, 64), 0));
        List<String> args = PieceCommand.audioArgs(plan, INPUT, DIR);

        assertThat(after(args, "-c:a")).isEqualTo("libopus");
        assertThat(after(args, "-b:a")).isEqualTo("64k");
    }

    @Test
    void everyMp4FileCarriesTheChosenAudio() {
        EncodeOptions mp4 = options(SegmentFormat.FMP4, OutputFormat.MP4, Map.of(), new AudioEncoding(AudioEncoding.Codec.OPUS, 160), 0);
        List<String> args = LadderCommand.args(LadderPlan.of(SOURCE, mp4), INPUT, DIR, false);

        long opusOutputs = java.util.stream.IntStream.range(0, args.size() - 1)
                .filter(i -> args.get(i).equals("-c:a") && args.get(i + 1).equals("libopus")).count();
        assertThat(opusOutputs).isEqualTo(LadderPlan.of(SOURCE, mp4).renditions().size());
        assertThat(args).doesNotContain("aac");
    }

    @Test
    void theJobsVideoCapLowersEveryRungAboveIt() {
        List<Rendition> uncapped = LadderPlan.of(SOURCE, hls(null, 0)).renditions();
        List<Rendition> capped = LadderPlan.of(SOURCE, hls(null, 1000)).renditions();

        assertThat(capped).extracting(Rendition::name).isEqualTo(uncapped.stream().map(Rendition::name).toList());
        for (int i = 0; i < capped.size(); i++)
            assertThat(capped.get(i).maxrateKbps()).as(capped.get(i).name())
                    .isEqualTo(Math.min(1000, uncapped.get(i).maxrateKbps()));
        assertThat(capped).extracting(Rendition::maxrateKbps).contains(800, 400);   // rungs already below keep their own
    }

    @Test
    void theCapReachesTheEncoderAsMaxrateWithItsBuffer() {
        List<String> args = LadderCommand.args(LadderPlan.of(SOURCE, hls(null, 500)), INPUT, DIR, false);

        List<String> maxrates = java.util.stream.IntStream.range(0, args.size() - 1).filter(i -> args.get(i).equals("-maxrate"))
                .mapToObj(i -> args.get(i + 1)).toList();
        assertThat(maxrates).hasSize(5).containsExactly("500k", "500k", "500k", "500k", "400k");
        assertThat(after(args, "-bufsize")).isEqualTo("1000k");
        assertThat(after(args, "-rc_init_occupancy")).as("a quarter of the buffer, in bits").isEqualTo("250000");
    }

    @Test
    void withoutAJobCapTheEncodersKeepTheirOwnInitialBuffer() {
        assertThat(LadderCommand.args(LadderPlan.of(SOURCE, hls(null, 0)), INPUT, DIR, false)).doesNotContain("-rc_init_occupancy");
    }

    @Test
    void aRungsExplicitBitrateStaysAsGivenUnlessAboveTheCap() {
        EncodeOptions o = options(SegmentFormat.FMP4, OutputFormat.HLS, Map.of("1080p", 4000, "720p", 1500), null, 2000);
        Map<String, Integer> caps = new java.util.HashMap<>();
        LadderPlan.of(SOURCE, o).renditions().forEach(r -> caps.put(r.name(), r.maxrateKbps()));

        assertThat(caps).containsEntry("1080p", 2000).containsEntry("720p", 1500).containsEntry("480p", 1400);
    }

    @Test
    void opusInMpegTsSegmentsIsRefusedNamingBoth() {
        assertRejected(() -> options(SegmentFormat.TS, OutputFormat.HLS, Map.of(), new AudioEncoding(AudioEncoding.Codec.OPUS, 96), 0),
                "audio_codec", "opus", "segment_format ts");
    }

    @Test
    void opusGoesIntoFmp4SegmentsAndMp4Files() {
        AudioEncoding opus = new AudioEncoding(AudioEncoding.Codec.OPUS, 96);
        assertThat(options(SegmentFormat.FMP4, OutputFormat.HLS, Map.of(), opus, 0).audio()).isEqualTo(opus);
        assertThat(options(SegmentFormat.FMP4, OutputFormat.MP4, Map.of(), opus, 0).audio()).isEqualTo(opus);
    }

    @Test
    void tsSegmentsForAnMp4OutputAreRefusedRatherThanIgnored() {
        assertRejected(() -> options(SegmentFormat.TS, OutputFormat.MP4, Map.of(), null, 0), "segment_format", "format mp4");
    }

    @Test
    void aSplitMp4JobStillEncodesItsPiecesAsFmp4() {
        EncodeOptions mp4 = options(SegmentFormat.FMP4, OutputFormat.MP4, Map.of(), new AudioEncoding(AudioEncoding.Codec.OPUS, 96), 700);
        EncodeOptions pieces = mp4.forPieces();

        assertThat(pieces.format()).isEqualTo(OutputFormat.HLS);
        assertThat(pieces.audio()).isEqualTo(mp4.audio());
        assertThat(pieces.videoCapKbps()).isEqualTo(700);
        assertThat(mp4.withThreads(1).audio()).isEqualTo(mp4.audio());
    }

    @Test
    void outOfRangeBitratesAreRefusedWithTheirFieldsNames() {
        assertRejected(() -> new AudioEncoding(AudioEncoding.Codec.AAC, 16), "audio_bitrate", "32k", "320k");
        assertRejected(() -> new AudioEncoding(AudioEncoding.Codec.AAC, 500), "audio_bitrate");
        assertRejected(() -> hls(null, 20), "video_bitrate", "50k");
        assertRejected(() -> hls(null, 300_000), "video_bitrate");
    }

    @Test
    void bitratesReadAsPeopleAndSeed000WriteThem() {
        assertThat(Bitrate.kbps("f", "128k")).isEqualTo(128);
        assertThat(Bitrate.kbps("f", "96K")).isEqualTo(96);
        assertThat(Bitrate.kbps("f", "3M")).isEqualTo(3000);
        assertThat(Bitrate.kbps("f", "2.5m")).isEqualTo(2500);
        assertThat(Bitrate.kbps("f", "128000")).isEqualTo(128);
        assertThat(Bitrate.kbps("f", "5_000_000")).isEqualTo(5000);
        assertRejected(() -> Bitrate.kbps("--audio-bitrate", "fast"), "--audio-bitrate", "128k", "'fast'");
        assertRejected(() -> Bitrate.kbps("audio_bitrate", "-96k"), "audio_bitrate");
    }

    @Test
    void audioCodecsAreNamedAsUsersWriteThem() {
        assertThat(AudioEncoding.Codec.parse("f", " Opus ")).isEqualTo(AudioEncoding.Codec.OPUS);
        assertThat(AudioEncoding.Codec.parse("f", "aac")).isEqualTo(AudioEncoding.Codec.AAC);
        assertRejected(() -> AudioEncoding.Codec.parse("audio_codec", "mp3"), "audio_codec", "aac or opus", "'mp3'");
    }
}
