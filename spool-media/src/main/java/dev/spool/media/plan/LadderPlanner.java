package dev.spool.media.plan;

import dev.spool.model.encode.Rung;
import dev.spool.model.encode.VideoCodec;
import dev.spool.media.probe.VideoStream;
import dev.spool.model.SpoolError;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the renditions for a source. Each rung is a bounding box turned to the source's
 * orientation; the picture is fitted inside it keeping the display aspect ratio, never enlarged,
 * and rounded to even sizes. Rungs whose box the source already fits in are dropped but for the
 * smallest of them, which carries the source at its own size.
 */
public final class LadderPlanner {
    /** A picture much smaller than its box still needs some bits: the cap never drops below this share. */
    private static final double MIN_BITRATE_SHARE = 0.25;

    private LadderPlanner() {}

    /** Plans the ladder; {@code wanted} names rungs to keep (empty: all that fit). */
    public static List<Rendition> plan(VideoStream video, List<String> wanted, VideoCodec codec) {
        List<Rung> candidates = wanted.isEmpty() ? Rung.DEFAULTS : wanted.stream().map(Rung::named).distinct()
                .sorted((a, b) -> Long.compare(b.boxPixels(), a.boxPixels())).toList();
        double[] display = {video.displayWidthExact(), video.displayHeightExact()};
        boolean portrait = display[1] > display[0];
        List<Rendition> plan = new ArrayList<>();
        for (Rung rung : Rung.DEFAULTS) {
            int boxW = portrait ? rung.boxHeight() : rung.boxWidth();
            int boxH = portrait ? rung.boxWidth() : rung.boxHeight();
            double scale = Math.min(1.0, Math.min(boxW / display[0], boxH / display[1]));
            boolean fitsWhole = scale >= 1.0;
            if (fitsWhole && nextRungAlsoFits(rung, display, portrait)) continue;   // a smaller box holds it too
            if (!candidates.contains(rung)) continue;
            // at full size, round odd sizes down: rounding up would enlarge the picture by a pixel
            int width = fitsWhole ? evenBelow(display[0]) : even(display[0] * scale);
            int height = fitsWhole ? evenBelow(display[1]) : even(display[1] * scale);
            String name = fitsWhole && width < boxW && height < boxH ? Math.min(width, height) + "p" : rung.name();
            double share = Math.max(MIN_BITRATE_SHARE, (double) width * height / rung.boxPixels());
            int kbps = (int) Math.round(rung.kbps() * Math.min(1.0, share) * codec.bitrateFactor());
            plan.add(new Rendition(name, width, height, kbps));
        }
        if (plan.isEmpty()) {
            throw SpoolError.invalid("renditions", "asks only for rungs above the source ("
                    + even(display[0]) + "x" + even(display[1]) + "), and Spool never upscales");
        }
        return List.copyOf(plan);
    }

    private static boolean nextRungAlsoFits(Rung rung, double[] display, boolean portrait) {
        int i = Rung.DEFAULTS.indexOf(rung);
        if (i + 1 >= Rung.DEFAULTS.size()) return false;
        Rung next = Rung.DEFAULTS.get(i + 1);
        int boxW = portrait ? next.boxHeight() : next.boxWidth();
        int boxH = portrait ? next.boxWidth() : next.boxHeight();
        return display[0] <= boxW && display[1] <= boxH;
    }

    static int evenBelow(double size) {
        return Math.max(2, 2 * (int) Math.floor((size + 1e-6) / 2));
    }

    static int even(double size) {
        return Math.max(2, 2 * (int) Math.round(size / 2));
    }
}
