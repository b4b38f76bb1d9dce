package dev.spool.coordinator.queue;

import dev.spool.model.job.JobRecord;
import dev.spool.model.job.JobState;
import dev.spool.model.job.Priority;
import dev.spool.model.protocol.WorkerMessages;

import java.time.Instant;

/**
 * A job as stored: what was asked (its {@link JobRecord}), where it stands, and when things happened; {@code split} is
 * how it was cut into pieces, once its probe said (null for a job that runs whole),
 * {@code encoderBuild} the ffmpeg build its pieces are pinned to (null until the first is leased),
 * {@code speed} its running tasks' media seconds per wall second together, {@code result}
 * what it produced once COMPLETED (null until then, or when its worker did not say), and
 * {@code attention} why a FAILED job needs a person (its retries are used up), null when it does not;
 * {@code startEvent} and {@code endEvent} the ids of the events that started it (its first lease) and
 * ended it (completed, failed for good, cancelled), 0 while there is none: webhooks are told of those
 * events by id, since two events of a job can share a millisecond.
 */
public record Job(String id, JobState state, Priority priority, JobRecord spec, String error, String manifestUrl,
                  double progress, double fps, long etaSec, Instant createdAt,
                  Instant startedAt, Instant finishedAt, WorkerMessages.Split split, String encoderBuild,
                  double speed, JobResult result, String attention, long startEvent, long endEvent) {
    public boolean needsAttention() { return attention != null; }
}
