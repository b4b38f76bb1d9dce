package dev.spool.coordinator.store;

import dev.spool.model.encode.PiecePlan;
import dev.spool.model.job.JobRecord;
import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskKind;
import dev.spool.model.protocol.WorkerMessages;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A job's tasks as a DAG (DESIGN section 3): a probe becomes one whole-job transcode, or N
 * encode-video pieces and one encode-audio, with a package step BLOCKED until every one of them
 * is DONE. Finished pieces stay DONE through failures and retries: that is what a job resumes from.
 */
final class JobGraph {
    /** Shares of a job's progress beside its video pieces (which weigh their seconds). */
    private static final double PROBE_SHARE = 0.01;
    private static final double AUDIO_SHARE = 0.03;
    private static final double PACKAGE_SHARE = 0.02;

    private final Dialect dialect;

    JobGraph(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The probe said what the source is: cut the job into its tasks. */
    void expand(Connection c, Task probe, JobRecord spec, WorkerMessages.Probed probed, Instant now) throws SQLException {
        PiecePlan pieces = spec.splittable() && probed.video() && probed.videoDurationSec() > 0
                ? PiecePlan.of(probed.videoDurationSec(), probed.frameRate(), spec.hlsSettings().segmentTime(), spec.pieceSeconds())
                : null;
        if (pieces == null || pieces.pieces().size() == 1) {
            insert(c, probe, TaskKind.TRANSCODE, "QUEUED", null, 1, true, now);
            JdbcStore.event(c, probe.jobId(), probe.id(), probe.workerId(), "planned", "runs whole on one worker ("
                    + (pieces == null ? "not split" : "shorter than one piece") + ")", now);
        } else {
            WorkerMessages.Split split = new WorkerMessages.Split(pieces, probed.frameRate(), null, null);
            Sql.update(c, "UPDATE jobs SET split = ? WHERE id = ?", Rows.json(split), probe.jobId());
            double duration = probed.videoDurationSec();
            Sql.update(c, "UPDATE tasks SET weight = ? WHERE id = ?", duration * PROBE_SHARE, probe.id());
            if (probed.audio()) insert(c, probe, TaskKind.ENCODE_AUDIO, "QUEUED", null, duration * AUDIO_SHARE, false, now);
            for (PiecePlan.Piece p : pieces.pieces()) {
                insert(c, probe, TaskKind.ENCODE_VIDEO, "QUEUED", p.index(), p.lengthSec(duration, probed.frameRate()), true, now);
            }
            insert(c, probe, TaskKind.PACKAGE, "BLOCKED", null, duration * PACKAGE_SHARE, false, now);
            JdbcStore.event(c, probe.jobId(), probe.id(), probe.workerId(), "planned", pieces.pieces().size() + " pieces of "
                    + spec.pieceSeconds() + " s" + (probed.audio() ? ", the audio whole" : "") + ", then package", now);
        }
        dialect.announceWork(c);
    }

    /** The package step becomes ready once every piece and the audio are DONE. */
    void unblockPackage(Connection c, String jobId, Instant now) throws SQLException {
        int ready = Sql.update(c, "UPDATE tasks SET state = 'QUEUED', not_before = ? WHERE job_id = ? AND kind = ? "
                + "AND state = 'BLOCKED' AND NOT EXISTS (SELECT 1 FROM tasks WHERE job_id = ? AND kind IN (?, ?) AND state <> 'DONE')",
                now, jobId, TaskKind.PACKAGE.wire(), jobId, TaskKind.ENCODE_VIDEO.wire(), TaskKind.ENCODE_AUDIO.wire());
        if (ready == 0) return;
        JdbcStore.event(c, jobId, null, null, "ready", "every piece is encoded: the package step is queued", now);
        dialect.announceWork(c);
    }

    /**
     * The job failed: its other tasks stop. A leased one keeps its worker and lease, so that worker
     * is told to stop at its next sync, as for a cancel.
     */
    static void stopOthers(Connection c, String jobId, Instant now) throws SQLException {
        Sql.update(c, "UPDATE tasks SET state = 'CANCELLED', finished_at = ? WHERE job_id = ? AND state IN ('QUEUED', 'BLOCKED', 'LEASED')",
                now, jobId);
    }

    /**
     * The package step found pieces missing (a disk wiped, a file lost): those are encoded again
     * and the package waits for them. False when the package is no longer leased (nothing changes).
     */
    boolean requeueMissing(Connection c, Task pack, List<Integer> missing, Instant now) throws SQLException {
        int blocked = Sql.update(c, "UPDATE tasks SET state = 'BLOCKED', worker_id = NULL, lease_id = NULL, lease_expires_at = NULL, "
                + "progress = 0, last_error = ? WHERE id = ? AND lease_id = ? AND state = 'LEASED'",
                "pieces " + missing + " were missing", pack.id(), pack.leaseId());
        if (blocked == 0) return false;
        for (int index : missing) {
            List<Object> args = new java.util.ArrayList<>(List.of(now, "its output was missing when the job was packaged",
                    pack.jobId(), index < 0 ? TaskKind.ENCODE_AUDIO.wire() : TaskKind.ENCODE_VIDEO.wire()));
            String which = "";
            if (index >= 0) {
                which = " AND piece = ?";
                args.add(index);
            }
            int requeued = Sql.update(c, "UPDATE tasks SET state = 'QUEUED', not_before = ?, worker_id = NULL, lease_id = NULL, "
                    + "lease_expires_at = NULL, progress = 0, finished_at = NULL, result = NULL, last_error = ? "
                    + "WHERE job_id = ? AND state = 'DONE' AND kind = ?" + which, args.toArray());
            if (requeued == 0)
                throw SpoolError.invalid("missing_pieces", "names " + index + ", which is no finished piece of job " + pack.jobId());
        }
        unpinIfNothingEncoded(c, pack.jobId());
        JdbcStore.event(c, pack.jobId(), pack.id(), pack.workerId(), "pieces-missing", "attempt " + pack.attempt()
                + ": pieces " + missing + " (-1: the audio) are encoded again", now);
        dialect.announceWork(c);
        return true;
    }

    /**
     * Runs a FAILED or CANCELLED job again from where it stopped: its unfinished tasks are queued
     * with fresh attempts, its DONE ones (finished pieces) are kept.
     */
    void retry(Connection c, String jobId, Instant now) throws SQLException {
        // a stopped task whose worker has not heard the news yet would run on beside its retry
        if (Sql.one(c, "SELECT 1 FROM tasks WHERE job_id = ? AND state = 'CANCELLED' AND lease_id IS NOT NULL AND lease_expires_at > ?",
                rs -> true, jobId, now).isPresent())
            throw new SpoolError(SpoolError.Code.CONFLICT, "job_id", "job " + jobId + " is still stopping on a worker; retry it in a moment");
        int reopened = Sql.update(c, "UPDATE jobs SET state = 'QUEUED', error = NULL, attention = NULL, finished_at = NULL, cancel_requested = 0, "
                + "progress = 0, fps = 0, eta_sec = -1 WHERE id = ? AND state IN ('FAILED', 'CANCELLED')", jobId);
        if (reopened == 0) {
            String state = Sql.one(c, "SELECT state FROM jobs WHERE id = ?", rs -> rs.getString(1), jobId)
                    .orElseThrow(() -> new SpoolError(SpoolError.Code.NOT_FOUND, "job_id", "no job " + jobId));
            throw new SpoolError(SpoolError.Code.CONFLICT, "job_id", "job " + jobId + " is " + state
                    + "; only a FAILED or CANCELLED job can be retried");
        }
        String fresh = "attempt = 0, worker_id = NULL, lease_id = NULL, lease_expires_at = NULL, progress = 0, fps = 0, "
                + "eta_sec = -1, finished_at = NULL, not_before = ?";
        Sql.update(c, "UPDATE tasks SET state = 'QUEUED', " + fresh + " WHERE job_id = ? AND kind <> ? AND state IN ('FAILED', 'CANCELLED')",
                now, jobId, TaskKind.PACKAGE.wire());
        Sql.update(c, "UPDATE tasks SET state = 'BLOCKED', " + fresh + " WHERE job_id = ? AND kind = ? AND state IN ('FAILED', 'CANCELLED')",
                now, jobId, TaskKind.PACKAGE.wire());
        unblockPackage(c, jobId, now);
        unpinIfNothingEncoded(c, jobId);
        int kept = Sql.one(c, "SELECT COUNT(*) FROM tasks WHERE job_id = ? AND state = 'DONE' AND kind IN (?, ?)",
                rs -> rs.getInt(1), jobId, TaskKind.ENCODE_VIDEO.wire(), TaskKind.ENCODE_AUDIO.wire()).orElse(0);
        JdbcStore.event(c, jobId, null, null, "retried", kept + " finished piece" + (kept == 1 ? "" : "s") + " kept", now);
        refreshProgress(c, jobId, -1);
        dialect.announceWork(c);
    }

    /**
     * Locks the job's row until the transaction ends: every change to a job's tasks takes it
     * first, so two completions of one job cannot both miss each other (the last one always sees
     * the others DONE), and locks are always taken job first. A claim, which already holds its task,
     * must not wait ({@code now}): it fails at once and is tried again (see {@link TaskLeases.ClaimRace}).
     * Null for an unknown job. SQLite has one connection: every transaction is alone anyway.
     */
    static Job lockJob(Connection c, Dialect dialect, String jobId, boolean now) throws SQLException {
        String lock = dialect.forUpdate().isEmpty() ? "" : dialect.forUpdate() + (now ? " NOWAIT" : "");
        return Sql.one(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id = ?" + lock, Rows::job, jobId).orElse(null);
    }

    /**
     * The first leased piece pins the job's pieces to its worker's ffmpeg build; false when the
     * job is pinned to another build (another claim got there first). Runs under the job's lock.
     */
    static boolean pin(Connection c, Job job, Task piece, String build, Instant now) throws SQLException {
        if (job.encoderBuild() != null) return job.encoderBuild().equals(build);
        if (build.isEmpty()) return true;
        Sql.update(c, "UPDATE jobs SET encoder_build = ? WHERE id = ?", build, job.id());
        JdbcStore.event(c, job.id(), piece.id(), piece.workerId(), "pinned", "every piece is encoded by ffmpeg build " + build, now);
        return true;
    }

    /** Nothing encoded or encoding under the pinned build any more: any build may start the pieces afresh. */
    static void unpinIfNothingEncoded(Connection c, String jobId) throws SQLException {
        Sql.update(c, "UPDATE jobs SET encoder_build = NULL WHERE id = ? AND encoder_build IS NOT NULL "
                + "AND NOT EXISTS (SELECT 1 FROM tasks WHERE job_id = ? AND kind = ? AND state IN ('LEASED', 'DONE'))",
                jobId, jobId, TaskKind.ENCODE_VIDEO.wire());
    }

    /**
     * The job's progress: its tasks' progress weighted by their share (a piece by its seconds), never
     * going back while the job runs (a piece encoded again catches up unseen); the frame rate and speed
     * of all its running tasks together; and its ETA: the reporter's while one task is left, else the
     * video seconds still to encode (queued pieces too) over the running pieces' speed together.
     */
    static void refreshProgress(Connection c, String jobId, long etaOfReporter) throws SQLException {
        String weighted = "COALESCE((SELECT SUM((CASE WHEN state = 'DONE' THEN 100 ELSE progress END) * weight) "
                + "/ NULLIF(SUM(weight), 0) FROM tasks WHERE job_id = ? AND state <> 'CANCELLED'), 0)";
        String open = "state IN ('BLOCKED', 'QUEUED', 'LEASED')";
        Sql.update(c, "UPDATE jobs SET "
                + "progress = CASE WHEN state IN ('QUEUED', 'RUNNING') AND progress > " + weighted + " THEN progress ELSE "
                + weighted + " END, "
                + "fps = COALESCE((SELECT SUM(fps) FROM tasks WHERE job_id = ? AND state = 'LEASED'), 0), "
                + "speed = COALESCE((SELECT SUM(speed) FROM tasks WHERE job_id = ? AND state = 'LEASED'), 0), "
                + "eta_sec = CASE WHEN (SELECT COUNT(*) FROM tasks WHERE job_id = ? AND " + open + ") <= 1 THEN ? "
                + "ELSE COALESCE((SELECT CAST(ROUND(SUM(CASE WHEN " + open + " THEN (100 - progress) * weight / 100 ELSE 0 END) "
                + "/ NULLIF(SUM(CASE WHEN state = 'LEASED' THEN speed ELSE 0 END), 0)) AS BIGINT) "
                + "FROM tasks WHERE job_id = ? AND kind = ?), -1) END WHERE id = ?",
                jobId, jobId, jobId, jobId, jobId, etaOfReporter, jobId, TaskKind.ENCODE_VIDEO.wire(), jobId);
    }

    /**
     * A task's percent: for a piece whose worker counts frames, its frames done over the frames of its
     * range in the job's split plan (exact, where a worker's own figure may not be); else as reported.
     */
    static double percentOf(Connection c, Job job, Task task, Store.Report r) throws SQLException {
        if (r.framesDone() == null || task.piece() == null || job.split() == null) return r.percent();
        PiecePlan.Piece piece = job.split().pieces().pieces().get(task.piece());
        // the last piece runs to the end of the video: its share of the job in seconds is its length
        double lengthSec = Sql.one(c, "SELECT weight FROM tasks WHERE id = ?", rs -> rs.getDouble(1), task.id()).orElse(0.0);
        long frames = piece.last() ? Math.max(1, Math.round(lengthSec * job.split().frameRate().value())) : piece.endFrame() - piece.firstFrame();
        return Math.min(100, 100.0 * Math.max(0, r.framesDone()) / frames);
    }

    /** A new task of the probe's job, with its priority, pool and age (so FIFO holds across jobs). */
    private static void insert(Connection c, Task probe, TaskKind kind, String state, Integer piece, double weight,
                               boolean needsVideoEncoder, Instant now) throws SQLException {
        // encoder '' and height 0: any worker may encode the audio or package, whatever its video encoders;
        // the piece is written into the SQL (a number, or NULL) because a bound null is a VARCHAR to PostgreSQL
        String encoder = needsVideoEncoder ? "encoder" : "''";
        String minHeight = needsVideoEncoder ? "min_height" : "0";
        String pieceValue = piece == null ? "NULL" : Integer.toString(piece);
        Sql.update(c, String.format(Locale.ROOT, "INSERT INTO tasks (id, job_id, kind, state, priority, encoder, min_height, pool, "
                + "max_attempts, not_before, created_at, piece, weight) SELECT ?, job_id, ?, ?, priority, %s, %s, pool, max_attempts, "
                + "?, created_at, %s, ? FROM tasks WHERE id = ?", encoder, minHeight, pieceValue),
                JdbcStore.newId("task_"), kind.wire(), state, now, weight, probe.id());
    }
}
