package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskKind;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/**
 * The coordinator's side of one task kind: what a worker's result must hold, what is stored of it,
 * and what its completion does to the job. One class per kind, registered in {@link TaskKinds}: a
 * new kind (thumbnails, the ffmpeg-task API) is one more class there, not a case in every switch.
 */
interface KindHandler {
    TaskKind kind();

    /** Whether the task makes the job's output visible, so that it must be granted the commit first. */
    default boolean commitsOutput() { return false; }

    /** The result to queue of a worker's outcome; refused, naming the field, when this kind cannot complete with it. */
    String result(LockedJob job, Task task, JobQueue.Outcome outcome) throws SQLException;

    /** Once the task is DONE, under the job's lock: its event, and what it unlocks or finishes. */
    void completed(LockedJob job, Task task, JobQueue.Outcome outcome, String took, Instant now) throws SQLException;

    /** What an assignment of this kind carries besides the job: a package step, the pieces' directories. */
    default Map<Integer, String> inputs(Tx c, Task task) throws SQLException {
        return Map.of();
    }
}
