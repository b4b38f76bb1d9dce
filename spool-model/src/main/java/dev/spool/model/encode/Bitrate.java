package dev.spool.model.encode;

import dev.spool.model.SpoolError;

import java.util.Locale;

/**
 * Reads a bitrate as people and seed 000 write it: "128k", "3M", "2.5M", or a plain number of
 * bits per second (seed 000's {@code audio_bitrate: 128_000}). The result is in kb/s.
 */
public final class Bitrate {
    private Bitrate() {}

    /** {@code name}: the field or flag the text came from, for the message. */
    public static int kbps(String name, String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace("_", "");
        try {
            if (t.matches("\\d{1,6}(\\.\\d{1,3})?k")) return (int) Math.round(Double.parseDouble(t.substring(0, t.length() - 1)));
            if (t.matches("\\d{1,3}(\\.\\d{1,3})?m")) return (int) Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000);
            if (t.matches("\\d{1,10}")) return (int) Math.round(Long.parseLong(t) / 1000.0);
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw SpoolError.invalid(name, "must look like 128k, 3M or 128000 (bits per second), not '" + (text == null ? "" : text.strip()) + "'");
    }
}
