package dev.spool.coordinator.queue;

import dev.spool.model.SpoolError;
import dev.spool.model.job.JobState;

import java.sql.SQLException;
import java.time.Instant;

/**
 * A task that commits the job's output and so completes the job: the whole-job transcode and the
 * package step. Its result is the manifest; a worker that knows commit grants must hold one.
 */
abstract class JobOutputTask implements KindHandler {
    @Override
    public boolean commitsOutput() { return true; }

    @Override
    public String result(LockedJob job, Task task, JobQueue.Outcome outcome) throws SQLException {
        if (outcome.manifestUrl() == null || outcome.manifestUrl().isBlank())
            throw SpoolError.invalid("manifest_url", "is required when COMPLETED");
        CommitGrants.requireGranted(job, task);
        return outcome.manifestUrl();
    }

    @Override
    public void completed(LockedJob job, Task task, JobQueue.Outcome outcome, String took, Instant now) throws SQLException {
        JobResult stats = outcome.result() != null ? outcome.result() : new JobResult(null, null, null);
        int completed = Sql.update(job.tx(), "UPDATE jobs SET state = ?, progress = 100, fps = 0, speed = 0, eta_sec = 0, manifest_url = ?, "
                + "finished_at = ?, frames_encoded = ?, duration_seconds = ?, output_size_bytes = ? WHERE id = ? AND state = ?",
                JobState.COMPLETED, outcome.manifestUrl(), now, Sql.orNull(stats.framesEncoded()), Sql.orNull(stats.durationSeconds()),
                Sql.orNull(stats.outputSizeBytes()), job.id(), JobState.RUNNING);
        long event = job.event(task, EventType.COMPLETED, took + ": " + outcome.manifestUrl()
                + (task.commitLease() == null ? "" : " (committed by lease " + task.commitLease() + ")"), now);
        if (completed == 1) job.endedBy(event);
    }
}
