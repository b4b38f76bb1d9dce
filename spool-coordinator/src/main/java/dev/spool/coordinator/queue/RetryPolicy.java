package dev.spool.coordinator.queue;

import dev.spool.model.SpoolError;

import java.time.Duration;

/**
 * Seed 000's retry policy: a failed or abandoned task waits retry_delay x multiplier^attempt
 * before it can be claimed again, and gives up after maxRetries retries.
 */
public record RetryPolicy(int maxRetries, Duration retryDelay, double multiplier) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(10), 2.0);

    /** Each bad value is refused naming the coordinator option that sets it. */
    public RetryPolicy {
        if (maxRetries < 0 || maxRetries > 100) throw SpoolError.invalid("--max-retries", "must be between 0 and 100, not " + maxRetries);
        if (retryDelay == null || retryDelay.isNegative()) throw SpoolError.invalid("--retry-delay", "cannot be negative");
        if (!(multiplier >= 1) || Double.isInfinite(multiplier))
            throw SpoolError.invalid("--backoff", "must be a number of 1 or more, not " + multiplier);
    }

    /** The wait before the given retry (1 = first retry). */
    public Duration delayBefore(int retry) {
        double millis = retryDelay.toMillis() * Math.pow(multiplier, Math.max(0, retry - 1));
        return Duration.ofMillis((long) Math.min(millis, Duration.ofHours(1).toMillis()));
    }

    public int maxAttempts() { return maxRetries + 1; }
}
