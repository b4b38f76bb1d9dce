package dev.spool.coordinator.queue;

import dev.spool.model.job.JobState;
import dev.spool.model.job.TaskKind;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The queue's counts at one moment, read from the database in one transaction, so that every
 * coordinator sharing the database reports the same numbers (metrics and the stats endpoint).
 *
 * @param jobs        jobs by state (states with none are absent)
 * @param escalated   failed jobs that need a person (their retries are used up)
 * @param leased      tasks being worked on now, by kind and pool
 * @param queued      claimable-or-waiting tasks, by pool and priority
 * @param oldestQueued when the longest-waiting queued task was queued, if any is
 * @param lastHour   jobs that ended in the hour before the read, and the media they produced
 * @param outputBytes the bytes of every completed job's output, as their workers measured them
 */
public record QueueStats(Map<JobState, Long> jobs, long escalated, List<LeasedCount> leased, List<JobQueue.QueueDepth> queued,
                         Optional<Instant> oldestQueued, LastHour lastHour, long outputBytes) {
    public QueueStats {
        jobs = Map.copyOf(jobs);
        leased = List.copyOf(leased);
        queued = List.copyOf(queued);
    }

    public long jobs(JobState state) { return jobs.getOrDefault(state, 0L); }

    public long totalJobs() { return jobs.values().stream().mapToLong(Long::longValue).sum(); }

    /** Jobs that completed and failed within the hour, and the seconds of media the completed ones hold. */
    public record LastHour(long completed, long failed, double mediaSeconds) {}

    /** Tasks of one kind leased in one pool. */
    public record LeasedCount(TaskKind kind, String pool, long count) {}
}
