package dev.spool.media.plan;

import dev.spool.model.encode.VideoCodec;
import dev.spool.model.encode.Ratio;
import dev.spool.media.probe.VideoStream;
import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

class LadderPlannerTest {

    private static VideoStream video(int width, int height) {
        return video(width, height, 0, Ratio.ONE);
    }

    private static VideoStream video(int width, int height, int rotation, Ratio sampleAspect) {
        return new VideoStream(0, "h264", width, height, rotation, sampleAspect, new Ratio(30, 1), false,
                "yuv420p", 8, "bt709", 60.0);
    }

    /** Plans with every default rung and H.264, and checks what must hold for any ladder. */
    private static List<Rendition> planAll(VideoStream source) {
        return checked(source, LadderPlanner.plan(source, List.of(), VideoCodec.H264));
    }

    private static List<Rendition> checked(VideoStream source, List<Rendition> plan) {
        double aspect = source.displayAspect();
        long maxWidth = 2 * Math.round(source.displayWidthExact() / 2);
        long maxHeight = 2 * Math.round(source.displayHeightExact() / 2);
        assertThat(plan).isNotEmpty();
        for (Rendition r : plan) {
            assertThat(r.width() % 2).as("%s width %d is even", r.name(), r.width()).isZero();
            assertThat(r.height() % 2).as("%s height %d is even", r.name(), r.height()).isZero();
            assertThat(Math.abs((double) r.width() / r.height() / aspect - 1))
                    .as("%s %dx%d keeps the display aspect %.4f within 1%%", r.name(), r.width(), r.height(), aspect)
                    .isLessThan(0.01);
            assertThat(r.width()).as("%s is not wider than the display", r.name()).isLessThanOrEqualTo((int) maxWidth);
            assertThat(r.height()).as("%s is not taller than the display", r.name()).isLessThanOrEqualTo((int) maxHeight);
        }
        assertThat(plan).extracting(Rendition::name).doesNotHaveDuplicates();
        return plan;
    }

    @Test
    void aFullHdLandscapeSourceGetsEveryRungFrom1080pDown() {
        assertThat(planAll(video(1920, 1080)))
                .extracting(Rendition::name, Rendition::width, Rendition::height)
                .containsExactly(
                        tuple("1080p", 1920, 1080),
                        tuple("720p", 1280, 720),
                        tuple("480p", 854, 480),
                        tuple("360p", 640, 360),
                        tuple("240p", 426, 240));
    }

    @Test
    void aFullHdSourceGetsTheDefaultH264Caps() {
        assertThat(planAll(video(1920, 1080))).extracting(Rendition::maxrateKbps)
                .containsExactly(5000, 2800, 1400, 800, 400);
    }

    @Test
    void aRotatedPortraitPhoneVideoGetsPortraitRungs() {
        assertThat(planAll(video(1920, 1080, 90, Ratio.ONE)))
                .extracting(Rendition::name, Rendition::width, Rendition::height)
                .containsExactly(
                        tuple("1080p", 1080, 1920),
                        tuple("720p", 720, 1280),
                        tuple("480p", 480, 854),
                        tuple("360p", 360, 640),
                        tuple("240p", 240, 426));
    }

    @Test
    void aVideoRotatedByTwoSeventyIsPortraitToo() {
        assertThat(planAll(video(1280, 720, 270, Ratio.ONE)))
                .extracting(Rendition::width, Rendition::height)
                .first().isEqualTo(tuple(720, 1280));
    }

    @Test
    void aVideoTurnedUpsideDownStaysLandscape() {
        assertThat(planAll(video(1920, 1080, 180, Ratio.ONE)))
                .extracting(Rendition::width, Rendition::height)
                .first().isEqualTo(tuple(1920, 1080));
    }

    @Test
    void oddSourceSizesAreRoundedToEvenWithoutExceedingTheSource() {
        List<Rendition> plan = planAll(video(1279, 719));

        Rendition top = plan.get(0);
        assertThat(top.width() <= 1279 && top.height() <= 719)
                .as("top rung %dx%d fits inside the 1279x719 source (never enlarged)", top.width(), top.height())
                .isTrue();
        assertThat(plan).extracting(Rendition::name).doesNotContain("1080p");
    }

    @Test
    void aFourByThreeSourceIsFittedByHeight() {
        assertThat(planAll(video(1440, 1080)))
                .extracting(Rendition::name, Rendition::width, Rendition::height)
                .startsWith(tuple("1080p", 1440, 1080), tuple("720p", 960, 720), tuple("480p", 640, 480));
    }

