package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskKind;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.spool.model.job.JobRecord;
import dev.spool.model.job.JobState;
import dev.spool.model.job.Priority;
import dev.spool.model.job.TaskState;
import dev.spool.model.protocol.Wire;
import dev.spool.model.protocol.WorkerMessages;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** Maps rows to records, and specs to and from their stored JSON. */
final class Rows {
    static final String JOB_COLUMNS = "id, state, priority, spec, error, manifest_url, progress, fps, eta_sec, "
            + "created_at, started_at, finished_at, split, encoder_build, speed, frames_encoded, duration_seconds, "
            + "output_size_bytes, attention, start_event, end_event";
    static final String TASK_COLUMNS = "id, job_id, kind, state, attempt, max_attempts, worker_id, lease_id, "
            + "lease_expires_at, progress, fps, eta_sec, last_error, not_before, created_at, started_at, finished_at, piece, result, "
            + "frames_done, speed, commit_lease, commit_intent, claimed_with, log_tail";
    /** The columns a registration writes; {@link #WORKER_COLUMNS} adds what the operator sets. */
    static final String WORKER_SAVED = "id, protocol, capabilities, pools, slots, status, hardware, current_job_id, "
            + "registered_at, last_seen_at";
    static final String WORKER_COLUMNS = WORKER_SAVED + ", control";

    private Rows() {}

    static Job job(ResultSet rs) throws SQLException {
        return new Job(rs.getString("id"), JobState.valueOf(rs.getString("state")), Priority.ofRank(rs.getInt("priority")),
                spec(rs.getString("spec")), rs.getString("error"), rs.getString("manifest_url"), rs.getDouble("progress"),
                rs.getDouble("fps"), rs.getLong("eta_sec"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "started_at"), Sql.instant(rs, "finished_at"),
                split(rs.getString("split")), rs.getString("encoder_build"), rs.getDouble("speed"),
                JobResult.ofNullable(nullableLong(rs, "frames_encoded"), nullableDouble(rs, "duration_seconds"),
                        nullableLong(rs, "output_size_bytes")), rs.getString("attention"),
                rs.getLong("start_event"), rs.getLong("end_event"));
    }

    static Task task(ResultSet rs) throws SQLException {
        return new Task(rs.getString("id"), rs.getString("job_id"), TaskKind.of(rs.getString("kind")),
                TaskState.valueOf(rs.getString("state")), rs.getInt("attempt"), rs.getInt("max_attempts"),
                rs.getString("worker_id"), rs.getString("lease_id"), Sql.instant(rs, "lease_expires_at"),
                rs.getDouble("progress"), rs.getDouble("fps"), rs.getLong("eta_sec"), rs.getString("last_error"),
                Sql.instant(rs, "not_before"), Sql.instant(rs, "created_at"), Sql.instant(rs, "started_at"),
                Sql.instant(rs, "finished_at"), nullableInt(rs, "piece"), rs.getString("result"), nullableLong(rs, "frames_done"),
                rs.getDouble("speed"), rs.getString("commit_lease"), rs.getString("commit_intent"),
                ClaimedWith.of(rs.getString("claimed_with")), logTail(rs.getString("log_tail")));
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    static Event event(ResultSet rs) throws SQLException {
        return new Event(rs.getLong("id"), rs.getString("job_id"), rs.getString("task_id"), rs.getString("worker_id"),
                EventType.of(rs.getString("type")), rs.getString("detail"), Sql.instant(rs, "at"));
    }

    static WorkerRecord worker(ResultSet rs) throws SQLException {
        String pools = rs.getString("pools");
        return new WorkerRecord(rs.getString("id"), rs.getInt("protocol"), rs.getString("capabilities"),
                pools.isEmpty() ? List.of() : Arrays.asList(pools.split(",")), rs.getInt("slots"), rs.getString("status"),
                rs.getString("hardware"), rs.getString("current_job_id"), Sql.instant(rs, "registered_at"),
                Sql.instant(rs, "last_seen_at"), WorkerRecord.Control.valueOf(rs.getString("control")));
    }

    /** A stored log tail (a JSON array of lines); an unreadable one shows as nothing. */
    static List<String> logTail(String json) {
        if (json == null) return List.of();
        try {
            return Arrays.asList(Wire.JSON.readValue(json, String[].class));
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    static String json(Object value) {
        try {
            return Wire.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    static WorkerMessages.Split split(String json) {
        if (json == null) return null;
        try {
            return Wire.JSON.readValue(json, WorkerMessages.Split.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored split plan is unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * A stored job record, as any Spool wrote it (a record without spec_version is version 1): read
     * without the request's checks, which ran at submit under the rules of the day.
     */
    static JobRecord spec(String json) {
        try {
            return Wire.JSON.readValue(json, JobRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored job spec is unreadable: " + e.getMessage(), e);
        }
    }
}
