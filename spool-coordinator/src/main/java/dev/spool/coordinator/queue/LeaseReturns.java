package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskState;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Tasks taken back from a worker that cannot be running them. An assignment nobody acknowledged
 * (its worker died while its long poll was parked, so the reply went nowhere) goes back to the
 * queue without using an attempt; when a worker registers again under its id (it restarted), the
 * attempts its previous run held end at once instead of when their leases would have run out.
 */
final class LeaseReturns {
    /** The cause of a restart is known, and it is not the job: the task may be claimed again at once. */
    private static final RetryPolicy AT_ONCE = new RetryPolicy(0, Duration.ZERO, 1.0);

    private final TaskLeases leases;

    LeaseReturns(TaskLeases leases) {
        this.leases = leases;
    }

    /**
     * An unacknowledged lease was never renewed, so its expiry still says when it was granted (or
     * extended after an outage, which gives its worker the time again): granted = expiry - lease.
     */
    List<Task> unacknowledged(Tx c, Duration ackTimeout, Duration lease, Instant now) throws SQLException {
        List<Task> returned = new ArrayList<>();
        for (Task t : Sql.query(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE state = ? AND acked_at IS NULL "
                + "AND lease_expires_at <= ?", Rows::task, TaskState.LEASED, now.minus(ackTimeout).plus(lease))) {
            String why = "worker " + t.workerId() + " did not acknowledge lease " + t.leaseId() + " within "
                    + ackTimeout.toSeconds() + " s (gone before the assignment reached it?): back in the queue, attempt not counted";
            if (leases.handBack(leases.jobs().lock(c, t.jobId()), t, EventType.UNACKNOWLEDGED, why, now)) returned.add(t);
        }
        return returned;
    }

    List<Task> previousRun(Tx c, String workerId, Instant now) throws SQLException {
        List<Task> ended = new ArrayList<>();
        for (Task t : Sql.query(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE worker_id = ? AND state = ?",
                Rows::task, workerId, TaskState.LEASED)) {
            LockedJob job = leases.jobs().lock(c, t.jobId());
            String why = "worker " + workerId + " registered again (it restarted): its previous run no longer holds lease " + t.leaseId();
            if (leases.endAttempt(job, t, why, TaskLeases.lost(t), now, AT_ONCE, EventType.WORKER_RESTARTED)) ended.add(t);
        }
        // a cancel notice meant for the previous run would only confuse the new one
        Sql.update(c, "UPDATE tasks SET lease_id = NULL, lease_expires_at = NULL WHERE worker_id = ? AND state = ? "
                + "AND lease_id IS NOT NULL", workerId, TaskState.CANCELLED);
        return ended;
    }
}
