package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskState;
import dev.spool.model.job.TaskKind;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Seed-001 compatibility, kept out of the main claim: a worker that runs whole jobs only (seed 001's,
 * and Spool's before protocol 3) takes a job's first task as the whole job. A splittable job's
 * probe becomes its one transcode (weighing the whole job), so such a worker never sees pieces.
 */
final class WholeJobClaim {
    private WholeJobClaim() {}

    static Optional<Task> pick(Tx c, Dialect dialect, WorkerFit w, String leaseId, ClaimedWith with, Instant now,
                               Duration lease) throws SQLException {
        List<String> kinds = w.kinds().stream().filter(TaskKind.WHOLE_JOB::contains).sorted().toList();
        if (kinds.isEmpty()) return Optional.empty();
        List<Object> args = new ArrayList<>(List.of(TaskState.LEASED, w.workerId(), leaseId, with.wire(), now.plus(lease), now, TaskKind.TRANSCODE.wire(),
                now));
        args.addAll(w.encoders());
        args.add(w.maxHeight());
        args.addAll(w.pools());
        args.addAll(kinds);
        args.add(TaskState.QUEUED);
        return Sql.one(c,
                "UPDATE tasks SET state = ?, worker_id = ?, lease_id = ?, claimed_with = ?, lease_expires_at = ?, "
                        + "attempt = attempt + 1, started_at = ?, acked_at = NULL, kind = ?, weight = 1 "
                        + "WHERE id = (SELECT id FROM tasks WHERE state = " + Sql.literal(TaskState.QUEUED) + " AND not_before <= ? "   // for tasks_queue, as in TaskLeases
                        + "AND (encoder = '' OR encoder IN (" + Sql.marks(w.encoders().size()) + ")) AND min_height <= ? "
                        + "AND pool IN (" + Sql.marks(w.pools().size()) + ") "
                        + "AND kind IN (" + Sql.marks(kinds.size()) + ") "
                        + "ORDER BY priority, created_at, COALESCE(piece, -1), id LIMIT 1" + dialect.skipLocked() + ") "
                        + "AND state = ? RETURNING " + Rows.TASK_COLUMNS,
                Rows::task, args.toArray());
    }
}
