package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskKind;
import dev.spool.model.job.TaskState;
import dev.spool.model.protocol.Wire;
import dev.spool.model.protocol.WorkerMessages;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The autoscaler's reads and writes: each pool's waiting work in media seconds, and the pools'
 * desired counts (table scale_state), written only by the coordinator whose read is still current.
 */
final class ScaleTable {
    private ScaleTable() {}

    /** Every pool that has tasks waiting or leased, with the seconds of media its waiting tasks cover. */
    static List<PoolWork> work(Tx c) throws SQLException {
        Map<String, double[]> byPool = new TreeMap<>();   // queued tasks, seconds, leased tasks
        // a piece, the audio and the package step weigh their seconds (TaskGraph); a transcode weighs 1:
        // its source's seconds are the probe's result
        for (Object[] row : Sql.query(c, "SELECT t.pool, t.kind, t.state, t.weight, CASE WHEN t.kind = ? THEN (SELECT p.result FROM tasks p "
                        + "WHERE p.job_id = t.job_id AND p.kind = ? AND p.state = ? LIMIT 1) END, (SELECT w.control FROM workers w WHERE w.id = t.worker_id) "
                        + "FROM tasks t WHERE t.state IN (?, ?, ?)",
                rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getDouble(4), rs.getString(5), rs.getString(6)},
                TaskKind.TRANSCODE.wire(), TaskKind.PROBE.wire(), TaskState.DONE, TaskState.QUEUED, TaskState.BLOCKED, TaskState.LEASED)) {
            double[] w = byPool.computeIfAbsent((String) row[0], k -> new double[3]);
            TaskState state = TaskState.valueOf((String) row[2]);
            if (state == TaskState.LEASED) {
                // a draining worker's task keeps it busy, but that worker is on its way out: not capacity to count on
                if (!WorkerRecord.Control.DRAINING.name().equals(row[5])) w[2]++;
                continue;
            }
            if (state == TaskState.QUEUED) w[0]++;
            w[1] += seconds(TaskKind.of((String) row[1]), (double) row[3], (String) row[4]);
        }
        return byPool.entrySet().stream()
                .map(e -> new PoolWork(e.getKey(), (int) e.getValue()[0], e.getValue()[1], (int) e.getValue()[2])).toList();
    }

    private static double seconds(TaskKind kind, double weight, String probed) {
        return switch (kind) {
            case PROBE -> PoolWork.UNPROBED_SECONDS;
            case TRANSCODE -> probedSeconds(probed).orElse(PoolWork.UNPROBED_SECONDS);
            default -> Math.max(0, weight);
        };
    }

    private static Optional<Double> probedSeconds(String probed) {
        if (probed == null) return Optional.empty();
        try {
            double d = Wire.JSON.readValue(probed, WorkerMessages.Probed.class).videoDurationSec();
            return d > 0 ? Optional.of(d) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    static List<ScaleState> states(Tx c) throws SQLException {
        return Sql.query(c, "SELECT pool, desired, changed_at, low_since, version FROM scale_state ORDER BY pool",
                rs -> new ScaleState(rs.getString(1), rs.getInt(2), Sql.instant(rs, "changed_at"), Sql.instant(rs, "low_since"), rs.getLong(5)));
    }

    /** Writes {@code next} if the row still has the version it was read with (0: no row yet); false if another write came first. */
    static boolean save(Tx c, ScaleState next, long readVersion) throws SQLException {
        Object lowSince = Sql.orNull(next.lowSince() == null ? null : next.lowSince().toEpochMilli());
        if (readVersion == 0) {
            boolean exists = Sql.one(c, "SELECT 1 FROM scale_state WHERE pool = ?", rs -> true, next.pool()).isPresent();
            if (exists) return false;
            return Sql.update(c, "INSERT INTO scale_state (pool, desired, changed_at, low_since, version) VALUES (?, ?, ?, ?, 1) "
                    + "ON CONFLICT (pool) DO NOTHING", next.pool(), next.desired(), next.changedAt(), lowSince) == 1;
        }
        return Sql.update(c, "UPDATE scale_state SET desired = ?, changed_at = ?, low_since = ?, version = version + 1 "
                + "WHERE pool = ? AND version = ?", next.desired(), next.changedAt(), lowSince, next.pool(), readVersion) == 1;
    }
}
