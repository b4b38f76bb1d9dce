package dev.spool.model.protocol;

import dev.spool.model.SpoolError;

/** Job ids as the coordinator makes them ("job_" + base-36 time + random), checked before any lookup. */
public final class JobIds {
    private static final String PATTERN = "job_[a-z0-9]{10,40}";

    private JobIds() {}

    /** The id, or a 400 naming {@code field} when it cannot be one of ours. */
    public static String check(String field, String id) {
        if (id == null || !id.matches(PATTERN)) {
            String shown = id == null ? "" : id.length() > 60 ? id.substring(0, 60) + "..." : id;
            throw SpoolError.invalid(field, "is malformed: '" + shown + "'");
        }
        return id;
    }
}
