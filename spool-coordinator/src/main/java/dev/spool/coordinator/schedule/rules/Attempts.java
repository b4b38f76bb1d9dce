package dev.spool.coordinator.schedule.rules;

/**
 * When an attempt at a task ends badly, whether the task is tried again or its job fails for good
 * (seeds 000 and 002). Plain logic: the queue applies the verdict under the job's lock.
 */
public final class Attempts {
    private Attempts() {}

    /** What becomes of a task whose attempt ended. */
    public enum Verdict {
        /** Back in the queue, after the retry policy's backoff. */
        RETRY,
        /** The task fails and its job with it; a person has to look (see {@link #escalation}). */
        GIVE_UP
    }

    /**
     * A failure the worker reported. An input problem may be one worker's (a missing mount): it is
     * retried once, but the same error twice is final; any failure after the last attempt is final.
     */
    public static Verdict afterFailure(int attempt, int maxAttempts, boolean retryable, String error, String previousError) {
        boolean sameAgain = error.equals(previousError);
        return attempt >= maxAttempts || (!retryable && sameAgain) ? Verdict.GIVE_UP : Verdict.RETRY;
    }

    /** An attempt taken from its worker (lease expired, over its time limit, worker restarted): final only after the last. */
    public static Verdict afterLoss(int attempt, int maxAttempts) {
        return attempt >= maxAttempts ? Verdict.GIVE_UP : Verdict.RETRY;
    }

    /** Seed 002's escalation: why retrying on its own will not help, as the job's attention flag says. */
    public static String escalation(int attempt, int maxAttempts, String lastError) {
        String why = attempt >= maxAttempts
                ? "retries used up: all " + attempt + " attempt" + (attempt == 1 ? "" : "s") + " failed"
                : "failed for good on attempt " + attempt + " (the same error again: retrying cannot help)";
        return why + "; last error: " + lastError;
    }
}
