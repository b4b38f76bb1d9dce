package dev.spool.storage;

import java.time.Duration;

/**
 * When a transfer counts as stalled, and so as a failed attempt that {@link TransferRetry} tries
 * again: no byte moved for {@code idle}, or fewer than {@code minBytes} over the last
 * {@code window} (a server trickling a byte a second would otherwise hold a task for ever).
 */
public record TransferStall(Duration idle, Duration window, long minBytes) {
    /** 30 s without a byte, or under 64 KiB in a minute (about 1 KiB/s). */
    public static final TransferStall DEFAULT = new TransferStall(Duration.ofSeconds(30), Duration.ofSeconds(60), 64 * 1024);

    public TransferStall {
        if (idle == null || idle.isNegative() || idle.isZero()) throw new IllegalArgumentException("idle must be positive, not " + idle);
        if (window == null || window.isNegative() || window.isZero())
            throw new IllegalArgumentException("window must be positive, not " + window);
        if (minBytes < 0) throw new IllegalArgumentException("minBytes must be at least 0, not " + minBytes);
    }

    /** A meter for one attempt, started now. */
    TransferMeter meter() {
        return new TransferMeter(this, System.nanoTime());
    }

    /** How often a watcher should look at a meter. */
    Duration checkEvery() {
        Duration shortest = idle.compareTo(window) < 0 ? idle : window;
        Duration quarter = shortest.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : quarter.isZero() ? Duration.ofMillis(1) : quarter;
    }
}
