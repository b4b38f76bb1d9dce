package dev.spool.coordinator.api;

import dev.spool.model.ByteSize;
import dev.spool.model.SpoolError;


/**
 * The coordinator's rate and size limits. Per token: requests per second and bytes per second (request
 * bodies and upload streams), each with a burst; per client address: requests with a bad or missing token,
 * so guessing tokens is slow; and the largest upload. A null rate is off.
 *
 * <p>The defaults leave room for the cluster the coordinator is meant for: 200 workers each syncing every
 * 10 s and reporting progress every few seconds are well under 100 requests a second, shared or not (seed-001
 * workers share the join token), and a busy client polling many jobs is far under 200 a second with 1000 of
 * burst.
 */
public record Limits(Rate requests, Rate bytes, Rate badTokens, long maxUploadBytes) {
    public static final Rate DEFAULT_REQUESTS = new Rate(200, 1000);
    public static final Rate DEFAULT_BYTES = new Rate(2L << 30, 4L << 30);
    public static final Rate DEFAULT_BAD_TOKENS = new Rate(2, 20);
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 64L << 30;
    /** No limit on uploads (--max-upload-bytes off). */
    public static final long UNLIMITED = Long.MAX_VALUE;
    public static final Limits DEFAULTS = new Limits(DEFAULT_REQUESTS, DEFAULT_BYTES, DEFAULT_BAD_TOKENS, DEFAULT_MAX_UPLOAD_BYTES);
    /** Every limit off but the per-route body sizes (the dispatch bench drives thousands of workers through one token). */
    public static final Limits OFF = new Limits(null, null, null, UNLIMITED);

    public Limits {
        if (maxUploadBytes <= 0) throw SpoolError.invalid("--max-upload-bytes", "must be positive");
    }

    /** So many per second, with room for {@code burst} at once. */
    public record Rate(long perSecond, long burst) {
        public Rate {
            if (perSecond <= 0) throw new IllegalArgumentException("perSecond must be positive");
            if (burst < 1) throw new IllegalArgumentException("burst must be at least 1");
        }

        /**
         * "200:1000" (per second : burst), sizes with K, M, G, T where {@code sizes}, or "off" (null).
         * A bad value names {@code flag}.
         */
        public static Rate parse(String flag, String text, boolean sizes) {
            String example = sizes ? "2G:4G" : "200:1000";
            if (text == null || text.isBlank()) throw SpoolError.invalid(flag, "needs RATE:BURST such as " + example + ", or off");
            if (text.strip().equalsIgnoreCase("off")) return null;
            String[] parts = text.strip().split(":", -1);
            if (parts.length != 2)
                throw SpoolError.invalid(flag, "must be RATE:BURST such as " + example + ", or off, not '" + text + "'");
            long rate = number(flag, parts[0], sizes, text, example);
            long burst = number(flag, parts[1], sizes, text, example);
            if (burst < rate) throw SpoolError.invalid(flag, "burst must be at least the rate, not '" + text + "'");
            return new Rate(rate, burst);
        }

        String describe(boolean sizes) {
            return sizes ? size(perSecond) + "/s burst " + size(burst) : perSecond + "/s burst " + burst;
        }
    }

    /** "64G", "512M", "1000" (bytes) or "off". A bad value names {@code flag}. */
    public static long parseSize(String flag, String text) {
        if (text != null && text.strip().equalsIgnoreCase("off")) return UNLIMITED;
        return number(flag, text == null ? "" : text, true, text, "64G");
    }

    private static long number(String flag, String part, boolean sizes, String whole, String example) {
        try {
            long n = sizes ? ByteSize.parse(part) : Long.parseLong(part.strip());
            if (n <= 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw SpoolError.invalid(flag, "must be " + (whole != null && whole.contains(":") || example.contains(":")
                    ? "RATE:BURST such as " + example : "a size such as " + example) + ", or off, not '" + whole + "'");
        }
    }

    static String size(long bytes) {
        String units = "KMGT";
        for (int i = units.length(); i >= 1; i--) {
            long unit = 1L << (10 * i);
            if (bytes >= unit && bytes % unit == 0) return bytes / unit + units.substring(i - 1, i);
        }
        return Long.toString(bytes);
    }

    public String describe() {
        return "rate_limit " + (requests == null ? "off" : requests.describe(false))
                + ", rate_limit_bytes " + (bytes == null ? "off" : bytes.describe(true))
                + ", rate_limit_bad_tokens " + (badTokens == null ? "off" : badTokens.describe(false))
                + ", max_upload " + (maxUploadBytes == UNLIMITED ? "off" : size(maxUploadBytes));
    }
}
