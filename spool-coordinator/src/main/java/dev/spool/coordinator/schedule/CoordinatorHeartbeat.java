package dev.spool.coordinator.schedule;

import dev.spool.coordinator.queue.JobQueue;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * This coordinator's beat in the database, run before anything may expire (at start, then every
 * scheduler tick): after a time when no coordinator beat (an outage, or all of them cut off from
 * the database) every lease gets the grace, since no worker could be heard meanwhile.
 */
public final class CoordinatorHeartbeat implements Runnable {
    private static final System.Logger LOG = System.getLogger(CoordinatorHeartbeat.class.getName());
    private final String id = "coord_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private final JobQueue queue;
    private final Clock clock;
    private final Duration silence;
    private final Duration grace;

    public CoordinatorHeartbeat(JobQueue queue, Clock clock, Duration silence, Duration grace) {
        this.queue = queue;
        this.clock = clock;
        this.silence = silence;
        this.grace = grace;
    }

    @Override
    public void run() {
        JobQueue.Beat beat = queue.coordinatorBeat(id, clock.instant(), silence, grace);
        if (!beat.extended().isEmpty())
            LOG.log(System.Logger.Level.INFO, "no coordinator was heard " + (beat.lastHeard() == null ? "before"
                    : "since " + beat.lastHeard()) + ": " + beat.extended().size() + " leases extended by the grace of "
                    + grace.toSeconds() + " s");
    }
}
