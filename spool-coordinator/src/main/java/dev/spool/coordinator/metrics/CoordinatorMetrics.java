package dev.spool.coordinator.metrics;

import dev.spool.coordinator.queue.JobQueue;
import dev.spool.coordinator.queue.QueueStats;
import dev.spool.coordinator.queue.WorkerRecord;
import dev.spool.model.job.JobState;
import dev.spool.model.job.Priority;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The coordinator's metrics registry. Seed 000's six names come first, exactly as it spells them,
 * as unlabelled totals (so a query on them never meets an empty set); the {@code spool_} metrics
 * break them down by state, pool, priority and kind. Every count is read from the database
 * ({@link CachedStats}), so several coordinators on one database report the same values: take
 * {@code max} of them across instances, not {@code sum}. What happens on this coordinator (a task
 * taken back, a job's duration: {@link QueueMetrics}) is counted once, by the coordinator that
 * committed it: {@code sum} those across instances.
 */
public final class CoordinatorMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final QueueMetrics events;
    private final CachedStats stats;
    private final Histogram claims;

    public CoordinatorMetrics(JobQueue queue, Clock clock, Duration workerTimeout) {
        stats = new CachedStats(queue, clock, workerTimeout);
        seedNames(stats);
        breakdowns(stats, clock);
        events = new QueueMetrics(queue, registry);
        claims = Histogram.builder().name("spool_claim_duration_seconds").unit(Unit.SECONDS)
                .help("How long a worker's claim took on this coordinator (the claim's transaction), by whether it found work")
                .labelNames("found").classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
                .classicOnly().register(registry);
        JvmMetrics.builder().register(registry);
    }

    /** Times one claim: {@code found} is whether it handed out a task. */
    public void claimed(long nanos, boolean found) {
        claims.labelValues(found ? "yes" : "no").observe(nanos / 1e9);
    }

    public PrometheusRegistry registry() { return registry; }

    /** The counts the gauges read, for the stats endpoint: one cache for both. */
    public CachedStats stats() { return stats; }

    /** Listens to the queue's commits: register it with the queue's listeners. */
    public QueueMetrics queueListener() { return events; }

    private void seedNames(CachedStats stats) {
        CounterWithCallback.builder().name("transcode_jobs_total").help("Jobs submitted (every job the database holds)")
                .callback(cb -> cb.call(stats.get().queue().totalJobs())).register(registry);
        GaugeWithCallback.builder().name("transcode_jobs_completed").help("Jobs that completed")
                .callback(cb -> cb.call(stats.get().queue().jobs(JobState.COMPLETED))).register(registry);
        GaugeWithCallback.builder().name("transcode_jobs_failed").help("Jobs that failed")
                .callback(cb -> cb.call(stats.get().queue().jobs(JobState.FAILED))).register(registry);
        GaugeWithCallback.builder().name("transcode_tasks_active").help("Tasks leased to a worker now")
                .callback(cb -> cb.call(stats.get().queue().leased().stream().mapToLong(QueueStats.LeasedCount::count).sum()))
                .register(registry);
        GaugeWithCallback.builder().name("transcode_worker_count").help("Workers online (heard from within the worker timeout)")
                .callback(cb -> cb.call(stats.get().online().size())).register(registry);
        GaugeWithCallback.builder().name("transcode_queue_depth").help("Tasks queued, waiting for a worker")
                .callback(cb -> cb.call(stats.get().queue().queued().stream().mapToLong(JobQueue.QueueDepth::count).sum()))
                .register(registry);
    }

    private void breakdowns(CachedStats stats, Clock clock) {
        GaugeWithCallback.builder().name("spool_jobs").help("Jobs by state").labelNames("state")
                .callback(cb -> {
                    QueueStats q = stats.get().queue();
                    for (JobState s : JobState.values()) cb.call(q.jobs(s), s.name().toLowerCase(Locale.ROOT));
                }).register(registry);
        GaugeWithCallback.builder().name("spool_jobs_escalated").help("Failed jobs that need a person: their retries are used up")
                .callback(cb -> cb.call(stats.get().queue().escalated())).register(registry);
        GaugeWithCallback.builder().name("spool_queue_depth").help("Tasks queued, by pool and priority").labelNames("pool", "priority")
                .callback(cb -> {
                    CachedStats.Snapshot s = stats.get();
                    // every priority of every known pool, zeros included, so a rate or an alert has a series to follow
                    Map<String, Map<String, Long>> byPool = new TreeMap<>();
                    for (String pool : knownPools(s)) for (Priority p : Priority.values())
                        byPool.computeIfAbsent(pool, k -> new TreeMap<>()).put(label(p.name()), 0L);
                    for (JobQueue.QueueDepth d : s.queue().queued())
                        byPool.computeIfAbsent(d.pool(), k -> new TreeMap<>()).merge(label(d.priority()), (long) d.count(), Long::sum);
                    byPool.forEach((pool, counts) -> counts.forEach((priority, n) -> cb.call(n, pool, priority)));
                }).register(registry);
        GaugeWithCallback.builder().name("spool_tasks_leased").help("Tasks leased to a worker now, by kind and pool")
                .labelNames("kind", "pool")
                .callback(cb -> stats.get().queue().leased().forEach(l -> cb.call(l.count(), l.kind().wire(), l.pool())))
                .register(registry);
        GaugeWithCallback.builder().name("spool_workers").help("Workers online, by the status of their last sync").labelNames("status")
                .callback(cb -> {
                    Map<String, Long> byStatus = new TreeMap<>(Map.of("idle", 0L, "busy", 0L, "draining", 0L));
                    for (WorkerRecord w : stats.get().online()) byStatus.merge(status(w), 1L, Long::sum);
                    byStatus.forEach((status, n) -> cb.call(n, status));
                }).register(registry);
        GaugeWithCallback.builder().name("spool_worker_slots").help("Task slots of the workers online").labelNames("pool")
                .callback(cb -> {
                    Map<String, Long> slots = new TreeMap<>();
                    for (WorkerRecord w : stats.get().online()) for (String pool : w.pools()) slots.merge(pool, (long) w.slots(), Long::sum);
                    slots.forEach((pool, n) -> cb.call(n, pool));
                }).register(registry);
        GaugeWithCallback.builder().name("spool_oldest_queued_task_age_seconds").unit(Unit.SECONDS)
                .help("How long the longest-waiting queued task has waited; 0 when none waits")
                .callback(cb -> {
                    CachedStats.Snapshot s = stats.get();
                    cb.call(s.queue().oldestQueued().map(t -> Math.max(0, Duration.between(t, s.at()).toMillis()) / 1000.0).orElse(0.0));
                }).register(registry);
    }

    private static TreeSet<String> knownPools(CachedStats.Snapshot s) {
        TreeSet<String> pools = new TreeSet<>();
        pools.add(dev.spool.coordinator.queue.Requirements.TRANSCODE_POOL);
        for (WorkerRecord w : s.online()) pools.addAll(w.pools());
        return pools;
    }

    private static String label(String priority) {
        return priority.toLowerCase(Locale.ROOT);
    }

    /** A worker's status label: draining once the operator drains it, else what it last synced. */
    public static String status(WorkerRecord w) {
        return w.control() == WorkerRecord.Control.DRAINING ? "draining" : status(w.status());
    }

    /** A worker's status as a label of a known few: a free string from the wire must not make new series. */
    public static String status(String reported) {
        String s = reported == null ? "" : reported.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "idle", "busy", "draining" -> s;
            default -> "other";
        };
    }
}
