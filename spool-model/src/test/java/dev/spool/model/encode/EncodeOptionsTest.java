package dev.spool.model.encode;

import dev.spool.model.encode.EncodeOptions.OutputFormat;
import dev.spool.model.encode.EncodeOptions.SegmentFormat;
import dev.spool.model.SpoolError;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncodeOptionsTest {

    private static EncodeOptions options(VideoCodec codec, String preset, int hlsTime, SegmentFormat segments,
                                         OutputFormat format, String masterName) {
        return new EncodeOptions(List.of(), codec, preset, hlsTime, segments, format, masterName, 0);
    }

    private static void assertRejected(ThrowingCallable call, String field) {
        assertThatThrownBy(call)
                .isInstanceOf(SpoolError.class)
                .hasFieldOrPropertyWithValue("code", SpoolError.Code.INVALID)
                .hasFieldOrPropertyWithValue("field", field)
                .hasMessageStartingWith(field + " ");
    }

    @Test
    void theDefaultsAreSixSecondFmp4HlsWithH264() {
        EncodeOptions o = EncodeOptions.defaults();

        assertThat(o.codec()).isEqualTo(VideoCodec.H264);
        assertThat(o.preset()).isEqualTo("veryfast");
        assertThat(o.hlsTime()).isEqualTo(6);
        assertThat(o.segmentFormat()).isEqualTo(SegmentFormat.FMP4);
        assertThat(o.format()).isEqualTo(OutputFormat.HLS);
        assertThat(o.masterName()).isEqualTo("index.m3u8");
        assertThat(o.renditions()).isEmpty();
    }

    @Test
    void missingValuesTakeTheirNamedDefaults() {
        EncodeOptions o = new EncodeOptions(null, null, " ", 4, null, null, null, 0);

        assertThat(o.codec()).isEqualTo(VideoCodec.H264);
        assertThat(o.preset()).isEqualTo(VideoCodec.H264.defaultPreset());
        assertThat(o.segmentFormat()).isEqualTo(SegmentFormat.FMP4);
        assertThat(o.format()).isEqualTo(OutputFormat.HLS);
        assertThat(o.masterName()).isEqualTo(EncodeOptions.DEFAULT_MASTER_NAME);
        assertThat(o.renditions()).isEmpty();
    }

    @Test
    void eachCodecDefaultsToItsOwnPreset() {
        assertThat(options(VideoCodec.AV1, null, 6, SegmentFormat.FMP4, OutputFormat.HLS, null).preset()).isEqualTo("8");
        assertThat(options(VideoCodec.HEVC, null, 6, SegmentFormat.FMP4, OutputFormat.HLS, null).preset()).isEqualTo("veryfast");
    }

    @Test
    void aSegmentLengthOutsideOneToSixtySecondsNamesHlsTime() {
        assertRejected(() -> options(VideoCodec.H264, null, 0, SegmentFormat.FMP4, OutputFormat.HLS, null), "hls_time");
        assertRejected(() -> options(VideoCodec.H264, null, -6, SegmentFormat.FMP4, OutputFormat.HLS, null), "hls_time");
        assertRejected(() -> options(VideoCodec.H264, null, 61, SegmentFormat.FMP4, OutputFormat.HLS, null), "hls_time");
        assertThat(options(VideoCodec.H264, null, 1, SegmentFormat.FMP4, OutputFormat.HLS, null).hlsTime()).isEqualTo(1);
        assertThat(options(VideoCodec.H264, null, 60, SegmentFormat.FMP4, OutputFormat.HLS, null).hlsTime()).isEqualTo(60);
    }

    @Test
    void aMasterNameThatIsAPathOrNotAPlaylistNamesMasterPlaylistName() {
        for (String bad : List.of("../x.m3u8", "sub/x.m3u8", "/tmp/x.m3u8", ".hidden.m3u8", "master.txt", "my master.m3u8")) {
            assertRejected(() -> options(VideoCodec.H264, null, 6, SegmentFormat.FMP4, OutputFormat.HLS, bad),
                    "master_playlist_name");
        }
        assertThat(options(VideoCodec.H264, null, 6, SegmentFormat.FMP4, OutputFormat.HLS, " master.m3u8 ").masterName())
                .isEqualTo("master.m3u8");
    }

    @Test
    void anUnsupportedCodecNamesCodec() {
        assertRejected(() -> VideoCodec.parse("vp8"), "codec");
        assertThat(VideoCodec.parse(" H265 ")).isEqualTo(VideoCodec.HEVC);
        assertThat(VideoCodec.parse("libsvtav1")).isEqualTo(VideoCodec.AV1);
    }

    @Test
    void av1InTsSegmentsNamesSegmentFormat() {
        assertRejected(() -> options(VideoCodec.AV1, null, 6, SegmentFormat.TS, OutputFormat.HLS, null), "segment_format");
        assertThat(options(VideoCodec.AV1, null, 6, SegmentFormat.FMP4, OutputFormat.HLS, null).codec()).isEqualTo(VideoCodec.AV1);
        assertThat(options(VideoCodec.H264, null, 6, SegmentFormat.TS, OutputFormat.HLS, null).segmentFormat())
                .isEqualTo(SegmentFormat.TS);
    }

    @Test
    void anUnknownSegmentFormatOrOutputFormatNamesItsOption() {
        assertRejected(() -> SegmentFormat.parse("webm"), "segment_format");
        assertRejected(() -> OutputFormat.parse("dash"), "format");
        assertThat(SegmentFormat.parse("CMAF")).isEqualTo(SegmentFormat.FMP4);
    }

    @Test
    void aPresetThatCouldSmuggleAnotherArgumentNamesPreset() {
        for (String bad : List.of("very fast", "fast;rm", "slow -crf 0", "$(id)", "x".repeat(21))) {
            assertRejected(() -> options(VideoCodec.H264, bad, 6, SegmentFormat.FMP4, OutputFormat.HLS, null), "preset");
        }
        assertThat(options(VideoCodec.H264, " medium ", 6, SegmentFormat.FMP4, OutputFormat.HLS, null).preset())
                .isEqualTo("medium");
    }

    @Test
    void aThreadCountOutsideZeroTo256NamesThreads() {
        assertRejected(() -> new EncodeOptions(List.of(), VideoCodec.H264, null, 6, null, null, null, -1), "threads");
        assertRejected(() -> new EncodeOptions(List.of(), VideoCodec.H264, null, 6, null, null, null, 257), "threads");
    }
}
