package dev.spool.media.encode;

import dev.spool.model.encode.Ratio;
import dev.spool.media.probe.VideoStream;

import java.util.List;

/**
 * The constant frame rate a ladder is encoded at. Constant, because segment boundaries and frame
 * counts must be predictable; variable-rate sources (phones, screen captures) take the nearest
 * broadcast rate, odd nominal rates snap to one within 3%; rates above 60 fps are halved until
 * they fit, as players and TVs expect.
 */
public final class OutputFrameRate {
    private static final double MAX_FPS = 60.0;
    private static final double SNAP_TOLERANCE = 0.03;
    private static final List<Ratio> STANDARD = List.of(
            new Ratio(24000, 1001), new Ratio(24, 1), new Ratio(25, 1), new Ratio(30000, 1001),
            new Ratio(30, 1), new Ratio(50, 1), new Ratio(60000, 1001), new Ratio(60, 1));
    private static final Ratio FALLBACK = new Ratio(30, 1);

    private OutputFrameRate() {}

    public static Ratio of(VideoStream video) {
        Ratio rate = video.frameRate().known() ? video.frameRate() : FALLBACK;
        while (rate.value() > MAX_FPS + 0.01) rate = new Ratio(rate.num(), rate.den() * 2);
        // an irregular clock has no rate of its own worth keeping: take the nearest broadcast rate
        if (video.variableFrameRate()) return nearest(rate);
        if (rate.den() > 1001) rate = snap(rate);
        return rate;
    }

    private static Ratio nearest(Ratio rate) {
        Ratio best = STANDARD.get(0);
        for (Ratio standard : STANDARD)
            if (Math.abs(standard.value() - rate.value()) < Math.abs(best.value() - rate.value())) best = standard;
        return best;
    }

    private static Ratio snap(Ratio rate) {
        Ratio best = null;
        for (Ratio standard : STANDARD) {
            double error = Math.abs(standard.value() - rate.value()) / standard.value();
            if (error <= SNAP_TOLERANCE && (best == null || error < Math.abs(best.value() - rate.value()) / best.value()))
                best = standard;
        }
        return best != null ? best : new Ratio(Math.round(rate.value() * 1000), 1000);
    }
}
