package dev.spool.coordinator.api;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code perSecond}. Pure arithmetic over
 * an injected nanosecond clock, so tests step time instead of sleeping. {@link #take} refuses what
 * the bucket cannot cover; {@link #spend} takes it all the same and leaves a debt, for bytes that
 * are counted only as they arrive (a stream cannot be refused after it was read).
 */
final class TokenBucket {
    private static final double NANOS = 1e9;

    private final double perNano;
    private final double burst;
    private final LongSupplier nanos;
    private double level;
    private long last;

    TokenBucket(double perSecond, double burst, LongSupplier nanos) {
        if (!(perSecond > 0)) throw new IllegalArgumentException("rate must be positive");
        if (!(burst >= 1)) throw new IllegalArgumentException("burst must be at least 1");
        this.perNano = perSecond / NANOS;
        this.burst = burst;
        this.nanos = nanos;
        this.level = burst;
        this.last = nanos.getAsLong();
    }

    /** Takes {@code n} tokens and answers 0, or takes none and answers the nanoseconds until they are there. */
    synchronized long take(double n) {
        refill();
        if (level >= n) {
            level -= n;
            return 0;
        }
        return nanosUntil(Math.min(n, burst));
    }

    /** Takes {@code n} tokens even if that leaves a debt; answers the nanoseconds until the debt is repaid (0: none). */
    synchronized long spend(double n) {
        refill();
        level -= n;
        return level >= 0 ? 0 : nanosUntil(0);
    }

    /** The nanoseconds until the bucket holds something again (0: it does now). */
    synchronized long debtNanos() {
        refill();
        return level > 0 ? 0 : nanosUntil(Math.min(1, burst));
    }

    /** Whether it is full: nothing taken for a while, so forgetting it changes nothing. */
    synchronized boolean full() {
        refill();
        return level >= burst;
    }

    private long nanosUntil(double wanted) {
        return Math.max(1, (long) Math.ceil((wanted - level) / perNano));
    }

    private void refill() {
        long now = nanos.getAsLong();
        long elapsed = now - last;
        if (elapsed > 0) {
            level = Math.min(burst, level + elapsed * perNano);
            last = now;
        }
    }
}
