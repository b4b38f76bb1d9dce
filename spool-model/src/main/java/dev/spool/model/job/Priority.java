package dev.spool.model.job;

import dev.spool.model.SpoolError;
import java.util.Locale;

/** Job priority; claims take HIGH before NORMAL before LOW, then the oldest first. */
public enum Priority {
    HIGH, NORMAL, LOW;

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Priority parse(String text) {
        if (text == null) return NORMAL;
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SpoolError.invalid("priority", "must be HIGH, NORMAL or LOW, not '" + text + "'");
        }
    }

    /** Sort key: lower runs first. */
    public int rank() { return ordinal(); }

    public static Priority ofRank(int rank) { return values()[rank]; }
}
