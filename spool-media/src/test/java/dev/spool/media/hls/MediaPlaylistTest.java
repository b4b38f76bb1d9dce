package dev.spool.media.hls;

import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MediaPlaylistTest {

    /** What ffmpeg's hls muxer writes for a 14.5 s fMP4 VOD rendition with -hls_time 6. */
    private static final String FFMPEG_VOD = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:6
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-PLAYLIST-TYPE:VOD
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MAP:URI="init.mp4"
            #EXTINF:6.000000,
            seg_00000.m4s
            #EXTINF:6.000000,
            seg_00001.m4s
            #EXTINF:2.500000,
            seg_00002.m4s
            #EXT-X-ENDLIST
            """;

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("index.m3u8");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void anFfmpegVodPlaylistIsReadWithItsSegmentsAndTimes() throws IOException {
        Path file = write(FFMPEG_VOD);

        MediaPlaylist p = MediaPlaylist.read(file);

        assertThat(p.file()).isEqualTo(file);
        assertThat(p.targetDuration()).isEqualTo(6);
        assertThat(p.playlistType()).isEqualTo("VOD");
        assertThat(p.independentSegments()).isTrue();
        assertThat(p.initSegment()).contains("init.mp4");
        assertThat(p.segments()).containsExactly(
                new MediaPlaylist.Segment(6.0, "seg_00000.m4s"),
                new MediaPlaylist.Segment(6.0, "seg_00001.m4s"),
                new MediaPlaylist.Segment(2.5, "seg_00002.m4s"));
        assertThat(p.ended()).isTrue();
        assertThat(p.totalDuration()).isCloseTo(14.5, within(1e-9));
        assertThat(p.segmentStarts()).containsExactly(0.0, 6.0, 12.0);
        assertThat(p.resolve("seg_00001.m4s")).isEqualTo(dir.resolve("seg_00001.m4s"));
    }

    @Test
    void aTsPlaylistWithoutMapOrEndlistIsReadAsSuch() throws IOException {
        MediaPlaylist p = MediaPlaylist.read(write("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:4
                #EXTINF:4.004,
                seg_00000.ts
                """));

        assertThat(p.initSegment()).isEmpty();
        assertThat(p.independentSegments()).isFalse();
        assertThat(p.ended()).isFalse();
        assertThat(p.playlistType()).isEmpty();
        assertThat(p.segments()).containsExactly(new MediaPlaylist.Segment(4.004, "seg_00000.ts"));
    }

    @Test
    void aSegmentUpToHalfASecondOverTheTargetIsAllowedAsItRoundsDown() throws IOException {
        // RFC 8216 4.3.3.1: EXTINF rounded to the nearest integer must not exceed the target
        MediaPlaylist p = MediaPlaylist.read(write(FFMPEG_VOD.replace("#EXTINF:6.000000,\nseg_00001", "#EXTINF:6.400000,\nseg_00001")));

        assertThat(p.segments().get(1).duration()).isEqualTo(6.4);
    }

    @Test
    void aFileWithoutTheExtm3uHeaderIsRejected() throws IOException {
        Path file = write(FFMPEG_VOD.replace("#EXTM3U\n", ""));

        assertVerificationFailure(file, file.toString(), "#EXTM3U");
    }

    @Test
    void anEmptyFileIsRejected() throws IOException {
        Path file = write("");

        assertVerificationFailure(file, file.toString(), "#EXTM3U");
    }

    @Test
    void aPlaylistWithoutATargetDurationIsRejected() throws IOException {
        Path file = write(FFMPEG_VOD.replace("#EXT-X-TARGETDURATION:6\n", ""));

        assertVerificationFailure(file, file.toString(), "#EXT-X-TARGETDURATION");
    }

    @Test
    void aSegmentUriThatClimbsOutOfTheRenditionIsRejectedWithItsLine() throws IOException {
        Path file = write(FFMPEG_VOD.replace("seg_00001.m4s", "../1080p/seg_00001.m4s"));

        assertVerificationFailure(file, file + " line 11", "../1080p/seg_00001.m4s");
    }

    @Test
    void anAbsoluteSegmentUriIsRejectedWithItsLine() throws IOException {
        Path file = write(FFMPEG_VOD.replace("seg_00000.m4s", "/etc/passwd"));

        assertVerificationFailure(file, file + " line 9", "/etc/passwd");
    }

    @Test
    void aSegmentUriWithASchemeIsRejected() throws IOException {
        Path file = write(FFMPEG_VOD.replace("seg_00002.m4s", "https://cdn.example/seg_00002.m4s"));

        assertVerificationFailure(file, file + " line 13", "https://cdn.example/seg_00002.m4s");
    }

    @Test
    void anInitMapOutsideTheRenditionIsRejected() throws IOException {
        Path file = write(FFMPEG_VOD.replace("URI=\"init.mp4\"", "URI=\"../init.mp4\""));

        assertVerificationFailure(file, file + " line 7", "../init.mp4");
    }

    @Test
    void aSegmentLongerThanTheTargetDurationIsRejected() throws IOException {
        Path file = write(FFMPEG_VOD.replace("#EXTINF:6.000000,\nseg_00001", "#EXTINF:6.600000,\nseg_00001"));

        assertVerificationFailure(file, file.toString(), "seg_00001.m4s", "6.6", "target duration 6");
    }

    @Test
    void aSegmentUriWithoutExtinfIsRejectedWithItsLine() throws IOException {
        Path file = write(FFMPEG_VOD.replace("#EXTINF:6.000000,\nseg_00001.m4s", "#EXTINF:6.000000,\nseg_00001.m4s\nseg_extra.m4s"));

        assertVerificationFailure(file, file + " line 12", "without #EXTINF");
    }

    @Test
    void aZeroOrGarbledDurationIsRejectedWithItsLine() throws IOException {
        Path zero = write(FFMPEG_VOD.replace("#EXTINF:2.500000,", "#EXTINF:0,"));
        assertVerificationFailure(zero, zero + " line 12", "not a positive duration");

        Path garbled = write(FFMPEG_VOD.replace("#EXTINF:2.500000,", "#EXTINF:two,"));
        assertVerificationFailure(garbled, garbled + " line 12", "not a positive duration");
    }

    @Test
    void aPlaylistWithNoSegmentsIsRejected() throws IOException {
        Path file = write("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-ENDLIST\n");

        assertVerificationFailure(file, file.toString(), "no segments");
    }

    @Test
    void aMissingPlaylistIsAVerificationFailure() {
        Path file = dir.resolve("720p/index.m3u8");

        assertVerificationFailure(file, file.toString(), "cannot be read");
    }

    private static void assertVerificationFailure(Path file, String... messageParts) {
        assertThatThrownBy(() -> MediaPlaylist.read(file))
                .isInstanceOf(SpoolError.class)
                .hasFieldOrPropertyWithValue("code", SpoolError.Code.VERIFICATION)
                .hasMessageContainingAll(messageParts);
    }
}
