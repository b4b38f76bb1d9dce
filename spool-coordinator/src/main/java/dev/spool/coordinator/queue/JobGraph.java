package dev.spool.coordinator.queue;

import dev.spool.model.job.JobState;
import dev.spool.model.job.TaskState;
import dev.spool.coordinator.schedule.rules.TaskGraph;
import dev.spool.model.encode.PiecePlan;
import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskKind;
import dev.spool.model.protocol.WorkerMessages;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A job's tasks as a DAG in the database: the probe's plan ({@link TaskGraph}: a whole-job transcode,
 * or pieces, the audio and a package step BLOCKED until they are DONE) inserted, the package
 * unblocked, missing pieces encoded again. Finished pieces stay DONE through failures and retries:
 * that is what a job resumes from.
 */
final class JobGraph {
    /** The probe said what the source is: cut the job into its tasks. */
    void expand(LockedJob job, Task probe, WorkerMessages.Probed probed, Instant now) throws SQLException {
        Tx c = job.tx();
        TaskGraph.Plan plan = TaskGraph.after(job.job().spec(), probed);
        if (plan.split() != null) Sql.update(c, "UPDATE jobs SET split = ? WHERE id = ?", Rows.json(plan.split()), job.id());
        if (plan.probeWeight() != null) Sql.update(c, "UPDATE tasks SET weight = ? WHERE id = ?", plan.probeWeight(), probe.id());
        for (TaskGraph.NewTask t : plan.tasks()) insert(c, probe, t, now);
        job.event(probe, EventType.PLANNED, plan.description(), now);
        c.queuedWork();
    }

    /** The package step becomes ready once every piece and the audio are DONE. */
    void unblockPackage(LockedJob job, Instant now) throws SQLException {
        String jobId = job.id();
        int ready = Sql.update(job.tx(), "UPDATE tasks SET state = ?, not_before = ? WHERE job_id = ? AND kind = ? "
                + "AND state = ? AND NOT EXISTS (SELECT 1 FROM tasks WHERE job_id = ? AND kind IN (?, ?) AND state <> ?)",
                TaskState.QUEUED, now, jobId, TaskKind.PACKAGE.wire(), TaskState.BLOCKED, jobId, TaskKind.ENCODE_VIDEO.wire(),
                TaskKind.ENCODE_AUDIO.wire(), TaskState.DONE);
        if (ready == 0) return;
        job.event(null, null, EventType.READY, "every piece is encoded: the package step is queued", now);
        job.tx().queuedWork();
    }

    /**
     * The package step found pieces missing (a disk wiped, a file lost): those are encoded again
     * and the package waits for them. False when the package is no longer leased (nothing changes).
     */
    boolean requeueMissing(LockedJob job, Task pack, List<Integer> missing, Instant now) throws SQLException {
        Tx c = job.tx();
        int blocked = Sql.update(c, "UPDATE tasks SET state = ?, worker_id = NULL, lease_id = NULL, lease_expires_at = NULL, "
                + "progress = 0, last_error = ? WHERE id = ? AND lease_id = ? AND state = ?",
                TaskState.BLOCKED, "pieces " + missing + " were missing", pack.id(), pack.leaseId(), TaskState.LEASED);
        if (blocked == 0) return false;
        for (int index : missing) {
            List<Object> args = new java.util.ArrayList<>(List.of(TaskState.QUEUED, now, "its output was missing when the job was packaged",
                    pack.jobId(), TaskState.DONE, index < 0 ? TaskKind.ENCODE_AUDIO.wire() : TaskKind.ENCODE_VIDEO.wire()));
            String which = "";
            if (index >= 0) {
                which = " AND piece = ?";
                args.add(index);
            }
            int requeued = Sql.update(c, "UPDATE tasks SET state = ?, not_before = ?, worker_id = NULL, lease_id = NULL, "
                    + "lease_expires_at = NULL, progress = 0, finished_at = NULL, result = NULL, last_error = ? "
                    + "WHERE job_id = ? AND state = ? AND kind = ?" + which, args.toArray());
            if (requeued == 0)
                throw SpoolError.invalid("missing_pieces", "names " + index + ", which is no finished piece of job " + pack.jobId());
        }
        job.unpinIfNothingEncoded();
        job.event(pack, EventType.PIECES_MISSING, "attempt " + pack.attempt()
                + ": pieces " + missing + " (-1: the audio) are encoded again", now);
        c.queuedWork();
        return true;
    }

