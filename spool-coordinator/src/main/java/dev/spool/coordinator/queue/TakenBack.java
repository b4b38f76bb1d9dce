package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskState;
import dev.spool.model.job.TaskKind;
import dev.spool.model.protocol.Wire;
import dev.spool.model.protocol.WorkerMessages;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Tasks the coordinator takes back from a worker that still holds them (over their time limit),
 * and the other half: telling that worker. A taken-back task's lease id is cleared, as when a
 * lease expires, so of the leases a worker names at its sync, one that no task carries any more
 * is one it must stop; its late report is refused by the lease fencing anyway.
 */
final class TakenBack {
    private final TaskLeases leases;

    TakenBack(TaskLeases leases) {
        this.leases = leases;
    }

    /** Every leased task and the seconds of media it covers: a piece its own, other kinds the probed source's. */
    List<JobQueue.LeasedTask> leased(Tx c) throws SQLException {
        List<JobQueue.LeasedTask> all = new ArrayList<>();
        for (Object[] row : Sql.query(c, "SELECT " + prefixed("t") + ", t.weight, (SELECT p.result FROM tasks p WHERE "
                + "p.job_id = t.job_id AND p.kind = ? AND p.state = ? LIMIT 1) AS probed FROM tasks t WHERE t.state = ?",
                rs -> new Object[] {Rows.task(rs), rs.getDouble("weight"), rs.getString("probed")}, TaskKind.PROBE.wire(), TaskState.DONE,
                TaskState.LEASED)) {
            Task task = (Task) row[0];
            all.add(new JobQueue.LeasedTask(task, mediaSec(task, (double) row[1], (String) row[2])));
        }
        return all;
    }

    private static double mediaSec(Task task, double weight, String probed) {
        if (task.kind() == TaskKind.ENCODE_VIDEO) return weight;   // a piece weighs its seconds
        if (task.kind() == TaskKind.PROBE || probed == null) return -1;
        try {
            return Wire.JSON.readValue(probed, WorkerMessages.Probed.class).videoDurationSec();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** Ends the task's attempt as a failure; false when its lease changed meanwhile (finished, expired, cancelled). */
    boolean takeBack(Tx c, Task task, String reason, Instant now, RetryPolicy retry) throws SQLException {
        return leases.endAttempt(leases.jobs().lock(c, task.jobId()), task, reason, TaskLeases.lost(task), now, retry, EventType.TIMED_OUT);
    }

    /** Of these leases, those that no task carries any more. */
    static List<String> gone(Tx c, List<String> leaseIds) throws SQLException {
        if (leaseIds == null || leaseIds.isEmpty()) return List.of();
        Set<String> named = new LinkedHashSet<>(leaseIds);
        named.removeAll(Sql.query(c, "SELECT lease_id FROM tasks WHERE lease_id IN (" + Sql.marks(named.size()) + ")",
                rs -> rs.getString(1), named.toArray()));
        return List.copyOf(named);
    }

    private static String prefixed(String alias) {
        return String.join(", ", java.util.Arrays.stream(Rows.TASK_COLUMNS.split(",\\s*")).map(col -> alias + "." + col).toList());
    }
}
