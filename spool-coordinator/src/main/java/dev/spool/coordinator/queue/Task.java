package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskKind;
import dev.spool.model.job.TaskState;

import java.time.Instant;

/**
 * One unit of work of a job, leased to one worker at a time. {@code piece}: the piece an
 * encode-video task renders (else null); {@code result}: what a DONE task produced (a transcode's
 * or package's manifest, a piece's directory, a probe's figures); {@code framesDone}: the video
 * frames written so far, as its worker last said (null if it does not count them); {@code
 * commitLease}: the lease granted the commit of a transcode's or package's output, and {@code
 * commitIntent} what it staged (null until a commit is granted); {@code claimedWith}: the kind of
 * credential the last lease was claimed with (null: never leased); {@code logTail}: the last lines of
 * its ffmpeg's stderr as its worker last sent them (empty: none sent).
 */
public record Task(String id, String jobId, TaskKind kind, TaskState state, int attempt, int maxAttempts,
                   String workerId, String leaseId, Instant leaseExpiresAt, double progress, double fps, long etaSec,
                   String lastError, Instant notBefore, Instant createdAt, Instant startedAt, Instant finishedAt,
                   Integer piece, String result, Long framesDone, double speed, String commitLease, String commitIntent,
                   ClaimedWith claimedWith, java.util.List<String> logTail) {
    public Task {
        logTail = logTail == null ? java.util.List.of() : java.util.List.copyOf(logTail);
    }

    /** A task whose worker sent no log lines. */
    public Task(String id, String jobId, TaskKind kind, TaskState state, int attempt, int maxAttempts,
                String workerId, String leaseId, Instant leaseExpiresAt, double progress, double fps, long etaSec,
                String lastError, Instant notBefore, Instant createdAt, Instant startedAt, Instant finishedAt,
                Integer piece, String result, Long framesDone, double speed, String commitLease, String commitIntent,
                ClaimedWith claimedWith) {
        this(id, jobId, kind, state, attempt, maxAttempts, workerId, leaseId, leaseExpiresAt, progress, fps, etaSec, lastError,
                notBefore, createdAt, startedAt, finishedAt, piece, result, framesDone, speed, commitLease, commitIntent,
                claimedWith, null);
    }
}
