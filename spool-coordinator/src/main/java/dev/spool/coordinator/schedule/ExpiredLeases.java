package dev.spool.coordinator.schedule;

import dev.spool.coordinator.queue.RetryPolicy;
import dev.spool.coordinator.queue.JobQueue;
import dev.spool.coordinator.queue.Task;

import java.time.Clock;
import java.util.List;

/**
 * Puts tasks whose worker stopped renewing back in the queue, with backoff; and, while claimable
 * work waits (a backoff that ran out), tells the queue's listeners, which wake idle workers.
 */
public final class ExpiredLeases implements Runnable {
    private static final System.Logger LOG = System.getLogger(ExpiredLeases.class.getName());
    private final JobQueue queue;
    private final Clock clock;
    private final RetryPolicy retry;

    public ExpiredLeases(JobQueue queue, Clock clock, RetryPolicy retry) {
        this.queue = queue;
        this.clock = clock;
        this.retry = retry;
    }

    @Override
    public void run() {
        List<Task> expired = queue.requeueExpired(clock.instant(), retry);
        expired.forEach(t -> LOG.log(System.Logger.Level.INFO, "lease of {0} expired on worker {1}", t.jobId(), t.workerId()));
        // a backoff running out commits nothing: the clock, not a transaction, made this work claimable
        if (queue.hasDueTasks(clock.instant())) queue.listeners().workDue();
    }
}