    @Test
    void anAnamorphicDvdSourceIsShownWithSquarePixelsAtItsDisplayWidth() {
        VideoStream ntscWide = video(720, 480, 0, new Ratio(32, 27));
        assertThat(ntscWide.displayWidthExact()).isCloseTo(853.33, within(0.01));

        List<Rendition> plan = planAll(ntscWide);

        // 853.33 rounds down at full size: rounding up would stretch the picture past the source
        assertThat(plan.get(0)).extracting(Rendition::name, Rendition::width, Rendition::height)
                .containsExactly("480p", 852, 480);
        assertThat(plan).extracting(Rendition::name).containsExactly("480p", "360p", "240p");
    }

    @Test
    void aHdReadySourceHasNo1080pRung() {
        List<Rendition> plan = planAll(video(1280, 720));

        assertThat(plan).extracting(Rendition::name).doesNotContain("1080p", "1440p", "2160p");
        assertThat(plan.get(0)).extracting(Rendition::name, Rendition::width, Rendition::height)
                .containsExactly("720p", 1280, 720);
    }

    @Test
    void aSourceSmallerThanEveryRungGetsOneRungNamedForItsOwnHeight() {
        assertThat(planAll(video(320, 180)))
                .extracting(Rendition::name, Rendition::width, Rendition::height)
                .containsExactly(tuple("180p", 320, 180));
    }

    @Test
    void aCinemascopeSourceKeepsItsWidthAndTheRungNames() {
        assertThat(planAll(video(1920, 800)))
                .extracting(Rendition::name, Rendition::width, Rendition::height)
                .startsWith(tuple("1080p", 1920, 800), tuple("720p", 1280, 534));
    }

    @Test
    void aPictureSmallerThanItsBoxGetsAProportionallyLowerCap() {
        // 1920x800 fills 1536000 / 2073600 of the 1080p box: 5000 kbps scaled to 3704
        assertThat(planAll(video(1920, 800)).get(0).maxrateKbps()).isEqualTo(3704);
    }

    @Test
    void namedRenditionsKeepOnlyThoseRungs() {
        VideoStream source = video(1920, 1080);
        List<Rendition> plan = checked(source, LadderPlanner.plan(source, List.of("720p", "480p"), VideoCodec.H264));

        assertThat(plan).extracting(Rendition::name, Rendition::width, Rendition::height)
                .containsExactly(tuple("720p", 1280, 720), tuple("480p", 854, 480));
    }

    @Test
    void namedRenditionsComeOutHighestFirstWhateverTheOrderAsked() {
        VideoStream source = video(1920, 1080);

        assertThat(LadderPlanner.plan(source, List.of("240p", "1080p", "720P"), VideoCodec.H264))
                .extracting(Rendition::name).containsExactly("1080p", "720p", "240p");
    }

    @Test
    void anUnknownRungNameIsRejectedNamingTheRenditionsOption() {
        assertThatThrownBy(() -> LadderPlanner.plan(video(1920, 1080), List.of("720p", "900p"), VideoCodec.H264))
                .isInstanceOf(SpoolError.class)
                .hasFieldOrPropertyWithValue("field", "renditions")
                .hasFieldOrPropertyWithValue("code", SpoolError.Code.INVALID)
                .hasMessageContaining("900p");
    }

    @Test
    void askingOnlyForRungsAboveTheSourceIsRejectedRatherThanUpscaled() {
        assertThatThrownBy(() -> LadderPlanner.plan(video(1280, 720), List.of("1080p", "2160p"), VideoCodec.H264))
                .isInstanceOf(SpoolError.class)
                .hasFieldOrPropertyWithValue("field", "renditions")
                .hasFieldOrPropertyWithValue("code", SpoolError.Code.INVALID)
                .hasMessageContaining("1280x720");
    }

    @Test
    void hevcCapsAreSevenTenthsOfTheH264Caps() {
        VideoStream source = video(1920, 1080);
        List<Rendition> h264 = LadderPlanner.plan(source, List.of(), VideoCodec.H264);
        List<Rendition> hevc = checked(source, LadderPlanner.plan(source, List.of(), VideoCodec.HEVC));

        assertThat(hevc).extracting(Rendition::name, Rendition::width, Rendition::height)
                .containsExactlyElementsOf(h264.stream().map(r -> tuple(r.name(), r.width(), r.height())).toList());
        assertThat(hevc).extracting(Rendition::maxrateKbps).containsExactly(3500, 1960, 980, 560, 280);
        for (int i = 0; i < h264.size(); i++) {
            assertThat(hevc.get(i).maxrateKbps()).isEqualTo((int) Math.round(h264.get(i).maxrateKbps() * 0.7));
        }
    }

    @Test
    void theBufferHoldsTwoSecondsAtTheCap() {
        assertThat(planAll(video(1920, 1080)).get(0).bufsizeKbps()).isEqualTo(10000);
    }
}
