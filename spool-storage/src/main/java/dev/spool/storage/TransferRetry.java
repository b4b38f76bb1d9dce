package dev.spool.storage;

import java.time.Duration;

/**
 * How long a transfer keeps trying through failures that may pass (a dropped connection, a
 * restarting server, a transfer that stalled by its {@link TransferStall} rule): attempts with
 * exponential backoff, capped. The default rides out about a minute of outage.
 */
public record TransferRetry(int attempts, Duration firstDelay, Duration maxDelay, TransferStall stall) {
    public static final TransferRetry DEFAULT = new TransferRetry(8, Duration.ofMillis(500), Duration.ofSeconds(15));

    public TransferRetry {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0)
            throw new IllegalArgumentException("delays must satisfy 0 <= first <= max, not " + firstDelay + " and " + maxDelay);
        stall = stall == null ? TransferStall.DEFAULT : stall;
    }

    /** With the default stall rule. */
    public TransferRetry(int attempts, Duration firstDelay, Duration maxDelay) {
        this(attempts, firstDelay, maxDelay, TransferStall.DEFAULT);
    }

    public TransferRetry withStall(TransferStall stall) {
        return new TransferRetry(attempts, firstDelay, maxDelay, stall);
    }

    /** Notes that attempt {@code attempt} of {@code what} failed, then waits before the next one. */
    void pauseAfter(int attempt, String what, String reason, TransferLog log) {
        pause(delayBefore(attempt), attempt, what, reason, log);
    }

    /** As {@link #pauseAfter}, for the time the server asked for (Retry-After), held to {@link RateLimited#MAX_WAIT}. */
    void pauseAsked(Duration asked, int attempt, String what, String reason, TransferLog log) {
        pause(asked.compareTo(RateLimited.MAX_WAIT) > 0 ? RateLimited.MAX_WAIT : asked, attempt, what, reason, log);
    }

    private void pause(Duration delay, int attempt, String what, String reason, TransferLog log) {
        log.note(what + ": attempt " + attempt + " failed (" + reason + "); retrying in " + delay.toMillis() + " ms");
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw dev.spool.model.SpoolError.interrupted("stopped while waiting to retry: " + what);
        }
    }

    public Duration delayBefore(int attempt) {
        long millis = firstDelay.toMillis() << Math.min(20, attempt - 1);
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }
}
