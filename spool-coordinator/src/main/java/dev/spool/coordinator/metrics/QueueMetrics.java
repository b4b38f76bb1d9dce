package dev.spool.coordinator.metrics;

import dev.spool.coordinator.queue.Commit;
import dev.spool.coordinator.queue.Event;
import dev.spool.coordinator.queue.EventType;
import dev.spool.coordinator.queue.Job;
import dev.spool.coordinator.queue.JobQueue;
import dev.spool.coordinator.queue.QueueListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What this coordinator committed, counted from the typed events of each commit: events by type,
 * attempts that ended without success by reason, and for each job that ended its duration and how
 * long it waited for its first worker. A job's times are read after the commit, off the committing
 * thread (a listener must be quick).
 */
public final class QueueMetrics implements QueueListener, AutoCloseable {
    /** Events that end a task's attempt without success; the next attempt, if any, is a retry. */
    static final Set<EventType> ENDED_ATTEMPTS = EnumSet.of(EventType.FAILED, EventType.LEASE_EXPIRED, EventType.TIMED_OUT,
            EventType.UNACKNOWLEDGED, EventType.HANDED_BACK, EventType.WORKER_RESTARTED, EventType.PIECES_MISSING);
    private static final Set<EventType> MAY_END_A_JOB = EnumSet.of(EventType.COMPLETED, EventType.FAILED, EventType.CANCELLED);
    /** From a short clip to a feature film on a small machine. */
    private static final double[] JOB_SECONDS = {1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400};
    private static final int REMEMBERED_JOBS = 10_000;
    /** From a Raspberry Pi's fraction of realtime to a GPU's hundreds. */
    private static final double[] SPEEDS = {0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256};
    /** Events that end an encode: a piece's, or a whole job's transcode. */
    private static final Set<EventType> ENDS_AN_ENCODE = EnumSet.of(EventType.ENCODED, EventType.COMPLETED);

    private final JobQueue queue;
    private final Counter events;
    private final Counter endedAttempts;
    private final Histogram jobDuration;
    private final Histogram queueWait;
    private final Histogram encodeSpeed;
    private final ExecutorService lookups = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("spool-metrics").factory());
    /** Jobs already observed as ended: a cancelled job's workers may report after it ended. */
    private final Map<String, Boolean> observed = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) { return size() > REMEMBERED_JOBS; }
    };

    QueueMetrics(JobQueue queue, PrometheusRegistry registry) {
        this.queue = queue;
        events = Counter.builder().name("spool_events_total").help("Events this coordinator wrote to jobs' trails, by type")
                .labelNames("type").register(registry);
        endedAttempts = Counter.builder().name("spool_task_attempts_ended_total")
                .help("Task attempts that ended without success, by reason; a task with attempts left is retried")
                .labelNames("reason").register(registry);
        jobDuration = Histogram.builder().name("spool_job_duration_seconds").unit(Unit.SECONDS)
                .help("From submission to the end, for jobs that ended on this coordinator, by outcome")
                .labelNames("outcome").classicUpperBounds(JOB_SECONDS).classicOnly().register(registry);
        queueWait = Histogram.builder().name("spool_job_queue_wait_seconds").unit(Unit.SECONDS)
                .help("From submission to its first worker, for jobs that ended on this coordinator")
                .classicUpperBounds(JOB_SECONDS).classicOnly().register(registry);
        encodeSpeed = Histogram.builder().name("spool_encode_speed_ratio").unit(Unit.RATIO)
                .help("Media seconds encoded per wall second by a finished encode (a piece or a whole transcode), by kind and encoder")
                .labelNames("kind", "encoder").classicUpperBounds(SPEEDS).classicOnly().register(registry);
        for (EventType t : ENDED_ATTEMPTS) endedAttempts.labelValues(reason(t));   // every reason shows, at 0
    }

    @Override
    public void committed(Commit commit) {
        for (Event e : commit.events()) {
            events.labelValues(e.type().wire()).inc();
            if (e.taskId() != null && ENDED_ATTEMPTS.contains(e.type())) endedAttempts.labelValues(reason(e.type())).inc();
            if (MAY_END_A_JOB.contains(e.type())) lookups.execute(() -> observeIfEnded(e.jobId()));
            if (e.taskId() != null && ENDS_AN_ENCODE.contains(e.type())) lookups.execute(() -> observeSpeed(e.jobId(), e.taskId()));
        }
    }

    private void observeIfEnded(String jobId) {
        synchronized (observed) {
            if (observed.containsKey(jobId)) return;
        }
        Job job;
        try {
            job = queue.job(jobId).orElse(null);
        } catch (RuntimeException e) {
            return;   // the database is away: a duration missed is better than a listener that fails
        }
        if (job == null || !job.state().terminal() || job.finishedAt() == null) return;
        synchronized (observed) {
            if (observed.put(jobId, Boolean.TRUE) != null) return;
        }
        jobDuration.labelValues(job.state().name().toLowerCase(Locale.ROOT)).observe(seconds(Duration.between(job.createdAt(), job.finishedAt())));
        if (job.startedAt() != null) queueWait.observe(seconds(Duration.between(job.createdAt(), job.startedAt())));
    }

    /** A finished encode's speed as its worker last reported it (a package step encodes nothing: skipped). */
    private void observeSpeed(String jobId, String taskId) {
        try {
            queue.task(taskId).filter(t -> t.speed() > 0 && t.kind().encodes()).ifPresent(t -> queue.job(jobId).ifPresent(job ->
                    encodeSpeed.labelValues(t.kind().wire(), encoder(t, job)).observe(t.speed())));
        } catch (RuntimeException e) {
            // the database is away: one observation missed
        }
    }

    /** The video encoder of the job's plan, or for its audio task the audio codec. */
    private static String encoder(dev.spool.coordinator.queue.Task t, Job job) {
        var plan = job.spec().plan();
        if (t.kind() == dev.spool.model.job.TaskKind.ENCODE_AUDIO)
            return plan.audioCodec() != null ? plan.audioCodec().id() : dev.spool.model.encode.AudioEncoding.defaults().codec().id();
        return plan.encoder();
    }

    private static String reason(EventType t) {
        return t.wire().replace('-', '_');
    }

    private static double seconds(Duration d) {
        return Math.max(0, d.toMillis()) / 1000.0;
    }

    @Override
    public void close() {
        lookups.shutdownNow();
    }
}
