package dev.spool.coordinator.queue;

import dev.spool.model.protocol.Api;
import dev.spool.model.job.TaskState;
import dev.spool.model.SpoolError;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * The right to make a task's output visible. A transcode or package step stages its output, then
 * asks; the grant goes to a live lease of a job that has not ended, and is recorded with what that
 * lease staged, in the transaction that checks both. From then on the job cannot be cancelled while
 * the lease lives, and no other attempt is granted unless that lease is gone: then the next attempt
 * is handed the intent and finishes the same commit (idempotent), or stages anew and asks again.
 */
public final class CommitGrants {
    static final int MAX_INTENT = 4096;

    private final JobLocks jobs;

    CommitGrants(JobLocks jobs) {
        this.jobs = jobs;
    }

    /**
     * Grants (or renews, for the same lease) the commit; with {@code adopt}, lets this lease finish
     * the pending commit of that earlier lease instead. 409 naming why when refused.
     */
    JobQueue.CommitGrant grant(Tx c, String jobId, JobQueue.LeaseRef lease, String staged, String adopt, Instant now,
                            Duration window) throws SQLException {
        if (staged == null || staged.isBlank()) throw SpoolError.invalid("staged", "is required: what the commit will make visible");
        if (staged.length() > MAX_INTENT) throw SpoolError.invalid("staged", "is longer than " + MAX_INTENT + " characters");
        LockedJob locked = jobs.lock(c, jobId);
        Job job = locked.job();
        if (job == null) throw new SpoolError(SpoolError.Code.NOT_FOUND, "job_id", "no job " + jobId);
        if (job.state().terminal())
            throw new SpoolError(SpoolError.Code.CONFLICT, "job_id", "job " + jobId + " is " + job.state()
                    + "; its output must not be committed");
        Task task = locked.held(lease, now);
        if (!TaskKinds.of(task.kind()).commitsOutput())
            throw SpoolError.invalid("lease_id", "holds a " + task.kind().wire() + " task, which commits no output");
        boolean renewal = task.leaseId().equals(holder(c, task));
        if (adopt != null) {
            if (!adopt.equals(task.commitLease()))
                throw new SpoolError(SpoolError.Code.CONFLICT, "adopt", "lease " + adopt + " has no pending commit on job " + jobId
                        + (task.commitLease() == null ? "" : " (the pending one is lease " + task.commitLease() + "'s)"));
            Sql.update(c, "UPDATE tasks SET commit_holder = lease_id, lease_expires_at = ? WHERE id = ? AND lease_id = ? AND state = ?",
                    now.plus(window), task.id(), task.leaseId(), TaskState.LEASED);
            if (!renewal) locked.event(task, EventType.COMMIT_ADOPTED, "lease " + task.leaseId()
                    + " finishes the commit granted to lease " + adopt, now);
            return new JobQueue.CommitGrant(adopt, window);
        }
        Sql.update(c, "UPDATE tasks SET commit_lease = lease_id, commit_holder = lease_id, commit_intent = ?, commit_granted_at = ?, "
                + "lease_expires_at = ? WHERE id = ? AND lease_id = ? AND state = ?", staged, now, now.plus(window), task.id(),
                task.leaseId(), TaskState.LEASED);
        if (!renewal) {
            String replaced = task.commitLease() == null ? ""
                    : " (replacing the unfinished commit of lease " + task.commitLease() + ", whose worker is gone)";
            locked.event(task, EventType.COMMIT_GRANTED, "lease " + task.leaseId() + replaced, now);
        }
        return new JobQueue.CommitGrant(task.leaseId(), window);
    }

    private static String holder(Tx c, Task task) throws SQLException {
        return Sql.one(c, "SELECT COALESCE(commit_holder, '') FROM tasks WHERE id = ?", rs -> rs.getString(1), task.id()).orElse("");
    }

    /**
     * A transcode or package completing from a worker that knows grants must have one: a result
     * whose output was made visible without the coordinator's say-so is refused.
     */
    static void requireGranted(LockedJob job, Task task) throws SQLException {
        Tx c = job.tx();
        if (task.leaseId().equals(holder(c, task))) return;
        int protocol = Sql.one(c, "SELECT protocol FROM workers WHERE id = ?", rs -> rs.getInt(1), task.workerId()).orElse(0);
        if (protocol >= Api.COMMIT_PROTOCOL)   // such workers ask for a grant; their completions need one
            throw new SpoolError(SpoolError.Code.CONFLICT, "lease_id", "lease " + task.leaseId() + " was never granted the commit of job "
                    + task.jobId() + " (POST " + Api.jobCommit(task.jobId()) + " before making the output visible)");
    }

    /** A job whose output a live lease is committing cannot be cancelled: the output is on its way. */
    static void refuseCancelWhileCommitting(LockedJob job, Instant now) throws SQLException {
        String jobId = job.id();
        var holder = Sql.one(job.tx(), "SELECT worker_id FROM tasks WHERE job_id = ? AND state = ? AND commit_holder = lease_id "
                + "AND lease_expires_at > ?", rs -> rs.getString(1), jobId, TaskState.LEASED, now);
        if (holder.isPresent())
            throw new SpoolError(SpoolError.Code.CONFLICT, "job_id", "job " + jobId + " is committing its output (worker "
                    + holder.get() + "); it completes in a moment and can no longer be cancelled");
    }
}
