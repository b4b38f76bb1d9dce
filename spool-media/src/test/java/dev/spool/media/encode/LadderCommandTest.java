package dev.spool.media.encode;

import dev.spool.media.plan.LadderPlan;
import dev.spool.model.encode.EncodeOptions;
import dev.spool.media.probe.AudioStream;
import dev.spool.media.probe.MediaInfo;
import dev.spool.model.encode.Ratio;
import dev.spool.media.probe.VideoStream;
import dev.spool.media.plan.Rendition;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LadderCommandTest {

    /** A name a shell would split, expand and cut short; ffmpeg must get it as one argument. */
    private static final Path INPUT = Path.of("/media/in box/Bob's \"final\" cut; rm -rf ~ $(id).mov");
    private static final Path DIR = Path.of("/work/out");

    private static final VideoStream VIDEO = new VideoStream(0, "h264", 1920, 1080, 0, Ratio.ONE, new Ratio(30, 1),
            false, "yuv420p", 8, "bt709", 60.0);
    private static final AudioStream AUDIO = new AudioStream(1, "aac", 6, 48_000, "eng", true, 60.0);
    private static final List<Rendition> RENDITIONS = List.of(
            new Rendition("1080p", 1920, 1080, 5000),
            new Rendition("720p", 1280, 720, 2800),
            new Rendition("480p", 854, 480, 1400));

    private static LadderPlan plan(List<Rendition> renditions, Optional<AudioStream> audio) {
        MediaInfo info = new MediaInfo(INPUT, "mov,mp4,m4a,3gp,3g2,mj2", 60.0, 48_000_000L, Optional.of(VIDEO),
                audio.stream().toList(), List.of());
        return new LadderPlan(info, renditions, Optional.of(new Ratio(30, 1)), audio, EncodeOptions.defaults());
    }

    private static List<String> args() {
        return LadderCommand.args(plan(RENDITIONS, Optional.of(AUDIO)), INPUT, DIR, true);
    }

    /** The arguments of each output, from its first -map up to the next output's first -map. */
    private static List<List<String>> outputs(List<String> args) {
        List<List<String>> outputs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("-map")) outputs.add(new ArrayList<>());
            if (!outputs.isEmpty()) outputs.get(outputs.size() - 1).add(args.get(i));
        }
        return outputs;
    }

    private static String after(List<String> args, String option) {
        int at = args.indexOf(option);
        assertThat(at).as("%s in %s", option, args).isNotNegative().isLessThan(args.size() - 1);
        assertThat(args.lastIndexOf(option)).as("%s given once in %s", option, args).isEqualTo(at);
        return args.get(at + 1);
    }

    @Test
    void theSourceIsReadOnceAsOneArgumentHoweverOddItsName() {
        List<String> args = args();

        assertThat(Collections.frequency(args, "-i")).isEqualTo(1);
        assertThat(after(args, "-i")).isEqualTo(INPUT.toString());
        assertThat(args).filteredOn(a -> a.contains("rm -rf")).containsExactly(INPUT.toString());
    }

    @Test
    void noArgumentButTheInputAndTheFilterGraphCarriesShellSyntax() {
        List<String> args = args();
        String graph = after(args, "-filter_complex");

        assertThat(graph).doesNotContain(" ", "'", "\"");
        assertThat(args).filteredOn(a -> !a.equals(INPUT.toString()) && !a.equals(graph))
                .allSatisfy(a -> assertThat(a).doesNotContain(";", "|", "&", "`", "$(", "'", "\""));
    }

    @Test
    void progressGoesToStdoutOnlyWhenAsked() {
        List<String> withProgress = args();
        List<String> without = LadderCommand.args(plan(RENDITIONS, Optional.of(AUDIO)), INPUT, DIR, false);

        assertThat(after(withProgress, "-progress")).isEqualTo("pipe:1");
        assertThat(withProgress.indexOf("-progress")).isLessThan(withProgress.indexOf("-i"));
        assertThat(without).doesNotContain("-progress");
    }

    @Test
    void theDecodedPictureIsSetToAConstantRateThenSplitIntoOneSquarePixelScalerPerRendition() {
        String graph = after(args(), "-filter_complex");

        assertThat(graph).isEqualTo("[0:0]fps=30/1:start_time=0,split=3[s0][s1][s2];"
                + "[s0]scale=1920:1080:flags=bicubic,setsar=1[v0];"
                + "[s1]scale=1280:720:flags=bicubic,setsar=1[v1];"
                + "[s2]scale=854:480:flags=bicubic,setsar=1[v2]");
    }

    @Test
    void eachVideoOutputTakesItsOwnScaledBranch() {
        List<List<String>> outputs = outputs(args());

        assertThat(outputs).hasSize(4);
        assertThat(outputs).extracting(o -> o.get(1)).containsExactly("[v0]", "[v1]", "[v2]", "0:1");
    }

    @Test
    void everyVideoOutputHasAlignedClosedGopsOfOneSegment() {
        List<List<String>> video = outputs(args()).subList(0, 3);

        for (List<String> out : video) {
            assertThat(after(out, "-c:v")).isEqualTo("libx264");
            assertThat(after(out, "-crf")).isEqualTo("23");
            assertThat(after(out, "-force_key_frames")).isEqualTo("expr:gte(t,n_forced*6)");
            assertThat(after(out, "-sc_threshold")).isEqualTo("0");
            assertThat(after(out, "-flags")).isEqualTo("+cgop");
            assertThat(after(out, "-g")).isEqualTo("180");
            assertThat(after(out, "-fps_mode:v")).as("the fps filter sets the rate").isEqualTo("passthrough");
            assertThat(after(out, "-pix_fmt")).isEqualTo("yuv420p");
            assertThat(out).contains("-an").doesNotContain("-c:a");
        }
    }

    @Test
    void eachVideoOutputIsCappedAtItsRenditionsRate() {
        List<List<String>> video = outputs(args()).subList(0, 3);

        assertThat(video).extracting(o -> after(o, "-maxrate")).containsExactly("5000k", "2800k", "1400k");
        assertThat(video).extracting(o -> after(o, "-bufsize")).containsExactly("10000k", "5600k", "2800k");
    }

    @Test
    void eachOutputIsAnFmp4VodHlsRenditionInItsOwnDirectory() {
        List<List<String>> outputs = outputs(args());
        List<String> dirs = List.of("1080p", "720p", "480p", "audio");

        for (int i = 0; i < outputs.size(); i++) {
            List<String> out = outputs.get(i);
            Path rendition = DIR.resolve(dirs.get(i));
            assertThat(after(out, "-f")).isEqualTo("hls");
            assertThat(after(out, "-hls_time")).isEqualTo("6");
            assertThat(after(out, "-hls_playlist_type")).isEqualTo("vod");
            assertThat(after(out, "-hls_segment_type")).isEqualTo("fmp4");
            assertThat(after(out, "-hls_flags")).isEqualTo("independent_segments");
            assertThat(after(out, "-hls_fmp4_init_filename")).isEqualTo("init.mp4");
            assertThat(after(out, "-hls_segment_filename")).isEqualTo(rendition.resolve("seg_%05d.m4s").toString());
            assertThat(out.get(out.size() - 1)).isEqualTo(rendition.resolve("index.m3u8").toString());
        }
    }

    @Test
    void oneSharedAudioOutputIsStereoAacAt128kAnd48kHz() {
        List<String> args = args();
        List<String> audio = outputs(args).get(3);

        assertThat(Collections.frequency(args, "-c:a")).isEqualTo(1);
        assertThat(after(audio, "-map")).isEqualTo("0:1");
        assertThat(audio).contains("-vn").doesNotContain("-c:v");
        assertThat(after(audio, "-c:a")).isEqualTo("aac");
        assertThat(after(audio, "-profile:a")).isEqualTo("aac_low");
        assertThat(after(audio, "-b:a")).isEqualTo("128k");
        assertThat(after(audio, "-ac")).isEqualTo("2");
        assertThat(after(audio, "-ar")).isEqualTo("48000");
    }

    @Test
    void noMetadataOrSubtitlesAreCarriedIntoAnyOutput() {
        for (List<String> out : outputs(args())) {
            assertThat(after(out, "-map_metadata")).isEqualTo("-1");
            assertThat(after(out, "-map_chapters")).isEqualTo("-1");
            assertThat(out).contains("-sn", "-dn");
        }
    }

    @Test
    void aSourceWithoutAudioHasNoAudioOutput() {
        List<String> args = LadderCommand.args(plan(RENDITIONS, Optional.empty()), INPUT, DIR, true);

        assertThat(outputs(args)).hasSize(3);
        assertThat(args).doesNotContain("-c:a", "0:1");
    }

    @Test
    void aNtscSourceStillGetsAKeyframeEverySixSeconds() {
        MediaInfo info = plan(RENDITIONS, Optional.of(AUDIO)).source();
        LadderPlan ntsc = new LadderPlan(info, RENDITIONS, Optional.of(new Ratio(30000, 1001)), Optional.of(AUDIO),
                EncodeOptions.defaults());

        List<String> first = outputs(LadderCommand.args(ntsc, INPUT, DIR, true)).get(0);

        assertThat(after(first, "-g")).isEqualTo("180");   // 29.97 x 6 = 179.82
        assertThat(after(LadderCommand.args(ntsc, INPUT, DIR, true), "-filter_complex")).startsWith("[0:0]fps=30000/1001:");
        assertThat(after(first, "-force_key_frames")).isEqualTo("expr:gte(t,n_forced*6)");
    }

    @Test
    void nvencRenditionsUseCappedConstantQualityWithIdrOnEveryBoundaryAndNoSceneCuts() {
        EncodeOptions nvenc = new EncodeOptions(List.of(), dev.spool.model.encode.VideoCodec.HEVC, null, 6,
                EncodeOptions.SegmentFormat.FMP4, EncodeOptions.OutputFormat.HLS, "index.m3u8", 0, java.util.Map.of(), "hevc_nvenc");
        MediaInfo info = new MediaInfo(INPUT, "mp4", 60.0, 1L, Optional.of(VIDEO), List.of(), List.of());
        LadderPlan plan = new LadderPlan(info, RENDITIONS, Optional.of(new Ratio(30, 1)), Optional.empty(), nvenc);

        List<String> first = outputs(LadderCommand.args(plan, INPUT, DIR, false)).get(0);

        assertThat(after(first, "-c:v")).isEqualTo("hevc_nvenc");
        assertThat(after(first, "-preset")).isEqualTo(EncodeOptions.NVENC_DEFAULT_PRESET);
        assertThat(after(first, "-rc")).isEqualTo("vbr");
        assertThat(after(first, "-maxrate")).isEqualTo("5000k");
        assertThat(after(first, "-forced-idr")).isEqualTo("1");
        assertThat(after(first, "-no-scenecut")).isEqualTo("1");
        assertThat(after(first, "-force_key_frames")).isEqualTo("expr:gte(t,n_forced*6)");
        assertThat(after(first, "-tag:v")).isEqualTo("hvc1");
        assertThat(first).doesNotContain("-crf", "-x265-params");
    }

    @Test
    void aHardwareEncoderMustEncodeTheChosenCodec() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EncodeOptions(List.of(), dev.spool.model.encode.VideoCodec.H264,
                        null, 6, EncodeOptions.SegmentFormat.FMP4, EncodeOptions.OutputFormat.HLS, "index.m3u8", 0,
                        java.util.Map.of(), "hevc_nvenc"))
                .isInstanceOf(dev.spool.model.SpoolError.class).hasFieldOrPropertyWithValue("field", "codec");
    }
}
