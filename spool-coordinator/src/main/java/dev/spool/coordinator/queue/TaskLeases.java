package dev.spool.coordinator.queue;

import dev.spool.model.job.JobState;
import dev.spool.model.job.TaskState;
import dev.spool.coordinator.schedule.rules.Attempts;
import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskKind;

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
    private final JobLocks jobs;
    private final JobGraph graph = new JobGraph();   // missing pieces and retries; completions go through TaskKinds

    TaskLeases(Dialect dialect) {
        this.dialect = dialect;
        this.jobs = new JobLocks(dialect);
    }

    JobLocks jobs() { return jobs; }

    /** 128 random bits: a lease id is the key to a task's reports, so it must not be guessable from another. */
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** "lease_" and 22 base64url characters (16 random bytes). */
    static String newLeaseId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "lease_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    Optional<Claim> claim(Tx c, WorkerFit w, Instant now, Duration lease, ClaimedWith with) throws SQLException {
        // a paused or draining worker gets nothing, whichever protocol it speaks and however it asks
        if (!WorkerTable.takesWork(c, dialect, w.workerId())) return Optional.empty();
        String leaseId = newLeaseId();
        Optional<Task> claimed = w.runsPieces() ? pick(c, w, leaseId, with, now, lease)
                : WholeJobClaim.pick(c, dialect, w, leaseId, with, now, lease);
        if (claimed.isEmpty()) return Optional.empty();
        Task task = claimed.get();
        // the job row at once or not now: waiting for it while holding this task could deadlock
        // with a sibling's failure, which holds the job and stops this task
        LockedJob job = jobs.atOnce(c, task.jobId());
        if (job.job().state().terminal()) throw new ClaimRace();   // failed or cancelled since the task was read
        if (task.kind() == TaskKind.ENCODE_VIDEO && !job.pin(task, w.encoderBuild(), now))
            throw new ClaimRace();   // another claim pinned the job to another build first
        Sql.update(c, "UPDATE jobs SET state = ?, started_at = COALESCE(started_at, ?) WHERE id = ? AND state = ?",
                JobState.RUNNING, now, task.jobId(), JobState.QUEUED);
        long leased = job.event(task.id(), w.workerId(), EventType.LEASED, describe(task) + "attempt " + task.attempt() + ", lease " + leaseId, now);
        if (job.job().startedAt() == null) job.startedBy(leased);
        return Optional.of(new Claim(task, job.reload(), TaskKinds.of(task.kind()).inputs(c, task)));
    }

    /** Leases the most urgent queued task of a kind the worker runs, as it is. */
    private Optional<Task> pick(Tx c, WorkerFit w, String leaseId, ClaimedWith with, Instant now, Duration lease)
            throws SQLException {
        List<Object> args = new ArrayList<>(List.of(TaskState.LEASED, w.workerId(), leaseId, with.wire(), now.plus(lease), now, now));
        args.addAll(w.encoders());
        args.add(w.maxHeight());
        args.addAll(w.pools());
        args.addAll(w.kinds());
        args.addAll(List.of(TaskKind.ENCODE_VIDEO.wire(), w.encoderBuild(), TaskState.QUEUED));
        return Sql.one(c,
                "UPDATE tasks SET state = ?, worker_id = ?, lease_id = ?, claimed_with = ?, lease_expires_at = ?, "
                        + "attempt = attempt + 1, started_at = ?, acked_at = NULL "
                        // the queued state written out, not bound: the planner must see it to use the
                        // partial index tasks_queue (V6), which a generic plan for "state = ?" cannot
                        + "WHERE id = (SELECT id FROM tasks WHERE state = " + Sql.literal(TaskState.QUEUED) + " AND not_before <= ? "
                        + "AND (encoder = '' OR encoder IN (" + Sql.marks(w.encoders().size()) + ")) AND min_height <= ? "
                        + "AND pool IN (" + Sql.marks(w.pools().size()) + ") "
                        + "AND kind IN (" + Sql.marks(w.kinds().size()) + ") "
                        // a piece of a job pinned to another ffmpeg build is not for this worker; a scalar
                        // subquery, looked up by key per candidate: under OR, PostgreSQL hashed NOT EXISTS
                        // from every pinned job, finished ones included (1.4 s at 200,000)
                        + "AND (kind <> ? OR COALESCE((SELECT 1 FROM jobs j WHERE j.id = tasks.job_id "
                        + "AND j.encoder_build IS NOT NULL AND j.encoder_build <> ?), 0) = 0) "
                        + "ORDER BY priority, created_at, COALESCE(piece, -1), id LIMIT 1" + dialect.skipLocked() + ") "
                        + "AND state = ? RETURNING " + Rows.TASK_COLUMNS,
                Rows::task, args.toArray());
    }

    /**
     * A claim that must be rolled back and tried again: its job changed under it (ended, pinned to
     * another build, or locked by another transaction for a moment).
     */
    static final class ClaimRace extends RuntimeException {
        ClaimRace() {
            super(null, null, false, false);
        }
    }

    /** "piece 3, " for a piece, "audio, " and so on: what an event line says the task is. */
    static String describe(Task t) {
        return t.piece() != null ? "piece " + t.piece() + ", " : t.kind() == TaskKind.TRANSCODE ? "" : t.kind().wire() + ", ";
    }

    Task progress(Tx c, String jobId, JobQueue.LeaseRef lease, JobQueue.Report r, List<String> notes,
                  Instant now, Duration leaseFor) throws SQLException {
        LockedJob job = jobs.lock(c, jobId);
        Task task = job.held(lease, now);
        for (String note : notes) job.event(task, EventType.TRANSFER, note, now);
        Sql.update(c, "UPDATE tasks SET progress = ?, fps = ?, speed = ?, eta_sec = ?, frames_done = ?, lease_expires_at = ?, "
                + "acked_at = COALESCE(acked_at, ?) WHERE id = ? AND lease_id = ?", JobGraph.percentOf(job, task, r), r.fps(),
                Math.max(0, r.speed()), r.etaSec(), Sql.orNull(r.framesDone()), now.plus(leaseFor), now, task.id(), task.leaseId());
        if (r.logTail() != null) saveLogTail(c, task, r.logTail());
        double before = job.job().progress();
        double after = job.refreshProgress(r.etaSec());
        // a tenth passed is an event (webhooks may ask for them): at most nine a job, however often workers report
        if (Math.floor(after / 10) > Math.floor(before / 10) && after < 100)
            job.event(task, EventType.PROGRESS, (int) (Math.floor(after / 10) * 10) + " %", now);
        return task;
    }

    Job complete(Tx c, String jobId, JobQueue.LeaseRef lease, JobQueue.Outcome outcome, Instant now) throws SQLException {
        LockedJob job = jobs.lock(c, jobId);   // siblings' completions one at a time: the last one sees all others DONE
        Task task = job.held(lease, now);
        KindHandler handler = TaskKinds.of(task.kind());
        String result = handler.result(job, task, outcome);
        int done = Sql.update(c, "UPDATE tasks SET state = ?, progress = 100, fps = 0, eta_sec = 0, finished_at = ?, result = ?, "
                + "lease_expires_at = NULL WHERE id = ? AND lease_id = ? AND state = ?",
                TaskState.DONE, now, result, task.id(), task.leaseId(), TaskState.LEASED);
        if (done == 0) throw job.lost(lease);
        handler.completed(job, task, outcome, "in " + outcome.totalTimeMs() + " ms", now);
        return job.reload();
    }

    Job fail(Tx c, String jobId, JobQueue.LeaseRef lease, String error, boolean retryable, List<String> logTail, Instant now,
             RetryPolicy retry) throws SQLException {
        LockedJob job = jobs.lock(c, jobId);
        Task task = job.held(lease, now);
        if (logTail != null) saveLogTail(c, task, logTail);
        boolean giveUp = Attempts.afterFailure(task.attempt(), task.maxAttempts(), retryable, error, task.lastError())
                == Attempts.Verdict.GIVE_UP;
        if (!endAttempt(job, task, error, giveUp, now, retry, EventType.FAILED)) throw job.lost(lease);
        return job.reload();
    }

    /** The last lines of the task's ffmpeg stderr, as its worker sent them (checked and redacted by the route). */
    private static void saveLogTail(Tx c, Task task, List<String> lines) throws SQLException {
        Sql.update(c, "UPDATE tasks SET log_tail = ? WHERE id = ? AND lease_id = ?", Rows.json(lines), task.id(), task.leaseId());
    }

    /**
     * The package step found pieces missing: they are encoded again and it waits for them. Each
     * such report uses one of its attempts, so a package worker that cannot see the pieces at all
     * (another mount) ends in a FAILED job rather than a loop.
     */
    Job missingPieces(Tx c, String jobId, JobQueue.LeaseRef lease, List<Integer> missing, Instant now, RetryPolicy retry)
            throws SQLException {
        LockedJob job = jobs.lock(c, jobId);
        Task task = job.held(lease, now);
        if (task.kind() != TaskKind.PACKAGE)
            throw SpoolError.invalid("missing_pieces", "is for a package task, and task " + task.id() + " is " + task.kind().wire());
        String error = "pieces " + missing + " were missing when the job was packaged";
        if (task.attempt() >= task.maxAttempts()) {
            if (!endAttempt(job, task, error, true, now, retry, EventType.FAILED)) throw job.lost(lease);
        } else {
            if (!graph.requeueMissing(job, task, missing, now)) throw job.lost(lease);
            job.backInQueue();
            job.refreshProgress(-1);
        }
        return job.reload();
    }

    /** A FAILED or CANCELLED job runs again, keeping its finished pieces. */
    Job retry(Tx c, String jobId, Instant now) throws SQLException {
        LockedJob job = jobs.lock(c, jobId);
        graph.retry(job, now);
        return job.reload();
    }

    List<Task> requeueExpired(Tx c, Instant now, RetryPolicy retry) throws SQLException {
        // a cancelled task's worker is told at its syncs until it stops; one that never syncs again
        // (dead, or gone) must not leave the notice standing for a new worker of the same name
        Sql.update(c, "UPDATE tasks SET lease_id = NULL, lease_expires_at = NULL WHERE state = ? "
                + "AND lease_id IS NOT NULL AND lease_expires_at <= ?", TaskState.CANCELLED, now);
        List<Task> expired = Sql.query(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE state = ? "
                + "AND lease_expires_at <= ?", Rows::task, TaskState.LEASED, now);
        List<Task> requeued = new ArrayList<>();
        for (Task t : expired) {
            LockedJob job = jobs.lock(c, t.jobId());
            String why = "lease expired: worker " + t.workerId() + " stopped syncing";
            // a completion or cancel that committed meanwhile wins: the task is no longer LEASED
            if (endAttempt(job, t, why, lost(t), now, retry, EventType.LEASE_EXPIRED)) requeued.add(t);
        }
        return requeued;
    }

    /** Whether an attempt taken from its worker was the task's last. */
    static boolean lost(Task t) {
        return Attempts.afterLoss(t.attempt(), t.maxAttempts()) == Attempts.Verdict.GIVE_UP;
    }

    /** A draining or deregistering worker gives its tasks back; that is not a failed attempt. */
    void handBack(Tx c, String workerId, Instant now) throws SQLException {
        for (Task t : Sql.query(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE worker_id = ? AND state = ?",
                Rows::task, workerId, TaskState.LEASED))
            handBack(jobs.lock(c, t.jobId()), t, EventType.HANDED_BACK, "worker left", now);
    }

    /** One task back in the queue at once, its attempt not counted; false when it is no longer this lease's. */
    boolean handBack(LockedJob job, Task t, EventType type, String why, Instant now) throws SQLException {
        Tx c = job.tx();
        int handed = Sql.update(c, "UPDATE tasks SET state = ?, attempt = attempt - 1, worker_id = NULL, lease_id = NULL, "
                + "lease_expires_at = NULL, not_before = ? WHERE id = ? AND lease_id = ? AND state = ?",
                TaskState.QUEUED, now, t.id(), t.leaseId(), TaskState.LEASED);
        if (handed == 0) return false;
        job.backInQueue();
        job.unpinIfNothingEncoded();
        job.event(t, type, why, now);
        c.queuedWork();
        return true;
    }

    /**
     * Ends an attempt: back to the queue after the backoff, or the job fails with every attempt on
     * record. False when the task is no longer leased (finished or cancelled meanwhile): nothing changes.
     */
    boolean endAttempt(LockedJob job, Task t, String error, boolean giveUp, Instant now, RetryPolicy retry, EventType type)
            throws SQLException {
        Tx c = job.tx();
        if (giveUp) {
            int ended = Sql.update(c, "UPDATE tasks SET state = ?, last_error = ?, finished_at = ?, lease_expires_at = NULL "
                    + "WHERE id = ? AND lease_id = ? AND state = ?", TaskState.FAILED, error, now, t.id(), t.leaseId(), TaskState.LEASED);
            if (ended == 0) return false;
            String failure = describe(t) + error + " (after " + t.attempt() + " attempt" + (t.attempt() == 1 ? "" : "s") + ")";
            // escalation (seed 002): retrying will not help any more, a person has to look (cleared by retry)
            int failed = Sql.update(c, "UPDATE jobs SET state = ?, error = ?, attention = ?, finished_at = ? WHERE id = ? "
                    + "AND state IN (?, ?)", JobState.FAILED, failure, Attempts.escalation(t.attempt(), t.maxAttempts(), error), now,
                    t.jobId(), JobState.QUEUED, JobState.RUNNING);
            job.stopOthers(now);
            long last = job.event(t, type, describe(t) + "attempt " + t.attempt() + ", final: " + error, now);
            if (failed == 1) job.endedBy(last);
        } else {
            Instant notBefore = now.plus(retry.delayBefore(t.attempt()));
            int requeued = Sql.update(c, "UPDATE tasks SET state = ?, last_error = ?, not_before = ?, worker_id = NULL, "
                    + "lease_id = NULL, lease_expires_at = NULL, progress = 0 WHERE id = ? AND lease_id = ? AND state = ?",
                    TaskState.QUEUED, error, notBefore, t.id(), t.leaseId(), TaskState.LEASED);
            if (requeued == 0) return false;
            c.queuedWork();
            job.refreshProgress(-1);
            job.backInQueue();
            job.event(t, type, describe(t) + "attempt " + t.attempt() + ": " + error
                    + "; retry after " + notBefore, now);
        }
        job.unpinIfNothingEncoded();
        return true;
    }
}