    /**
     * Runs a FAILED or CANCELLED job again from where it stopped: its unfinished tasks are queued
     * with fresh attempts, its DONE ones (finished pieces) are kept.
     */
    void retry(LockedJob job, Instant now) throws SQLException {
        Tx c = job.tx();
        String jobId = job.id();
        // a stopped task whose worker has not heard the news yet would run on beside its retry
        if (Sql.one(c, "SELECT 1 FROM tasks WHERE job_id = ? AND state = ? AND lease_id IS NOT NULL AND lease_expires_at > ?",
                rs -> true, jobId, TaskState.CANCELLED, now).isPresent())
            throw new SpoolError(SpoolError.Code.CONFLICT, "job_id", "job " + jobId + " is still stopping on a worker; retry it in a moment");
        int reopened = Sql.update(c, "UPDATE jobs SET state = ?, error = NULL, attention = NULL, finished_at = NULL, end_event = NULL, "
                + "progress = 0, fps = 0, eta_sec = -1 WHERE id = ? AND state IN (?, ?)", JobState.QUEUED, jobId, JobState.FAILED,
                JobState.CANCELLED);
        if (reopened == 0) {
            String state = Sql.one(c, "SELECT state FROM jobs WHERE id = ?", rs -> rs.getString(1), jobId)
                    .orElseThrow(() -> new SpoolError(SpoolError.Code.NOT_FOUND, "job_id", "no job " + jobId));
            throw new SpoolError(SpoolError.Code.CONFLICT, "job_id", "job " + jobId + " is " + state
                    + "; only a FAILED or CANCELLED job can be retried");
        }
        String fresh = "attempt = 0, worker_id = NULL, lease_id = NULL, lease_expires_at = NULL, progress = 0, fps = 0, "
                + "eta_sec = -1, finished_at = NULL, not_before = ?";
        Sql.update(c, "UPDATE tasks SET state = ?, " + fresh + " WHERE job_id = ? AND kind <> ? AND state IN (?, ?)",
                TaskState.QUEUED, now, jobId, TaskKind.PACKAGE.wire(), TaskState.FAILED, TaskState.CANCELLED);
        Sql.update(c, "UPDATE tasks SET state = ?, " + fresh + " WHERE job_id = ? AND kind = ? AND state IN (?, ?)",
                TaskState.BLOCKED, now, jobId, TaskKind.PACKAGE.wire(), TaskState.FAILED, TaskState.CANCELLED);
        unblockPackage(job, now);
        job.unpinIfNothingEncoded();
        int kept = Sql.one(c, "SELECT COUNT(*) FROM tasks WHERE job_id = ? AND state = ? AND kind IN (?, ?)",
                rs -> rs.getInt(1), jobId, TaskState.DONE, TaskKind.ENCODE_VIDEO.wire(), TaskKind.ENCODE_AUDIO.wire()).orElse(0);
        job.event(null, null, EventType.RETRIED, kept + " finished piece" + (kept == 1 ? "" : "s") + " kept", now);
        job.refreshProgress(-1);
        c.queuedWork();
    }

    /**
     * A task's percent: for a piece whose worker counts frames, its frames done over the frames of its
     * range in the job's split plan (exact, where a worker's own figure may not be); else as reported.
     */
    static double percentOf(LockedJob locked, Task task, JobQueue.Report r) throws SQLException {
        Job job = locked.job();
        if (r.framesDone() == null || task.piece() == null || job.split() == null) return r.percent();
        PiecePlan.Piece piece = job.split().pieces().pieces().get(task.piece());
        // the last piece runs to the end of the video: its share of the job in seconds is its length
        double lengthSec = Sql.one(locked.tx(), "SELECT weight FROM tasks WHERE id = ?", rs -> rs.getDouble(1), task.id()).orElse(0.0);
        long frames = piece.last() ? Math.max(1, Math.round(lengthSec * job.split().frameRate().value())) : piece.endFrame() - piece.firstFrame();
        return Math.min(100, 100.0 * Math.max(0, r.framesDone()) / frames);
    }

    /** A new task of the probe's job, with its priority, pool and age (so FIFO holds across jobs). */
    private static void insert(Tx c, Task probe, TaskGraph.NewTask task, Instant now) throws SQLException {
        // encoder '' and height 0: any worker may encode the audio or package, whatever its video encoders;
        // the piece is written into the SQL (a number, or NULL) because a bound null is a VARCHAR to PostgreSQL
        String encoder = task.needsVideoEncoder() ? "encoder" : "''";
        String minHeight = task.needsVideoEncoder() ? "min_height" : "0";
        String pieceValue = task.piece() == null ? "NULL" : Integer.toString(task.piece());
        Sql.update(c, String.format(Locale.ROOT, "INSERT INTO tasks (id, job_id, kind, state, priority, encoder, min_height, pool, "
                + "max_attempts, not_before, created_at, piece, weight) SELECT ?, job_id, ?, ?, priority, %s, %s, pool, max_attempts, "
                + "?, created_at, %s, ? FROM tasks WHERE id = ?", encoder, minHeight, pieceValue),
                JdbcJobQueue.newId("task_"), task.kind().wire(), task.state(), now, task.weight(), probe.id());
    }
}
