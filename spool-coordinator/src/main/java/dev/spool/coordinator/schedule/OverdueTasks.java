package dev.spool.coordinator.schedule;

import dev.spool.coordinator.queue.RetryPolicy;
import dev.spool.coordinator.queue.JobQueue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Takes back tasks that have held their lease longer than their {@link TaskTimeout}: a worker
 * that renews its lease while its work goes nowhere would otherwise keep a job RUNNING for ever.
 * The attempt ends as a failure (re-queued with backoff, or the job fails after the last one),
 * and the worker is told to stop that task at its next sync.
 */
public final class OverdueTasks implements Runnable {
    private static final System.Logger LOG = System.getLogger(OverdueTasks.class.getName());
    private final JobQueue queue;
    private final Clock clock;
    private final RetryPolicy retry;
    private final TaskTimeout timeout;

    public OverdueTasks(JobQueue queue, Clock clock, RetryPolicy retry, TaskTimeout timeout) {
        this.queue = queue;
        this.clock = clock;
        this.retry = retry;
        this.timeout = timeout;
    }

    @Override
    public void run() {
        if (timeout.mode() == TaskTimeout.Mode.OFF) return;
        Instant now = clock.instant();
        for (JobQueue.LeasedTask leased : queue.leasedTasks()) {
            var limit = timeout.limitFor(leased.task().kind().wire(), leased.mediaSec());
            Instant started = leased.task().startedAt();
            if (limit.isEmpty() || started == null || started.plus(limit.get()).isAfter(now)) continue;
            String why = "over its time limit of " + limit.get().toSeconds() + " s (task_timeout " + timeout.describe()
                    + "; it ran " + Duration.between(started, now).toSeconds() + " s on worker " + leased.task().workerId() + ")";
            if (queue.takeBack(leased.task(), why, now, retry)) {
                LOG.log(System.Logger.Level.WARNING, "took back a task of " + leased.task().jobId() + ": " + why);
            }
        }
    }
}
