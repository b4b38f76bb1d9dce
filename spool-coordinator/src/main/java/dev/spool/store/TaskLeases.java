package dev.spool.store;

import dev.spool.job.SpoolError;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Leases: claiming the most urgent task a worker fits, and the fenced updates that follow. Every
 * report names the job, the worker and (from Spool's worker) the lease; it changes a row only
 * while that lease is live, so a worker that lost its task can never commit a result.
 */
final class TaskLeases {
    private final Dialect dialect;

    TaskLeases(Dialect dialect) {
        this.dialect = dialect;
    }

    Optional<Claim> claim(Connection c, WorkerFit w, Instant now, Duration lease) throws SQLException {
        List<Object> args = new ArrayList<>();
        String leaseId = JdbcStore.newId("lease_");
        args.addAll(List.of(w.workerId(), leaseId, now.plus(lease), now, now));
        args.addAll(w.encoders());
        args.add(w.maxHeight());
        args.addAll(w.pools());
        Optional<Task> claimed = Sql.one(c,
                "UPDATE tasks SET state = 'LEASED', worker_id = ?, lease_id = ?, lease_expires_at = ?, "
                        + "attempt = attempt + 1, started_at = ? "
                        + "WHERE id = (SELECT id FROM tasks WHERE state = 'QUEUED' AND not_before <= ? "
                        + "AND encoder IN (" + Sql.marks(w.encoders().size()) + ") AND min_height <= ? "
                        + "AND pool IN (" + Sql.marks(w.pools().size()) + ") "
                        + "ORDER BY priority, created_at, id LIMIT 1" + dialect.skipLocked() + ") "
                        + "AND state = 'QUEUED' RETURNING " + Rows.TASK_COLUMNS,
                Rows::task, args.toArray());
        if (claimed.isEmpty()) return Optional.empty();
        Task task = claimed.get();
        Sql.update(c, "UPDATE jobs SET state = 'RUNNING', started_at = COALESCE(started_at, ?) WHERE id = ? AND state = 'QUEUED'",
                now, task.jobId());
        JdbcStore.event(c, task.jobId(), task.id(), w.workerId(), "leased", "attempt " + task.attempt() + ", lease " + leaseId, now);
        Job job = Sql.one(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id = ?", Rows::job, task.jobId()).orElseThrow();
        return Optional.of(new Claim(task, job));
    }

    Task progress(Connection c, String jobId, Store.LeaseRef lease, double percent, double fps, long eta, Instant now,
                  Duration leaseFor) throws SQLException {
        Task task = held(c, jobId, lease, now);
        Sql.update(c, "UPDATE tasks SET progress = ?, fps = ?, eta_sec = ?, lease_expires_at = ? WHERE id = ? AND lease_id = ?",
                percent, fps, eta, now.plus(leaseFor), task.id(), task.leaseId());
        Sql.update(c, "UPDATE jobs SET progress = ?, fps = ?, eta_sec = ? WHERE id = ?", percent, fps, eta, jobId);
        return task;
    }

    Job complete(Connection c, String jobId, Store.LeaseRef lease, String manifestUrl, long totalMs, Instant now)
            throws SQLException {
        Task task = held(c, jobId, lease, now);
        int done = Sql.update(c, "UPDATE tasks SET state = 'DONE', progress = 100, finished_at = ?, result = ?, "
                + "lease_expires_at = NULL WHERE id = ? AND lease_id = ? AND state = 'LEASED'",
                now, manifestUrl, task.id(), task.leaseId());
        if (done == 0) throw lost(lease, jobId);
        Sql.update(c, "UPDATE jobs SET state = 'COMPLETED', progress = 100, eta_sec = 0, manifest_url = ?, finished_at = ? "
                + "WHERE id = ? AND state = 'RUNNING'", manifestUrl, now, jobId);
        JdbcStore.event(c, jobId, task.id(), task.workerId(), "completed", "in " + totalMs + " ms: " + manifestUrl, now);
        return job(c, jobId);
    }

    Job fail(Connection c, String jobId, Store.LeaseRef lease, String error, boolean retryable, Instant now, RetryPolicy retry)
            throws SQLException {
        Task task = held(c, jobId, lease, now);
        // an input problem may be one worker's (a missing mount): retry it once, but the same error twice is final
        boolean sameAgain = error.equals(task.lastError());
        boolean giveUp = task.attempt() >= task.maxAttempts() || (!retryable && sameAgain);
        if (!endAttempt(c, task, error, giveUp, now, retry, "failed")) throw lost(lease, jobId);
        return job(c, jobId);
    }

    List<Task> requeueExpired(Connection c, Instant now, RetryPolicy retry) throws SQLException {
        // a cancelled task's worker is told at its syncs until it stops; one that never syncs again
        // (dead, or gone) must not leave the notice standing for a new worker of the same name
        Sql.update(c, "UPDATE tasks SET lease_id = NULL, lease_expires_at = NULL WHERE state = 'CANCELLED' "
                + "AND lease_id IS NOT NULL AND lease_expires_at <= ?", now);
        List<Task> expired = Sql.query(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE state = 'LEASED' "
                + "AND lease_expires_at <= ?", Rows::task, now);
        List<Task> requeued = new ArrayList<>();
        for (Task t : expired) {
            String why = "lease expired: worker " + t.workerId() + " stopped syncing";
            // a completion or cancel that committed meanwhile wins: the task is no longer LEASED
            if (endAttempt(c, t, why, t.attempt() >= t.maxAttempts(), now, retry, "lease-expired")) requeued.add(t);
        }
        return requeued;
    }

    /** A draining or deregistering worker gives its tasks back; that is not a failed attempt. */
    void handBack(Connection c, String workerId, Instant now) throws SQLException {
        for (Task t : Sql.query(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE worker_id = ? AND state = 'LEASED'",
                Rows::task, workerId)) {
            int handed = Sql.update(c, "UPDATE tasks SET state = 'QUEUED', attempt = attempt - 1, worker_id = NULL, lease_id = NULL, "
                    + "lease_expires_at = NULL, not_before = ? WHERE id = ? AND lease_id = ? AND state = 'LEASED'",
                    now, t.id(), t.leaseId());
            if (handed > 0) {
                backInQueue(c, t.jobId());
                JdbcStore.event(c, t.jobId(), t.id(), workerId, "handed-back", "worker left", now);
                dialect.announceWork(c);
            }
        }
    }

    /**
     * Ends an attempt: back to the queue after the backoff, or the job fails with every attempt on
     * record. False when the task is no longer leased (finished or cancelled meanwhile): nothing changes.
     */
    private boolean endAttempt(Connection c, Task t, String error, boolean giveUp, Instant now, RetryPolicy retry, String type)
            throws SQLException {
        if (giveUp) {
            int ended = Sql.update(c, "UPDATE tasks SET state = 'FAILED', last_error = ?, finished_at = ?, lease_expires_at = NULL "
                    + "WHERE id = ? AND lease_id = ? AND state = 'LEASED'", error, now, t.id(), t.leaseId());
            if (ended == 0) return false;
            Sql.update(c, "UPDATE jobs SET state = 'FAILED', error = ?, finished_at = ? WHERE id = ? AND state IN ('QUEUED', 'RUNNING')",
                    error + " (after " + t.attempt() + " attempt" + (t.attempt() == 1 ? "" : "s") + ")", now, t.jobId());
            JdbcStore.event(c, t.jobId(), t.id(), t.workerId(), type, "attempt " + t.attempt() + ", final: " + error, now);
        } else {
            Instant notBefore = now.plus(retry.delayBefore(t.attempt()));
            int requeued = Sql.update(c, "UPDATE tasks SET state = 'QUEUED', last_error = ?, not_before = ?, worker_id = NULL, "
                    + "lease_id = NULL, lease_expires_at = NULL, progress = 0 WHERE id = ? AND lease_id = ? AND state = 'LEASED'",
                    error, notBefore, t.id(), t.leaseId());
            if (requeued == 0) return false;
            dialect.announceWork(c);
            Sql.update(c, "UPDATE jobs SET progress = 0, fps = 0, eta_sec = -1 WHERE id = ?", t.jobId());
            backInQueue(c, t.jobId());
            JdbcStore.event(c, t.jobId(), t.id(), t.workerId(), type, "attempt " + t.attempt() + ": " + error
                    + "; retry after " + notBefore, now);
        }
        return true;
    }

    /** A running job none of whose tasks is leased any more waits in the queue again: QUEUED. */
    private static void backInQueue(Connection c, String jobId) throws SQLException {
        Sql.update(c, "UPDATE jobs SET state = 'QUEUED' WHERE id = ? AND state = 'RUNNING' "
                + "AND NOT EXISTS (SELECT 1 FROM tasks WHERE job_id = ? AND state = 'LEASED')", jobId, jobId);
    }

    /** The job's task whose live lease this report presents, or a 409. */
    private static Task held(Connection c, String jobId, Store.LeaseRef lease, Instant now) throws SQLException {
        List<Object> args = new ArrayList<>(List.of(jobId, lease.workerId(), now));
        String byLease = "";
        if (lease.leaseId() != null) {
            byLease = " AND lease_id = ?";
            args.add(lease.leaseId());
        }
        return Sql.one(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE job_id = ? AND state = 'LEASED' "
                + "AND worker_id = ? AND lease_expires_at > ?" + byLease, Rows::task, args.toArray())
                .orElseThrow(() -> lost(lease, jobId));
    }

    private static SpoolError lost(Store.LeaseRef lease, String jobId) {
        String what = lease.leaseId() != null ? "lease " + lease.leaseId() : "a lease";
        return new SpoolError(SpoolError.Code.CONFLICT, "lease_id", "worker " + lease.workerId() + " does not hold " + what
                + " on job " + jobId + " (expired, re-assigned, cancelled or finished)");
    }

    private static Job job(Connection c, String jobId) throws SQLException {
        return Sql.one(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id = ?", Rows::job, jobId).orElseThrow();
    }
}
