package dev.spool.coordinator.schedule;

import dev.spool.coordinator.queue.JobQueue;
import dev.spool.coordinator.queue.Task;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Hands back assignments their worker never acknowledged (a kill -9'd worker's long poll is still
 * parked on the coordinator, and the reply that carries the task goes nowhere), without using an
 * attempt, so the task waits seconds for a live worker instead of a whole lease.
 */
public final class UnacknowledgedLeases implements Runnable {
    private static final System.Logger LOG = System.getLogger(UnacknowledgedLeases.class.getName());
    private final JobQueue queue;
    private final Clock clock;
    private final Duration ackTimeout;
    private final Duration lease;

    public UnacknowledgedLeases(JobQueue queue, Clock clock, Duration ackTimeout, Duration lease) {
        this.queue = queue;
        this.clock = clock;
        this.ackTimeout = ackTimeout;
        this.lease = lease;
    }

    @Override
    public void run() {
        List<Task> returned = queue.handBackUnacknowledged(ackTimeout, lease, clock.instant());
        returned.forEach(t -> LOG.log(System.Logger.Level.INFO, "worker {0} never acknowledged {1}: back in the queue",
                t.workerId(), t.jobId()));
    }
}
