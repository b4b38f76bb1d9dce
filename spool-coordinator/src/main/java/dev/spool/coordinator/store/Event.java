package dev.spool.coordinator.store;

import java.time.Instant;

/** One line of a job's audit trail: what happened, to which task, on which worker, when. */
public record Event(long id, String jobId, String taskId, String workerId, String type, String detail, Instant at) {}
