package dev.spool.coordinator.metrics;

import dev.spool.coordinator.queue.JobQueue;
import dev.spool.coordinator.queue.QueueStats;
import dev.spool.coordinator.queue.WorkerRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The queue's counts, read from the database at most once per {@link #MAX_AGE}: a scrape reads
 * many gauges, and several scrapers (Prometheus, KEDA, a dashboard) may ask at once. Reading the
 * database, not this coordinator's memory, makes every coordinator on one database report the same.
 */
public final class CachedStats {
    static final Duration MAX_AGE = Duration.ofSeconds(2);

    private final JobQueue queue;
    private final Clock clock;
    private final Duration workerTimeout;
    private Snapshot last;

    /** The queue's counts and the workers as they were read at {@code at}. */
    public record Snapshot(QueueStats queue, List<WorkerRecord> workers, Instant at, Duration workerTimeout,
                           List<dev.spool.coordinator.queue.ScaleState> scale, List<dev.spool.coordinator.queue.PoolWork> work) {
        /** The media seconds of all pools' waiting work, as the autoscaler weighs it. */
        public double queuedWorkSeconds() {
            return work.stream().mapToDouble(dev.spool.coordinator.queue.PoolWork::queuedSeconds).sum();
        }

        /** Each pool's desired worker count as the autoscaler last wrote it, by pool (the default pool at 0 before its first decision). */
        public java.util.SortedMap<String, Integer> desiredWorkers() {
            java.util.SortedMap<String, Integer> byPool = new java.util.TreeMap<>();
            byPool.put(dev.spool.coordinator.queue.Requirements.TRANSCODE_POOL, 0);
            for (var s : scale) byPool.put(s.pool(), s.desired());
            return byPool;
        }

        /** A worker heard from within the worker timeout is online. */
        public List<WorkerRecord> online() {
            return workers.stream().filter(w -> Duration.between(w.lastSeenAt(), at).compareTo(workerTimeout) < 0).toList();
        }
    }

    public CachedStats(JobQueue queue, Clock clock, Duration workerTimeout) {
        this.queue = queue;
        this.clock = clock;
        this.workerTimeout = workerTimeout;
    }

    public synchronized Snapshot get() {
        Instant now = clock.instant();
        if (last == null || Duration.between(last.at(), now).compareTo(MAX_AGE) >= 0)
            last = new Snapshot(queue.stats(now), queue.workers(), now, workerTimeout, queue.scaleStates(), queue.poolWork());
        return last;
    }
}
