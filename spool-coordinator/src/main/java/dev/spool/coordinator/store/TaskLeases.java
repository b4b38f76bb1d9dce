package dev.spool.coordinator.store;

import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskKind;

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
    private final JobGraph graph;

    TaskLeases(Dialect dialect) {
        this.dialect = dialect;
        this.graph = new JobGraph(dialect);
    }

    Optional<Claim> claim(Connection c, WorkerFit w, Instant now, Duration lease) throws SQLException {
        List<Object> args = new ArrayList<>();
        String leaseId = JdbcStore.newId("lease_");
        // a worker that runs whole jobs only (seed 001) takes a probe as the whole job: a transcode
        int whole = w.runsPieces() ? 0 : 1;
        String probe = TaskKind.PROBE.wire();
        String transcode = TaskKind.TRANSCODE.wire();
        args.addAll(List.of(w.workerId(), leaseId, now.plus(lease), now, probe, whole, transcode, probe, whole, now));
        args.addAll(w.encoders());
        args.add(w.maxHeight());
        args.addAll(w.pools());
        args.addAll(w.kinds());
        args.addAll(List.of(TaskKind.ENCODE_VIDEO.wire(), w.encoderBuild()));
        Optional<Task> claimed = Sql.one(c,
                "UPDATE tasks SET state = 'LEASED', worker_id = ?, lease_id = ?, lease_expires_at = ?, "
                        + "attempt = attempt + 1, started_at = ?, acked_at = NULL, "
                        + "kind = CASE WHEN kind = ? AND ? = 1 THEN ? ELSE kind END, "
                        + "weight = CASE WHEN kind = ? AND ? = 1 THEN 1 ELSE weight END "
                        + "WHERE id = (SELECT id FROM tasks WHERE state = 'QUEUED' AND not_before <= ? "
                        + "AND (encoder = '' OR encoder IN (" + Sql.marks(w.encoders().size()) + ")) AND min_height <= ? "
                        + "AND pool IN (" + Sql.marks(w.pools().size()) + ") "
                        + "AND kind IN (" + Sql.marks(w.kinds().size()) + ") "
                        // a piece of a job pinned to another ffmpeg build is not for this worker; a scalar
                        // subquery, looked up by key per candidate: under OR, PostgreSQL hashed NOT EXISTS
                        // from every pinned job, finished ones included (1.4 s at 200,000)
                        + "AND (kind <> ? OR COALESCE((SELECT 1 FROM jobs j WHERE j.id = tasks.job_id "
                        + "AND j.encoder_build IS NOT NULL AND j.encoder_build <> ?), 0) = 0) "
                        + "ORDER BY priority, created_at, COALESCE(piece, -1), id LIMIT 1" + dialect.skipLocked() + ") "
                        + "AND state = 'QUEUED' RETURNING " + Rows.TASK_COLUMNS,
                Rows::task, args.toArray());
        if (claimed.isEmpty()) return Optional.empty();
        Task task = claimed.get();
        // the job row at once or not now: waiting for it while holding this task could deadlock
        // with a sibling's failure, which holds the job and stops this task
        Job job = JobGraph.lockJob(c, dialect, task.jobId(), true);
        if (job.state().terminal()) throw new ClaimRace();   // failed or cancelled since the task was read
        if (task.kind().equals(TaskKind.ENCODE_VIDEO.wire()) && !JobGraph.pin(c, job, task, w.encoderBuild(), now))
            throw new ClaimRace();   // another claim pinned the job to another build first
        Sql.update(c, "UPDATE jobs SET state = 'RUNNING', started_at = COALESCE(started_at, ?) WHERE id = ? AND state = 'QUEUED'",
                now, task.jobId());
        JdbcStore.event(c, task.jobId(), task.id(), w.workerId(), "leased", describe(task) + "attempt " + task.attempt()
                + ", lease " + leaseId, now);
        return Optional.of(new Claim(task, job(c, task.jobId()), pieceOutputs(c, task)));
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

    /** For a package step: the directory each finished piece wrote, by piece (-1: the audio). */
    private static java.util.Map<Integer, String> pieceOutputs(Connection c, Task task) throws SQLException {
        if (!task.kind().equals(TaskKind.PACKAGE.wire())) return java.util.Map.of();
        java.util.Map<Integer, String> outputs = new java.util.TreeMap<>();
        for (Task t : Sql.query(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE job_id = ? AND state = 'DONE' AND kind IN (?, ?)",
                Rows::task, task.jobId(), TaskKind.ENCODE_VIDEO.wire(), TaskKind.ENCODE_AUDIO.wire()))
            if (t.result() != null) outputs.put(t.piece() == null ? -1 : t.piece(), t.result());
        return outputs;
    }

    /** "piece 3, " for a piece, "audio, " and so on: what an event line says the task is. */
    private static String describe(Task t) {
        return t.piece() != null ? "piece " + t.piece() + ", " : t.kind().equals(TaskKind.TRANSCODE.wire()) ? "" : t.kind() + ", ";
    }

    Task progress(Connection c, String jobId, Store.LeaseRef lease, Store.Report r, List<String> notes,
                  Instant now, Duration leaseFor) throws SQLException {
        Job job = JobGraph.lockJob(c, dialect, jobId, false);
        Task task = held(c, jobId, lease, now);
        for (String note : notes) JdbcStore.event(c, jobId, task.id(), task.workerId(), "transfer", note, now);
        Sql.update(c, "UPDATE tasks SET progress = ?, fps = ?, speed = ?, eta_sec = ?, frames_done = ?, lease_expires_at = ?, "
                + "acked_at = COALESCE(acked_at, ?) WHERE id = ? AND lease_id = ?", JobGraph.percentOf(c, job, task, r), r.fps(),
                Math.max(0, r.speed()), r.etaSec(), Sql.orNull(r.framesDone()), now.plus(leaseFor), now, task.id(), task.leaseId());
        JobGraph.refreshProgress(c, jobId, r.etaSec());
        return task;
    }

    Job complete(Connection c, String jobId, Store.LeaseRef lease, Store.Outcome outcome, Instant now) throws SQLException {
        JobGraph.lockJob(c, dialect, jobId, false);   // siblings' completions one at a time: the last one sees all others DONE
        Task task = held(c, jobId, lease, now);
        TaskKind kind = TaskKind.of(task.kind());
        boolean finishesJob = kind == TaskKind.TRANSCODE || kind == TaskKind.PACKAGE;
        if (finishesJob && (outcome.manifestUrl() == null || outcome.manifestUrl().isBlank()))
            throw SpoolError.invalid("manifest_url", "is required when COMPLETED");
        if (finishesJob) CommitGrants.requireGranted(c, task);
        if (kind == TaskKind.PROBE && outcome.probed() == null) throw SpoolError.invalid("probed", "is required when a probe completes");
        boolean piece = kind == TaskKind.ENCODE_VIDEO || kind == TaskKind.ENCODE_AUDIO;
        // a piece names the directory it wrote, which the package step will read: a plain name, nothing else
        if (piece && (outcome.manifestUrl() == null || !outcome.manifestUrl().matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}")))
            throw SpoolError.invalid("manifest_url", "of a piece must name the directory it wrote (a plain name), not '"
                    + outcome.manifestUrl() + "'");
        String result = kind == TaskKind.PROBE ? Rows.json(outcome.probed()) : outcome.manifestUrl();
        int done = Sql.update(c, "UPDATE tasks SET state = 'DONE', progress = 100, fps = 0, eta_sec = 0, finished_at = ?, result = ?, "
                + "lease_expires_at = NULL WHERE id = ? AND lease_id = ? AND state = 'LEASED'",
                now, result, task.id(), task.leaseId());
        if (done == 0) throw lost(lease, jobId);
        String took = "in " + outcome.totalTimeMs() + " ms";
        switch (kind) {
            case TRANSCODE, PACKAGE -> {
                JobResult stats = outcome.result() != null ? outcome.result() : new JobResult(null, null, null);
                Sql.update(c, "UPDATE jobs SET state = 'COMPLETED', progress = 100, fps = 0, speed = 0, eta_sec = 0, manifest_url = ?, "
                        + "finished_at = ?, frames_encoded = ?, duration_seconds = ?, output_size_bytes = ? WHERE id = ? AND state = 'RUNNING'",
                        outcome.manifestUrl(), now, Sql.orNull(stats.framesEncoded()), Sql.orNull(stats.durationSeconds()),
                        Sql.orNull(stats.outputSizeBytes()), jobId);
                JdbcStore.event(c, jobId, task.id(), task.workerId(), "completed", took + ": " + outcome.manifestUrl()
                        + (task.commitLease() == null ? "" : " (committed by lease " + task.commitLease() + ")"), now);
                return job(c, jobId);
            }
            case PROBE -> {
                JdbcStore.event(c, jobId, task.id(), task.workerId(), "probed", took + ": " + outcome.probed().videoDurationSec()
                        + " s of video" + (outcome.probed().video() ? " at " + outcome.probed().frameRate() : "")
                        + (outcome.probed().audio() ? " with audio" : ""), now);
                graph.expand(c, task, job(c, jobId).spec(), outcome.probed(), now);
            }
            case ENCODE_VIDEO, ENCODE_AUDIO -> {
                JdbcStore.event(c, jobId, task.id(), task.workerId(), "encoded", describe(task) + took, now);
                graph.unblockPackage(c, jobId, now);
            }
        }
        JobGraph.refreshProgress(c, jobId, -1);
        return job(c, jobId);
    }

    Job fail(Connection c, String jobId, Store.LeaseRef lease, String error, boolean retryable, Instant now, RetryPolicy retry)
            throws SQLException {
        JobGraph.lockJob(c, dialect, jobId, false);
        Task task = held(c, jobId, lease, now);
        // an input problem may be one worker's (a missing mount): retry it once, but the same error twice is final
        boolean sameAgain = error.equals(task.lastError());
        boolean giveUp = task.attempt() >= task.maxAttempts() || (!retryable && sameAgain);
        if (!endAttempt(c, task, error, giveUp, now, retry, "failed")) throw lost(lease, jobId);
        return job(c, jobId);
    }

    /**
     * The package step found pieces missing: they are encoded again and it waits for them. Each
     * such report uses one of its attempts, so a package worker that cannot see the pieces at all
     * (another mount) ends in a FAILED job rather than a loop.
     */
    Job missingPieces(Connection c, String jobId, Store.LeaseRef lease, List<Integer> missing, Instant now, RetryPolicy retry)
            throws SQLException {
        JobGraph.lockJob(c, dialect, jobId, false);
        Task task = held(c, jobId, lease, now);
        if (!task.kind().equals(TaskKind.PACKAGE.wire()))
            throw SpoolError.invalid("missing_pieces", "is for a package task, and task " + task.id() + " is " + task.kind());
        String error = "pieces " + missing + " were missing when the job was packaged";
        if (task.attempt() >= task.maxAttempts()) {
            if (!endAttempt(c, task, error, true, now, retry, "failed")) throw lost(lease, jobId);
        } else {
            if (!graph.requeueMissing(c, task, missing, now)) throw lost(lease, jobId);
            backInQueue(c, jobId);
            JobGraph.refreshProgress(c, jobId, -1);
        }
        return job(c, jobId);
    }

    /** A FAILED or CANCELLED job runs again, keeping its finished pieces. */
    Job retry(Connection c, String jobId, Instant now) throws SQLException {
        JobGraph.lockJob(c, dialect, jobId, false);
        graph.retry(c, jobId, now);
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
            JobGraph.lockJob(c, dialect, t.jobId(), false);
            String why = "lease expired: worker " + t.workerId() + " stopped syncing";
            // a completion or cancel that committed meanwhile wins: the task is no longer LEASED
            if (endAttempt(c, t, why, t.attempt() >= t.maxAttempts(), now, retry, "lease-expired")) requeued.add(t);
        }
        return requeued;
    }

    /** A draining or deregistering worker gives its tasks back; that is not a failed attempt. */
    void handBack(Connection c, String workerId, Instant now) throws SQLException {
        for (Task t : Sql.query(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE worker_id = ? AND state = 'LEASED'",
                Rows::task, workerId))
            handBack(c, t, "handed-back", "worker left", now);
    }

    /** One task back in the queue at once, its attempt not counted; false when it is no longer this lease's. */
    boolean handBack(Connection c, Task t, String type, String why, Instant now) throws SQLException {
        JobGraph.lockJob(c, dialect, t.jobId(), false);
        int handed = Sql.update(c, "UPDATE tasks SET state = 'QUEUED', attempt = attempt - 1, worker_id = NULL, lease_id = NULL, "
                + "lease_expires_at = NULL, not_before = ? WHERE id = ? AND lease_id = ? AND state = 'LEASED'",
                now, t.id(), t.leaseId());
        if (handed == 0) return false;
        backInQueue(c, t.jobId());
        JobGraph.unpinIfNothingEncoded(c, t.jobId());
        JdbcStore.event(c, t.jobId(), t.id(), t.workerId(), type, why, now);
        dialect.announceWork(c);
        return true;
    }

    /**
     * Ends an attempt: back to the queue after the backoff, or the job fails with every attempt on
     * record. False when the task is no longer leased (finished or cancelled meanwhile): nothing changes.
     */
    boolean endAttempt(Connection c, Task t, String error, boolean giveUp, Instant now, RetryPolicy retry, String type)
            throws SQLException {
        if (giveUp) {
            int ended = Sql.update(c, "UPDATE tasks SET state = 'FAILED', last_error = ?, finished_at = ?, lease_expires_at = NULL "
                    + "WHERE id = ? AND lease_id = ? AND state = 'LEASED'", error, now, t.id(), t.leaseId());
            if (ended == 0) return false;
            String failure = describe(t) + error + " (after " + t.attempt() + " attempt" + (t.attempt() == 1 ? "" : "s") + ")";
            // escalation (seed 002): retrying will not help any more, a person has to look (cleared by retry)
            Sql.update(c, "UPDATE jobs SET state = 'FAILED', error = ?, attention = ?, finished_at = ? WHERE id = ? "
                    + "AND state IN ('QUEUED', 'RUNNING')", failure, Escalation.reason(t, error), now, t.jobId());
            JobGraph.stopOthers(c, t.jobId(), now);
            JdbcStore.event(c, t.jobId(), t.id(), t.workerId(), type, describe(t) + "attempt " + t.attempt() + ", final: " + error, now);
        } else {
            Instant notBefore = now.plus(retry.delayBefore(t.attempt()));
            int requeued = Sql.update(c, "UPDATE tasks SET state = 'QUEUED', last_error = ?, not_before = ?, worker_id = NULL, "
                    + "lease_id = NULL, lease_expires_at = NULL, progress = 0 WHERE id = ? AND lease_id = ? AND state = 'LEASED'",
                    error, notBefore, t.id(), t.leaseId());
            if (requeued == 0) return false;
            dialect.announceWork(c);
            JobGraph.refreshProgress(c, t.jobId(), -1);
            backInQueue(c, t.jobId());
            JdbcStore.event(c, t.jobId(), t.id(), t.workerId(), type, describe(t) + "attempt " + t.attempt() + ": " + error
                    + "; retry after " + notBefore, now);
        }
        JobGraph.unpinIfNothingEncoded(c, t.jobId());
        return true;
    }

    /** A running job none of whose tasks is leased any more waits in the queue again: QUEUED. */
    private static void backInQueue(Connection c, String jobId) throws SQLException {
        Sql.update(c, "UPDATE jobs SET state = 'QUEUED' WHERE id = ? AND state = 'RUNNING' "
                + "AND NOT EXISTS (SELECT 1 FROM tasks WHERE job_id = ? AND state = 'LEASED')", jobId, jobId);
    }

    /** The job's task whose live lease this report presents, or a 409. */
    static Task held(Connection c, String jobId, Store.LeaseRef lease, Instant now) throws SQLException {
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
