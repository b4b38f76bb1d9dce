package dev.spool.coordinator.store;

/**
 * Seed 002's escalation: a job whose task failed for good (its retries used up, or the same
 * input error twice) is marked as needing a person, with why; {@code retry} clears the mark.
 */
final class Escalation {
    private Escalation() {}

    /** What the job's attention flag says: why retrying on its own will not help. */
    static String reason(Task t, String lastError) {
        String why = t.attempt() >= t.maxAttempts()
                ? "retries used up: all " + t.attempt() + " attempt" + (t.attempt() == 1 ? "" : "s") + " failed"
                : "failed for good on attempt " + t.attempt() + " (the same error again: retrying cannot help)";
        return why + "; last error: " + lastError;
    }
}
