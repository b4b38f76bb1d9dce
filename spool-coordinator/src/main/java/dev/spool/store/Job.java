package dev.spool.store;

import dev.spool.job.JobSpec;
import dev.spool.job.JobState;
import dev.spool.job.Priority;

import java.time.Instant;

/** A job as stored: what was asked, where it stands, and when things happened. */
public record Job(String id, JobState state, Priority priority, JobSpec spec, String error, String manifestUrl,
                  double progress, double fps, long etaSec, boolean cancelRequested, Instant createdAt,
                  Instant startedAt, Instant finishedAt) {}
