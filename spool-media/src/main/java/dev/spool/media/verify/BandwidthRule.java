package dev.spool.media.verify;

import java.util.Map;
import java.util.Optional;

/**
 * RFC 8216 section 4.3.4.2: a variant's BANDWIDTH is its peak segment bit rate and its
 * AVERAGE-BANDWIDTH the average over the whole presentation, so the first is never below the
 * second. A player picks variants by them; both must be there and tell the truth.
 */
final class BandwidthRule {
    private BandwidthRule() {}

    /** Why a variant's EXT-X-STREAM-INF attributes break the rule; empty when they keep it. */
    static Optional<String> problem(Map<String, String> attributes) {
        Optional<Long> peak = bitsPerSecond(attributes.get("BANDWIDTH"));
        Optional<Long> average = bitsPerSecond(attributes.get("AVERAGE-BANDWIDTH"));
        if (peak.isEmpty()) return Optional.of(describe("BANDWIDTH", attributes));
        if (average.isEmpty()) return Optional.of(describe("AVERAGE-BANDWIDTH", attributes));
        if (peak.get() < average.get())
            return Optional.of("BANDWIDTH " + peak.get() + " is below AVERAGE-BANDWIDTH " + average.get());
        return Optional.empty();
    }

    /** What the check reports when it passes. */
    static String summary(Map<String, String> attributes) {
        return "BANDWIDTH " + attributes.get("BANDWIDTH") + ", AVERAGE-BANDWIDTH " + attributes.get("AVERAGE-BANDWIDTH");
    }

    private static String describe(String name, Map<String, String> attributes) {
        String value = attributes.get(name);
        return value == null ? "no " + name : name + " '" + value + "' is not a whole number of bits per second";
    }

    private static Optional<Long> bitsPerSecond(String value) {
        if (value == null || !value.matches("[0-9]{1,18}")) return Optional.empty();
        return Optional.of(Long.parseLong(value));
    }
}
