package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskKind;
import dev.spool.model.job.TaskState;

import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/** A split job's last step: the finished pieces and audio packaged into the HLS output, and committed. */
final class PackageTask extends JobOutputTask {
    @Override
    public TaskKind kind() { return TaskKind.PACKAGE; }

    /** The directory each finished piece wrote, by piece (-1: the audio). */
    @Override
    public Map<Integer, String> inputs(Tx c, Task task) throws SQLException {
        Map<Integer, String> outputs = new TreeMap<>();
        for (Task t : Sql.query(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE job_id = ? AND state = ? AND kind IN (?, ?)",
                Rows::task, task.jobId(), TaskState.DONE, TaskKind.ENCODE_VIDEO.wire(), TaskKind.ENCODE_AUDIO.wire()))
            if (t.result() != null) outputs.put(t.piece() == null ? -1 : t.piece(), t.result());
        return outputs;
    }
}
