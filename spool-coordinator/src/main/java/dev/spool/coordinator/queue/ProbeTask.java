package dev.spool.coordinator.queue;

import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskKind;
import dev.spool.model.protocol.WorkerMessages;

import java.sql.SQLException;
import java.time.Instant;

/** A splittable job's first task: what the source is, from which the job is cut into its tasks. */
final class ProbeTask implements KindHandler {
    private final JobGraph graph = new JobGraph();

    @Override
    public TaskKind kind() { return TaskKind.PROBE; }

    @Override
    public String result(LockedJob job, Task task, JobQueue.Outcome outcome) {
        if (outcome.probed() == null) throw SpoolError.invalid("probed", "is required when a probe completes");
        return Rows.json(outcome.probed());
    }

    @Override
    public void completed(LockedJob job, Task task, JobQueue.Outcome outcome, String took, Instant now) throws SQLException {
        WorkerMessages.Probed probed = outcome.probed();
        job.event(task, EventType.PROBED, took + ": " + probed.videoDurationSec() + " s of video"
                + (probed.video() ? " at " + probed.frameRate() : "") + (probed.audio() ? " with audio" : ""), now);
        graph.expand(job, task, probed, now);
        job.refreshProgress(-1);
    }
}
