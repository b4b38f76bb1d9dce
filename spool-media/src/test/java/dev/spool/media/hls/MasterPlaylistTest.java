package dev.spool.media.hls;

import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class MasterPlaylistTest {

    private static final double NTSC = 30000.0 / 1001;

    private static final MasterPlaylist.Audio STEREO = new MasterPlaylist.Audio("audio/index.m3u8",
            new SegmentRates(140_000, 130_000, 975_000), "mp4a.40.2", 2, "eng");

    private static final List<MasterPlaylist.Variant> LADDER = List.of(
            new MasterPlaylist.Variant("1080p/index.m3u8", new SegmentRates(5_200_000, 4_100_000, 30_750_000),
                    1920, 1080, NTSC, "avc1.640028,mp4a.40.2"),
            new MasterPlaylist.Variant("720p/index.m3u8", new SegmentRates(2_900_000, 2_300_000, 17_250_000),
                    1280, 720, NTSC, "avc1.64001F,mp4a.40.2"),
            new MasterPlaylist.Variant("360p/index.m3u8", new SegmentRates(820_000, 640_000, 4_800_000),
                    640, 360, 25.0, "avc1.64001E,mp4a.40.2"));

    @TempDir
    Path dir;

    private MasterPlaylistFile roundTrip(String text) throws IOException {
        Path file = dir.resolve("index.m3u8");
        Files.writeString(file, text);
        return MasterPlaylistFile.read(file);
    }

    @Test
    void eachVideoRenditionBecomesAVariantReadBackWithItsAttributes() throws IOException {
        MasterPlaylistFile master = roundTrip(MasterPlaylist.render(LADDER, Optional.of(STEREO)));

        assertThat(master.independentSegments()).isTrue();
        assertThat(master.variants()).extracting(MasterPlaylistFile.Entry::uri)
                .containsExactly("1080p/index.m3u8", "720p/index.m3u8", "360p/index.m3u8");
        assertThat(master.variants().get(0).attributes()).containsExactly(
                entry("BANDWIDTH", "5340000"),
                entry("AVERAGE-BANDWIDTH", "4230000"),
                entry("RESOLUTION", "1920x1080"),
                entry("FRAME-RATE", "29.970"),
                entry("CODECS", "avc1.640028,mp4a.40.2"),
                entry("AUDIO", "audio"));
    }

    @Test
    void bandwidthsAddTheAudioRatesToEachVideoRate() throws IOException {
        MasterPlaylistFile master = roundTrip(MasterPlaylist.render(LADDER, Optional.of(STEREO)));

        assertThat(master.variants()).extracting(v -> v.attributes().get("BANDWIDTH"))
                .containsExactly("5340000", "3040000", "960000");
        assertThat(master.variants()).extracting(v -> v.attributes().get("AVERAGE-BANDWIDTH"))
                .containsExactly("4230000", "2430000", "770000");
    }

    @Test
    void frameRatesHaveThreeDecimals() throws IOException {
        String text = MasterPlaylist.render(LADDER, Optional.of(STEREO));

        assertThat(text).contains("FRAME-RATE=29.970,", "FRAME-RATE=25.000,");
        assertThat(roundTrip(text).variants()).extracting(v -> v.attributes().get("FRAME-RATE"))
                .containsExactly("29.970", "29.970", "25.000");
    }

    @Test
    void codecsAreQuotedSoTheCommaBetweenVideoAndAudioStaysInside() {
        String text = MasterPlaylist.render(LADDER, Optional.of(STEREO));

        assertThat(text).contains("CODECS=\"avc1.640028,mp4a.40.2\"", "AUDIO=\"audio\"");
    }

    @Test
    void theAudioRenditionIsOneDefaultMemberOfTheAudioGroup() throws IOException {
        MasterPlaylistFile master = roundTrip(MasterPlaylist.render(LADDER, Optional.of(STEREO)));

        assertThat(master.media()).singleElement().satisfies(audio -> {
            assertThat(audio.uri()).isEqualTo("audio/index.m3u8");
            assertThat(audio.attributes()).containsEntry("TYPE", "AUDIO")
                    .containsEntry("GROUP-ID", MasterPlaylist.AUDIO_GROUP)
                    .containsEntry("NAME", "English")
                    .containsEntry("LANGUAGE", "en")   // HLS wants BCP 47; containers carry ISO 639-2
                    .containsEntry("DEFAULT", "YES")
                    .containsEntry("AUTOSELECT", "YES")
                    .containsEntry("CHANNELS", "2")
                    .containsEntry("URI", "audio/index.m3u8");
        });
    }

    @Test
    void anUndeterminedLanguageIsNamedDefault() throws IOException {
        var und = new MasterPlaylist.Audio("audio/index.m3u8", new SegmentRates(1, 1, 1), "mp4a.40.2", 2, "und");

        MasterPlaylistFile master = roundTrip(MasterPlaylist.render(LADDER, Optional.of(und)));

        assertThat(master.media()).singleElement().extracting(m -> m.attributes().get("NAME")).isEqualTo("Default");
    }

    @Test
    void aLadderWithoutAudioHasNoAudioGroup() throws IOException {
        String text = MasterPlaylist.render(LADDER, Optional.empty());
        MasterPlaylistFile master = roundTrip(text);

        assertThat(text).doesNotContain("#EXT-X-MEDIA", "AUDIO=");
        assertThat(master.media()).isEmpty();
        assertThat(master.variants().get(0).attributes())
                .containsEntry("BANDWIDTH", "5200000")
                .containsEntry("AVERAGE-BANDWIDTH", "4100000")
                .doesNotContainKey("AUDIO");
    }

    @Test
    void anAudioOnlyLadderHasOneVariantPointingAtTheAudioPlaylist() throws IOException {
        String text = MasterPlaylist.render(List.of(), Optional.of(STEREO));
        MasterPlaylistFile master = roundTrip(text);

        assertThat(master.variants()).singleElement().satisfies(v -> {
            assertThat(v.uri()).isEqualTo("audio/index.m3u8");
            assertThat(v.attributes()).containsExactly(
                    entry("BANDWIDTH", "140000"),
                    entry("AVERAGE-BANDWIDTH", "130000"),
                    entry("CODECS", "mp4a.40.2"));
        });
        assertThat(text).doesNotContain("RESOLUTION", "FRAME-RATE");
    }

    @Test
    void aMasterPlaylistWithoutVariantsIsRejectedWhenReadBack() throws IOException {
        Path file = dir.resolve("empty.m3u8");
        Files.writeString(file, "#EXTM3U\n#EXT-X-VERSION:7\n");

        assertThatThrownBy(() -> MasterPlaylistFile.read(file))
                .isInstanceOf(SpoolError.class)
                .hasFieldOrPropertyWithValue("code", SpoolError.Code.VERIFICATION)
                .hasMessageContaining("no variant streams");
    }

    @Test
    void aVariantWithoutBandwidthIsRejectedWithItsLine() throws IOException {
        Path file = dir.resolve("bad.m3u8");
        Files.writeString(file, "#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=640x360\n360p/index.m3u8\n");

        assertThatThrownBy(() -> MasterPlaylistFile.read(file))
                .isInstanceOf(SpoolError.class)
                .hasFieldOrPropertyWithValue("code", SpoolError.Code.VERIFICATION)
                .hasMessageContainingAll(file + " line 2", "BANDWIDTH");
    }

    // SegmentRates.measure reads the sizes of the segment files the playlist lists.

    private MediaPlaylist renditionWithSegments(int targetDuration, double[] durations, long[] sizes) throws IOException {
        StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:" + targetDuration
                + "\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MAP:URI=\"init.mp4\"\n");
        Path rendition = Files.createDirectories(dir.resolve("720p"));
        Files.write(rendition.resolve("init.mp4"), new byte[900]);
        for (int i = 0; i < durations.length; i++) {
            String name = String.format("seg_%05d.m4s", i);
            Files.write(rendition.resolve(name), new byte[(int) sizes[i]]);
            text.append("#EXTINF:").append(durations[i]).append(",\n").append(name).append('\n');
        }
        text.append("#EXT-X-ENDLIST\n");
        Path playlist = rendition.resolve("index.m3u8");
        Files.writeString(playlist, text);
        return MediaPlaylist.read(playlist);
    }

    @Test
    void thePeakIsTheFastestSegmentAndTheAverageIsOverTheWholeDuration() throws IOException {
        // 10 kbit/s, 20 kbit/s, then 3.5 s at 40 kbit/s: not shorter than half the 6 s target, so it counts
        MediaPlaylist p = renditionWithSegments(6, new double[] {6.0, 6.0, 3.5}, new long[] {7_500, 15_000, 17_500});

        SegmentRates rates = SegmentRates.measure(p);

        assertThat(rates.peakBps()).isEqualTo(40_000);
        assertThat(rates.totalBytes()).isEqualTo(40_000);
        assertThat(rates.averageBps()).isEqualTo(Math.round(40_000 * 8 / 15.5));
    }

    @Test
    void aShortLastSegmentCountsTowardsThePeakTogetherWithTheOneBeforeIt() throws IOException {
        // the 2 s tail runs at 40 kbit/s but is shorter than half the 6 s target: alone it is no
        // window (RFC 8216 4.1); with the 6 s before it, 8 s at 25 kbit/s
        MediaPlaylist p = renditionWithSegments(6, new double[] {6.0, 6.0, 2.0}, new long[] {7_500, 15_000, 10_000});

        SegmentRates rates = SegmentRates.measure(p);

        assertThat(rates.peakBps()).isEqualTo(25_000);
        assertThat(rates.totalBytes()).isEqualTo(32_500);
        assertThat(rates.averageBps()).isEqualTo(18_571);   // 260000 bits / 14 s
    }

    @Test
    void aShortDenseLastSegmentCannotPullTheAverageAboveThePeak() throws IOException {
        // a 7 s clip at 6 s segments: 6 s at 800 kbit/s, then 1 s that opens with a keyframe at 1600 kbit/s
        MediaPlaylist p = renditionWithSegments(6, new double[] {6.0, 1.0}, new long[] {600_000, 200_000});

        SegmentRates rates = SegmentRates.measure(p);

        assertThat(rates.averageBps()).isEqualTo(914_286);   // 6400000 bits / 7 s
        assertThat(rates.peakBps()).isEqualTo(914_286).isGreaterThanOrEqualTo(rates.averageBps());
    }

    @Test
    void aFewMillisecondsOfAudioAfterTheVideoDoNotPoseAsASpike() throws IOException {
        // 20 ms with a 1 kB fragment would read as 400 kbit/s on its own
        MediaPlaylist p = renditionWithSegments(6, new double[] {6.016, 0.02}, new long[] {96_000, 1_000});

        SegmentRates rates = SegmentRates.measure(p);

        assertThat(rates.peakBps()).isEqualTo(Math.round(97_000 * 8 / 6.036)).isLessThan(130_000);
        assertThat(rates.peakBps()).isGreaterThanOrEqualTo(rates.averageBps());
    }

    @Test
    void thePeakIsNeverBelowTheAverageWhereNoWindowCoversTheDenseSegments() throws IOException {
        // 2.9 s alone is under half the 6 s target and 2.9 + 6.4 s over one and a half: only the
        // slow middle segment is a window
        MediaPlaylist p = renditionWithSegments(6, new double[] {2.9, 6.4, 2.9}, new long[] {36_250, 8_000, 36_250});

        SegmentRates rates = SegmentRates.measure(p);

        assertThat(rates.averageBps()).isEqualTo(Math.round(80_500 * 8 / 12.2));
        assertThat(rates.peakBps()).isEqualTo(rates.averageBps());
    }

    @Test
    void ratesWithThePeakBelowTheAverageAreRefused() {
        assertThatThrownBy(() -> new SegmentRates(2_740_980, 2_749_069, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("peakBps 2740980 cannot be below averageBps 2749069");
    }

    @Test
    void aShortOnlySegmentStillSetsThePeak() throws IOException {
        MediaPlaylist p = renditionWithSegments(6, new double[] {2.0}, new long[] {10_000});

        SegmentRates rates = SegmentRates.measure(p);

        assertThat(rates.peakBps()).isEqualTo(40_000);
        assertThat(rates.averageBps()).isEqualTo(40_000);
    }

    @Test
    void aShortSegmentInTheMiddleCountsTowardsThePeakWithANeighbour() throws IOException {
        // 2 s at 40 kbit/s beside 6 s at 10 kbit/s: 8 s at 17.5 kbit/s
        MediaPlaylist p = renditionWithSegments(6, new double[] {6.0, 2.0, 6.0}, new long[] {7_500, 10_000, 7_500});

        assertThat(SegmentRates.measure(p).peakBps()).isEqualTo(17_500);
    }

    @Test
    void aMissingSegmentFileIsAVerificationFailure() throws IOException {
        MediaPlaylist p = renditionWithSegments(6, new double[] {6.0, 6.0}, new long[] {7_500, 15_000});
        Files.delete(dir.resolve("720p/seg_00001.m4s"));

        assertThatThrownBy(() -> SegmentRates.measure(p))
                .isInstanceOf(SpoolError.class)
                .hasFieldOrPropertyWithValue("code", SpoolError.Code.VERIFICATION)
                .hasMessageContaining("seg_00001.m4s");
    }

    @Test
    void measuredRatesFeedTheMasterPlaylist() throws IOException {
        MediaPlaylist p = renditionWithSegments(6, new double[] {6.0, 6.0, 2.0}, new long[] {7_500, 15_000, 10_000});
        var variant = new MasterPlaylist.Variant("720p/index.m3u8", SegmentRates.measure(p), 1280, 720, 30.0, "avc1.64001F");

        MasterPlaylistFile master = roundTrip(MasterPlaylist.render(List.of(variant), Optional.empty()));

        assertThat(master.variants().get(0).attributes())
                .containsEntry("BANDWIDTH", "25000")
                .containsEntry("AVERAGE-BANDWIDTH", "18571")
                .containsEntry("FRAME-RATE", "30.000");
    }

    @Test
    void containerLanguageCodesBecomeTwoLetterTags() {
        assertThat(MasterPlaylist.languageTag("fra")).isEqualTo("fr");
        assertThat(MasterPlaylist.languageTag("ger")).isEqualTo("de");
        assertThat(MasterPlaylist.languageTag("und")).isEqualTo("und");
        assertThat(MasterPlaylist.languageTag("")).isEqualTo("und");
    }
}
