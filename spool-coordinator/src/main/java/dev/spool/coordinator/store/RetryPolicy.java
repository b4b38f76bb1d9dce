package dev.spool.coordinator.store;

import java.time.Duration;

/**
 * Seed 000's retry policy: a failed or abandoned task waits retry_delay x multiplier^attempt
 * before it can be claimed again, and gives up after maxRetries retries.
 */
public record RetryPolicy(int maxRetries, Duration retryDelay, double multiplier) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(10), 2.0);

    public RetryPolicy {
        if (maxRetries < 0 || maxRetries > 100) throw new IllegalArgumentException("max_retries must be 0..100: " + maxRetries);
        if (retryDelay.isNegative()) throw new IllegalArgumentException("retry_delay cannot be negative");
        if (multiplier < 1) throw new IllegalArgumentException("backoff multiplier must be >= 1: " + multiplier);
    }

    /** The wait before the given retry (1 = first retry). */
    public Duration delayBefore(int retry) {
        double millis = retryDelay.toMillis() * Math.pow(multiplier, Math.max(0, retry - 1));
        return Duration.ofMillis((long) Math.min(millis, Duration.ofHours(1).toMillis()));
    }

    public int maxAttempts() { return maxRetries + 1; }
}
