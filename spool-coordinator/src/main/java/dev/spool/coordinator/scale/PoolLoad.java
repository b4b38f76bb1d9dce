package dev.spool.coordinator.scale;

/**
 * What the policy sees of one pool at one moment.
 *
 * @param pool          the pool
 * @param queuedTasks   tasks waiting for a worker
 * @param queuedSeconds the media seconds of the waiting work (pieces, probed sources, estimates)
 * @param busySlots     tasks leased to its workers that are not draining
 * @param slots         task slots of its online workers that are not draining
 * @param workers       its online workers that are not draining
 */
public record PoolLoad(String pool, int queuedTasks, double queuedSeconds, int busySlots, int slots, int workers) {
    public PoolLoad {
        if (queuedTasks < 0 || queuedSeconds < 0 || busySlots < 0 || slots < 0 || workers < 0)
            throw new IllegalArgumentException("a pool's counts must be >= 0");
    }

    /** Busy slots over slots; with no slots, 1 when something runs (there is no room) and 0 when nothing does. */
    public double utilization() {
        if (slots == 0) return busySlots > 0 ? 1 : 0;
        return (double) busySlots / slots;
    }

    /** Slots per worker as the pool's workers have them (1 while none is online). */
    double slotsPerWorker() {
        return workers == 0 ? 1 : Math.max(1, (double) slots / workers);
    }
}
