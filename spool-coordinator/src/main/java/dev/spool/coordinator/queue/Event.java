package dev.spool.coordinator.queue;

import java.time.Instant;

/**
 * One line of a job's audit trail: what happened, to which task, on which worker, when. {@code id}
 * grows with every event written, so a reader can resume after the last one it saw.
 */
public record Event(long id, String jobId, String taskId, String workerId, EventType type, String detail, Instant at) {}
