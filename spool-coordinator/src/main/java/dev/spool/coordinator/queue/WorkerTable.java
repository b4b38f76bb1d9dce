package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskState;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The workers and their credentials: registrations, heartbeats (which renew the worker's leases
 * and tell it what was cancelled under it) and tokens.
 */
final class WorkerTable {
    private final Sql sql;

    WorkerTable(Sql sql) {
        this.sql = sql;
    }

    void save(WorkerRecord w) {
        sql.tx(c -> Sql.update(c, "INSERT INTO workers (" + Rows.WORKER_SAVED + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET protocol = excluded.protocol, capabilities = excluded.capabilities, "
                + "pools = excluded.pools, slots = excluded.slots, status = excluded.status, hardware = excluded.hardware, "
                + "current_job_id = excluded.current_job_id, last_seen_at = excluded.last_seen_at",
                w.id(), w.protocol(), w.capabilitiesJson(), String.join(",", w.pools()), w.slots(), w.status(),
                w.hardwareJson(), w.currentJobId(), w.registeredAt(), w.lastSeenAt()));
    }

    Optional<WorkerRecord> find(String id) {
        return sql.tx(c -> Sql.one(c, "SELECT " + Rows.WORKER_COLUMNS + " FROM workers WHERE id = ?", Rows::worker, id));
    }

    List<WorkerRecord> all() {
        return sql.tx(c -> Sql.query(c, "SELECT " + Rows.WORKER_COLUMNS + " FROM workers ORDER BY id", Rows::worker));
    }

    /** Sets the operator's control of a worker; empty when there is no such worker. */
    Optional<WorkerRecord> control(String id, WorkerRecord.Control control) {
        return sql.tx(c -> Sql.one(c, "UPDATE workers SET control = ? WHERE id = ? RETURNING " + Rows.WORKER_COLUMNS,
                Rows::worker, control.name(), id));
    }

    /**
     * Whether a claim may give this worker work: not while it is PAUSED or DRAINING. A worker with no
     * row (a claim made without registering, as tests do) may. The row is read under a share lock
     * (PostgreSQL), so a pause that commits first is seen, and one that comes later waits for the claim.
     */
    static boolean takesWork(Tx c, Dialect dialect, String workerId) throws SQLException {
        return Sql.one(c, "SELECT control FROM workers WHERE id = ?" + dialect.forShare(), rs -> rs.getString(1), workerId)
                .map(WorkerRecord.Control.ACTIVE.name()::equals).orElse(true);
    }

    /** The worker and its credentials, in the caller's transaction once its leases are handed back. */
    static int remove(Tx c, String id) throws SQLException {
        deleteTokens(c, id);
        return Sql.update(c, "DELETE FROM workers WHERE id = ?", id);
    }

    /** One transaction per sync: the worker's row, its leases renewed, and what it holds or must stop. */
    Optional<JobQueue.Heartbeat> heartbeat(String workerId, String status, String hardwareJson, String currentJobId,
                                        List<String> leaseIds, Instant now, Duration lease, ClaimedWith with) {
        return sql.tx(c -> {
            Optional<WorkerRecord> worker = Sql.one(c, "UPDATE workers SET status = ?, hardware = ?, current_job_id = ?, "
                    + "last_seen_at = ? WHERE id = ? RETURNING " + Rows.WORKER_COLUMNS, Rows::worker,
                    status, hardwareJson, currentJobId, now, workerId);
            if (worker.isEmpty()) return Optional.empty();
            renew(c, workerId, with, leaseIds, currentJobId, now, lease);
            List<String> cancelled = new ArrayList<>();
            int[] leased = {0};
            Sql.query(c, "SELECT state, job_id FROM tasks WHERE worker_id = ? AND (state = ? "
                    + "OR (state = ? AND lease_id IS NOT NULL))", rs -> {
                if (TaskState.valueOf(rs.getString(1)) == TaskState.LEASED) leased[0]++;
                else if (!cancelled.contains(rs.getString(2))) cancelled.add(rs.getString(2));
                return null;
            }, workerId, TaskState.LEASED, TaskState.CANCELLED);
            return Optional.of(new JobQueue.Heartbeat(worker.get(), cancelled, leased[0]));
        });
    }

    /** Renews the leases this sync names, of the kind of credential it came with: the join token renews no worker's own. */
    private static int renew(Tx c, String workerId, ClaimedWith with, List<String> leaseIds, String currentJobId, Instant now,
                             Duration lease) throws SQLException {
        List<Object> args = new ArrayList<>(List.of(now.plus(lease), now, workerId, TaskState.LEASED, with.wire(), now));
        List<String> conditions = new ArrayList<>();
        if (leaseIds != null && !leaseIds.isEmpty()) {
            conditions.add("lease_id IN (" + Sql.marks(leaseIds.size()) + ")");
            args.addAll(leaseIds);
        } else if (currentJobId != null) {   // a seed-001 worker names its job, not its leases
            conditions.add("job_id = ?");
            args.add(currentJobId);
        }
        if (conditions.isEmpty()) return 0;
        // naming the lease (or the job) is also the worker's acknowledgement that it has the assignment
        return Sql.update(c, "UPDATE tasks SET lease_expires_at = ?, acked_at = COALESCE(acked_at, ?) WHERE worker_id = ? AND state = ? "
                + "AND claimed_with = ? AND lease_expires_at > ? AND (" + String.join(" OR ", conditions) + ")", args.toArray());
    }

    void releaseCancelled(String jobId, String workerId, ClaimedWith with) {
        sql.tx(c -> Sql.update(c, "UPDATE tasks SET lease_id = NULL, lease_expires_at = NULL WHERE job_id = ? "
                + "AND worker_id = ? AND state = ? AND claimed_with = ?", jobId, workerId, TaskState.CANCELLED, with.wire()));
    }

    void saveToken(String hash, String kind, String workerId, Instant now) {
        sql.tx(c -> Sql.update(c, "INSERT INTO tokens (hash, kind, worker_id, created_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (hash) DO NOTHING", hash, kind, workerId, now));
    }

    boolean hasTokens() {
        return sql.tx(c -> Sql.one(c, "SELECT COUNT(*) FROM tokens WHERE kind IN ('client', 'join')", rs -> rs.getInt(1)).orElse(0) > 0);
    }

    boolean hasCredential(String workerId) {
        return sql.tx(c -> Sql.one(c, "SELECT 1 FROM tokens WHERE kind = 'worker' AND worker_id = ?", rs -> true, workerId).isPresent());
    }

    void revokeTokens(String workerId) {
        sql.tx(c -> deleteTokens(c, workerId));
    }

    private static int deleteTokens(Tx c, String workerId) throws SQLException {
        return Sql.update(c, "DELETE FROM tokens WHERE kind = 'worker' AND worker_id = ?", workerId);
    }
}
