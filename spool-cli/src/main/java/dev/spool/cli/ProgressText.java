package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How progress reads on a terminal: a bar with its percent once, the time so far, and only the
 * figures there are; an unknown rate or ETA is left out, never shown as "?", "-1s" or "0 fps".
 */
final class ProgressText {
    private static final int BAR_CELLS = 25;
    private static final String[] PARTIAL = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};

    private ProgressText() {}

    /** "61.0 fps  2.03x  eta 0:20", with each part only when known (fps and speed above 0, eta 0 or more). */
    static String figures(double fps, double speed, long etaSec) {
        List<String> parts = new ArrayList<>();
        if (fps > 0) parts.add(String.format(Locale.ROOT, "%.1f fps", fps));
        if (speed > 0) parts.add(String.format(Locale.ROOT, "%.2fx", speed));
        if (etaSec >= 0) parts.add("eta " + clock(etaSec));
        return String.join("  ", parts);
    }

    /** One line of the bar: "encode  37% │█████████▎               │ 0:12  61.0 fps  2.03x  eta 0:20". */
    static String barLine(String task, double percent, Duration elapsed, String figures) {
        double p = Math.max(0, Math.min(100, percent));
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s %3d%% │%s│ %s", task, (int) Math.floor(p), cells(p),
                clock(elapsed.toSeconds())));
        if (!figures.isEmpty()) s.append("  ").append(figures);
        return s.toString();
    }

    /** "1800 frames, 60.0 s, 12.3 MB" from a job's {@code result}; empty when it has none. */
    static String result(JsonNode result) {
        List<String> parts = new ArrayList<>();
        if (result.hasNonNull("frames_encoded")) parts.add(result.path("frames_encoded").asLong() + " frames");
        if (result.hasNonNull("duration_seconds"))
            parts.add(String.format(Locale.ROOT, "%.1f s", result.path("duration_seconds").asDouble()));
        if (result.hasNonNull("output_size_bytes")) parts.add(megabytes(result.path("output_size_bytes").asLong()));
        return String.join(", ", parts);
    }

    /** 0:07, 12:34, 1:02:03. */
    static String clock(long seconds) {
        long s = Math.max(0, seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static String megabytes(long bytes) {
        return bytes >= 1_000_000 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6) : String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
    }

    private static String cells(double percent) {
        double filled = percent / 100 * BAR_CELLS;
        int whole = (int) Math.floor(filled);
        String partial = whole < BAR_CELLS ? PARTIAL[(int) Math.floor((filled - whole) * PARTIAL.length)] : "";
        return "█".repeat(whole) + partial + " ".repeat(BAR_CELLS - whole - (partial.isEmpty() ? 0 : 1));
    }
}
