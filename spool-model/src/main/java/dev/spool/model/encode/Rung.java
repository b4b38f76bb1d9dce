package dev.spool.model.encode;

import dev.spool.model.SpoolError;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One step of the default ladder: a bounding box (landscape; turned for portrait sources) and the
 * H.264 bitrate cap for a picture that fills it. Rates follow common streaming practice (Apple's
 * HLS authoring guidelines, YouTube's recommendations), trimmed for capped-CRF encoding.
 */
public record Rung(String name, int boxWidth, int boxHeight, int kbps) {

    /** The default table, highest first. */
    public static final List<Rung> DEFAULTS = List.of(
            new Rung("2160p", 3840, 2160, 14000),
            new Rung("1440p", 2560, 1440, 9000),
            new Rung("1080p", 1920, 1080, 5000),
            new Rung("720p", 1280, 720, 2800),
            new Rung("480p", 854, 480, 1400),
            new Rung("360p", 640, 360, 800),
            new Rung("240p", 426, 240, 400));

    public static Rung named(String name) {
        String wanted = name.strip().toLowerCase();
        return DEFAULTS.stream().filter(r -> r.name.equals(wanted)).findFirst()
                .orElseThrow(() -> SpoolError.invalid("renditions", "has an unknown rung '" + name.strip()
                        + "'; known rungs: " + DEFAULTS.stream().map(Rung::name).collect(Collectors.joining(","))));
    }

    public long boxPixels() { return (long) boxWidth * boxHeight; }
}
