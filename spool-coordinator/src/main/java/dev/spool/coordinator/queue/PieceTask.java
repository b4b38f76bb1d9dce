package dev.spool.coordinator.queue;

import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskKind;

import java.sql.SQLException;
import java.time.Instant;

/**
 * One piece of a split job's video, or its audio whole (the two encode kinds differ only in name):
 * its result is the directory it wrote, which the package step reads; the last one unblocks it.
 */
final class PieceTask implements KindHandler {
    private final TaskKind kind;
    private final JobGraph graph = new JobGraph();

    PieceTask(TaskKind kind) {
        this.kind = kind;
    }

    @Override
    public TaskKind kind() { return kind; }

    @Override
    public String result(LockedJob job, Task task, JobQueue.Outcome outcome) {
        // a piece names the directory it wrote, which the package step will read: a plain name, nothing else
        if (outcome.manifestUrl() == null || !outcome.manifestUrl().matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}"))
            throw SpoolError.invalid("manifest_url", "of a piece must name the directory it wrote (a plain name), not '"
                    + outcome.manifestUrl() + "'");
        return outcome.manifestUrl();
    }

    @Override
    public void completed(LockedJob job, Task task, JobQueue.Outcome outcome, String took, Instant now) throws SQLException {
        job.event(task, EventType.ENCODED, TaskLeases.describe(task) + took, now);
        graph.unblockPackage(job, now);
        job.refreshProgress(-1);
    }
}
