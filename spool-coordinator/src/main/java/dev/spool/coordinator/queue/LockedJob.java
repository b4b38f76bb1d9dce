package dev.spool.coordinator.queue;

import dev.spool.model.job.JobState;
import dev.spool.model.job.TaskState;
import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskKind;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A job whose row this transaction has locked, and the only way to change its tasks or append its
 * events. Every change to a job's tasks takes the lock first (see {@link JobLocks}), so two
 * completions of one job cannot both miss each other (the last one always sees the others DONE),
 * and locks are always taken job first; holding this handle is the proof, so it cannot be forgotten.
 */
final class LockedJob {
    private final Tx c;
    private final String id;
    private final Job job;

    LockedJob(Tx c, String id, Job job) {
        this.c = c;
        this.id = id;
        this.job = job;
    }

    String id() { return id; }

    /** The job as it was when locked; null for an unknown job (whose tasks then match nothing). */
    Job job() { return job; }

    /** The job as this transaction has changed it so far. */
    Job reload() throws SQLException {
        return Sql.one(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id = ?", Rows::job, id).orElseThrow();
    }

    /** The transaction, for the statements of the classes that shape the job's tasks. */
    Tx tx() { return c; }

    /**
     * Appends an event in the transaction of the change it records; its listeners hear of it once that
     * commits. Returns its id.
     */
    long event(String taskId, String workerId, EventType type, String detail, Instant now) throws SQLException {
        long eventId = Sql.one(c, "INSERT INTO events (job_id, task_id, worker_id, type, detail, at) VALUES (?, ?, ?, ?, ?, ?) "
                + "RETURNING id", rs -> rs.getLong(1), id, taskId, workerId, type.wire(), detail, now).orElseThrow();
        c.recorded(new Event(eventId, id, taskId, workerId, type, detail, now));
        return eventId;
    }

    /** An event of one of the job's tasks, on the task's worker. */
    long event(Task task, EventType type, String detail, Instant now) throws SQLException {
        return event(task.id(), task.workerId(), type, detail, now);
    }

    /** Marks the event that started the job (its first lease): the one "started" is told of. */
    void startedBy(long eventId) throws SQLException {
        Sql.update(c, "UPDATE jobs SET start_event = ? WHERE id = ? AND start_event IS NULL", eventId, id);
    }

    /** Marks the event that ended the job (completed, failed for good, cancelled): the one its final webhook is told of. */
    void endedBy(long eventId) throws SQLException {
        Sql.update(c, "UPDATE jobs SET end_event = ? WHERE id = ?", eventId, id);
    }

    /**
     * The job's task whose live lease this report presents (its worker, its lease id if given, and
     * the kind of credential it came with), or a 409. A lease claimed with a worker's own credential
     * answers only that credential; one claimed with the join token only the join token, under the
     * same worker id: the other kind is a 403, since the join token is shared by every worker.
     */
    Task held(JobQueue.LeaseRef lease, Instant now) throws SQLException {
        Task task = live(lease, now);
        if (task.claimedWith() != lease.claimedWith()) throw foreign(task, lease.claimedWith());
        return task;
    }

    private static SpoolError foreign(Task task, ClaimedWith caller) {
        String lease = "lease " + task.leaseId();
        String message = task.claimedWith() == ClaimedWith.WORKER
                ? lease + " was claimed with worker " + task.workerId() + "'s own credential; the join token cannot act for it"
                : task.claimedWith() == ClaimedWith.JOIN
                ? lease + " was claimed with the join token (a seed-001 worker); worker " + task.workerId()
                        + "'s own credential cannot act for it"
                : lease + " records no credential it was claimed with; no " + caller.wire() + " credential can act for it";
        return new SpoolError(SpoolError.Code.FORBIDDEN, "lease_id", message);
    }

    private Task live(JobQueue.LeaseRef lease, Instant now) throws SQLException {
        List<Object> args = new ArrayList<>(List.of(id, TaskState.LEASED, lease.workerId(), now));
        String byLease = "";
        if (lease.leaseId() != null) {
            byLease = " AND lease_id = ?";
            args.add(lease.leaseId());
        }
        return Sql.one(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE job_id = ? AND state = ? "
                + "AND worker_id = ? AND lease_expires_at > ?" + byLease, Rows::task, args.toArray())
                .orElseThrow(() -> lost(lease));
    }

    /** The 409 for a report on a lease this job's tasks no longer carry. */
    SpoolError lost(JobQueue.LeaseRef lease) {
        String what = lease.leaseId() != null ? "lease " + lease.leaseId() : "a lease";
        return new SpoolError(SpoolError.Code.CONFLICT, "lease_id", "worker " + lease.workerId() + " does not hold " + what
                + " on job " + id + " (expired, re-assigned, cancelled or finished)");
    }

    /**
     * The job ended: its other tasks stop. A leased one keeps its worker and lease, so that worker
     * is told to stop at its next sync.
     */
    void stopOthers(Instant now) throws SQLException {
        Sql.update(c, "UPDATE tasks SET state = ?, finished_at = ? WHERE job_id = ? AND state IN (?, ?, ?)",
                TaskState.CANCELLED, now, id, TaskState.QUEUED, TaskState.BLOCKED, TaskState.LEASED);
    }

    /** A running job none of whose tasks is leased any more waits in the queue again: QUEUED. */
    void backInQueue() throws SQLException {
        Sql.update(c, "UPDATE jobs SET state = ? WHERE id = ? AND state = ? "
                + "AND NOT EXISTS (SELECT 1 FROM tasks WHERE job_id = ? AND state = ?)", JobState.QUEUED, id, JobState.RUNNING, id,
                TaskState.LEASED);
    }

    /**
     * The first leased piece pins the job's pieces to its worker's ffmpeg build; false when the
     * job is pinned to another build (another claim got there first).
     */
    boolean pin(Task piece, String build, Instant now) throws SQLException {
        if (job.encoderBuild() != null) return job.encoderBuild().equals(build);
        if (build.isEmpty()) return true;
        Sql.update(c, "UPDATE jobs SET encoder_build = ? WHERE id = ?", build, id);
        event(piece, EventType.PINNED, "every piece is encoded by ffmpeg build " + build, now);
        return true;
    }

    /** Nothing encoded or encoding under the pinned build any more: any build may start the pieces afresh. */
    void unpinIfNothingEncoded() throws SQLException {
        Sql.update(c, "UPDATE jobs SET encoder_build = NULL WHERE id = ? AND encoder_build IS NOT NULL "
                + "AND NOT EXISTS (SELECT 1 FROM tasks WHERE job_id = ? AND kind = ? AND state IN (?, ?))",
                id, id, TaskKind.ENCODE_VIDEO.wire(), TaskState.LEASED, TaskState.DONE);
    }

    /**
     * The job's progress: its tasks' progress weighted by their share (a piece by its seconds), never
     * going back while the job runs (a piece encoded again catches up unseen); the frame rate and speed
     * of all its running tasks together; and its ETA: the reporter's while one task is left, else the
     * video seconds still to encode (queued pieces too) over the running pieces' speed together.
     */
    /** Recomputes the job's progress, rate and ETA from its tasks; returns the progress it now has. */
    double refreshProgress(long etaOfReporter) throws SQLException {
        // the states are bound in the order their marks appear; "weighted" and "open" appear twice each
        String weighted = "COALESCE((SELECT SUM((CASE WHEN state = ? THEN 100 ELSE progress END) * weight) "
                + "/ NULLIF(SUM(weight), 0) FROM tasks WHERE job_id = ? AND state <> ?), 0)";
        List<Object> weightedArgs = List.of(TaskState.DONE, id, TaskState.CANCELLED);
        String open = "state IN (?, ?, ?)";
        List<Object> openArgs = List.of(TaskState.BLOCKED, TaskState.QUEUED, TaskState.LEASED);
        List<Object> args = new ArrayList<>(List.of(JobState.QUEUED, JobState.RUNNING));
        args.addAll(weightedArgs);
        args.addAll(weightedArgs);
        args.addAll(List.of(id, TaskState.LEASED, id, TaskState.LEASED, id));
        args.addAll(openArgs);
        args.add(etaOfReporter);
        args.addAll(openArgs);
        args.addAll(List.of(TaskState.LEASED, id, TaskKind.ENCODE_VIDEO.wire(), id));
        return Sql.one(c, "UPDATE jobs SET "
                + "progress = CASE WHEN state IN (?, ?) AND progress > " + weighted + " THEN progress ELSE "
                + weighted + " END, "
                + "fps = COALESCE((SELECT SUM(fps) FROM tasks WHERE job_id = ? AND state = ?), 0), "
                + "speed = COALESCE((SELECT SUM(speed) FROM tasks WHERE job_id = ? AND state = ?), 0), "
                + "eta_sec = CASE WHEN (SELECT COUNT(*) FROM tasks WHERE job_id = ? AND " + open + ") <= 1 THEN ? "
                + "ELSE COALESCE((SELECT CAST(ROUND(SUM(CASE WHEN " + open + " THEN (100 - progress) * weight / 100 ELSE 0 END) "
                + "/ NULLIF(SUM(CASE WHEN state = ? THEN speed ELSE 0 END), 0)) AS BIGINT) "
                + "FROM tasks WHERE job_id = ? AND kind = ?), -1) END WHERE id = ? RETURNING progress",
                rs -> rs.getDouble(1), args.toArray()).orElse(0.0);
    }
}
