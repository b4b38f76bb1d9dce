package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskState;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Every coordinator's heartbeat, in the database they share. While none of them beats (all down,
 * or all cut off from the database) no worker can be heard, so the first beat after such a silence
 * extends every lease to at least the grace: no task is taken from a worker for a silence nobody
 * could hear. A coordinator that restarts while another keeps beating changes nothing.
 */
final class CoordinatorBeats {
    /** Rows of coordinators gone this long are forgotten. */
    private static final Duration FORGET = Duration.ofDays(1);

    private CoordinatorBeats() {}

    static JobQueue.Beat beat(Tx c, JobLocks jobs, String coordinatorId, Instant now, Duration silence, Duration grace) throws SQLException {
        Instant lastHeard = Sql.one(c, "SELECT MAX(last_seen_at) AS last_seen_at FROM coordinators",
                rs -> java.util.Optional.ofNullable(Sql.instant(rs, "last_seen_at"))).flatMap(o -> o).orElse(null);
        Sql.update(c, "INSERT INTO coordinators (id, started_at, last_seen_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at", coordinatorId, now, now);
        Sql.update(c, "DELETE FROM coordinators WHERE last_seen_at < ?", now.minus(FORGET));
        if (lastHeard != null && lastHeard.isAfter(now.minus(silence))) return new JobQueue.Beat(lastHeard, List.of());
        Instant until = now.plus(grace);
        List<Task> extended = Sql.query(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE state = ? "
                + "AND lease_expires_at < ? ORDER BY job_id, id", Rows::task, TaskState.LEASED, until);   // jobs locked in one order
        String since = lastHeard == null ? "no coordinator had run on this database" : "no coordinator was heard since " + lastHeard;
        for (Task t : extended) {
            LockedJob job = jobs.lock(c, t.jobId());
            Sql.update(c, "UPDATE tasks SET lease_expires_at = ? WHERE id = ? AND lease_id = ? AND state = ?",
                    until, t.id(), t.leaseId(), TaskState.LEASED);
            job.event(t, EventType.LEASE_GRACE, since + ", so worker " + t.workerId()
                    + " could not be heard: lease " + t.leaseId() + " extended to " + until, now);
        }
        return new JobQueue.Beat(lastHeard, extended);
    }
}
