package dev.spool.coordinator.queue;

import java.time.Instant;

/**
 * A pool's desired worker count as the database holds it: the count, when it last changed, since
 * when the policy has wanted fewer (null: it does not), and the row's version, which every write
 * bumps (a write names the version it read, so two coordinators cannot both change it).
 */
public record ScaleState(String pool, int desired, Instant changedAt, Instant lowSince, long version) {
    public ScaleState {
        if (pool == null || pool.isBlank()) throw new IllegalArgumentException("pool is required");
        if (desired < 0) throw new IllegalArgumentException("desired must be >= 0");
        if (changedAt == null) throw new IllegalArgumentException("changedAt is required");
    }
}
