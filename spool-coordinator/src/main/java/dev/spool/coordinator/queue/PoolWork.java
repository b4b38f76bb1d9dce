package dev.spool.coordinator.queue;

/**
 * The work of one pool as the autoscaler weighs it: tasks waiting (queued, or blocked behind their
 * job's other tasks) and the seconds of media they will encode, and the tasks leased now.
 *
 * @param pool          the pool
 * @param queuedTasks   tasks a worker could take now or once their backoff passes (not the blocked ones)
 * @param queuedSeconds the media seconds the queued and blocked tasks cover: a piece its own, a whole
 *                      transcode its probed source's, a job not yet probed {@link #UNPROBED_SECONDS}
 * @param leasedTasks   tasks leased now to workers that are not draining
 */
public record PoolWork(String pool, int queuedTasks, double queuedSeconds, int leasedTasks) {
    /**
     * What a job not yet probed is taken to hold: its length is unknown until its probe runs (seconds
     * later). Its one probe task still asks for one slot at most, however long it turns out to be.
     */
    public static final double UNPROBED_SECONDS = 60;

    public PoolWork {
        if (queuedTasks < 0 || queuedSeconds < 0 || leasedTasks < 0) throw new IllegalArgumentException("counts must be >= 0");
    }
}
