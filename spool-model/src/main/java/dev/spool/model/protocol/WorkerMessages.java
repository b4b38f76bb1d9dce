package dev.spool.model.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.encode.PiecePlan;
import dev.spool.model.encode.Ratio;
import dev.spool.model.job.JobRecord;
import dev.spool.model.job.OutputSpec;

import java.util.List;

/**
 * The worker protocol's messages, with seed 001's field names. Spool's own worker adds
 * {@code protocol}, {@code wait_ms}, leases and the full job spec; a worker that knows only the
 * seed document sends and reads the seed's fields and never sees a difference.
 */
public final class WorkerMessages {
    private WorkerMessages() {}

    /** POST /api/v1/workers/register. */
    public record Register(String workerId, JsonNode capabilities, Integer protocol, Integer slots, List<String> pools) {}

    /** The reply to a registration; {@code credential} is the worker's own token (protocol 2). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Registered(String workerId, boolean ack, String credential, int heartbeatIntervalSec,
                             int workerTimeoutSec) {}

    /** POST /api/v1/workers/sync: heartbeat, and a request for work when idle. */
    public record Sync(String workerId, String status, HardwareStats hardwareStats, String currentJobId, Long waitMs,
                       List<String> leases) {}

    public record HardwareStats(Double cpuPercent, Double ramPercent, Boolean isBusy) {}

    /**
     * The reply to a sync: an assignment when one was waiting, and what to stop: {@code cancel}
     * the jobs cancelled or failed (every task of theirs), {@code stop} the leases this worker named
     * that the coordinator took back (a task over its time limit), so a hung task stops too.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SyncReply(boolean ack, AssignedJob assignedJob, List<String> cancel, List<String> stop, String control) {
        /** {@code control}: the operator paused the worker (take nothing until it is absent again). */
        public static final String PAUSE = "pause";
        /** {@code control}: the operator drains the worker (finish what runs, deregister, exit). */
        public static final String DRAIN = "drain";

        public SyncReply(boolean ack, AssignedJob assignedJob, List<String> cancel, List<String> stop) {
            this(ack, assignedJob, cancel, stop, null);
        }

        public SyncReply(boolean ack, AssignedJob assignedJob, List<String> cancel) {
            this(ack, assignedJob, cancel, null, null);
        }
    }

    /**
     * Seed 001's assigned_job, plus Spool's task, its kind and piece, lease and the job's stored record; and for a
     * transcode or package step whose earlier attempt was granted the commit and vanished, that
     * commit ({@code commit}), which this attempt finishes before anything else.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AssignedJob(String jobId, String movieId, Input input, List<OutputSpec> outputs,
                              dev.spool.model.job.HlsSettings hlsSettings, String taskId, String kind, Lease lease,
                              JobRecord spec, Split split, PendingCommit commit) {
        public AssignedJob(String jobId, String movieId, Input input, List<OutputSpec> outputs,
                           dev.spool.model.job.HlsSettings hlsSettings, String taskId, String kind, Lease lease, JobRecord spec, Split split) {
            this(jobId, movieId, input, outputs, hlsSettings, taskId, kind, lease, spec, split, null);
        }
    }

    /** A commit granted to an earlier attempt's lease, and what that attempt staged. */
    public record PendingCommit(String leaseId, String staged) {}

    /**
     * POST /api/v1/jobs/{job_id}/commit: a transcode or package step asks for the right to make the
     * output it staged ({@code staged}) visible; asked again, it renews the grant. With {@code adopt}
     * (the lease of an earlier attempt's pending commit) it asks to finish that commit instead.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CommitRequest(String workerId, String leaseId, String staged, String adopt) {}

    /** The grant: good for {@code windowMs} from when it was asked, unless asked again. */
    public record CommitGranted(boolean granted, String leaseId, long windowMs) {}

    /**
     * What a task of a split job must agree on with its siblings: the pieces the coordinator cut
     * (from the probe task's figures), the output frame rate they share, the one piece this task
     * encodes (encode-video only), and for the package step the directory each finished piece
     * wrote (by piece, -1 for the audio), so only the attempts the coordinator accepted are stitched.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Split(PiecePlan pieces, Ratio frameRate, PiecePlan.Piece piece, java.util.Map<Integer, String> pieceDirs) {
        public Split {
            pieceDirs = pieceDirs == null ? java.util.Map.of() : java.util.Map.copyOf(pieceDirs);
        }
    }

    /** What a probe task found: enough for the coordinator to cut the job into pieces. */
    public record Probed(double videoDurationSec, Ratio frameRate, boolean audio) {
        public boolean video() { return frameRate != null && frameRate.known(); }
    }

    public record Input(String sourceUrl, String format) {}

    /** A lease on one task: present it with progress and finalize; renewed by sync and progress. */
    public record Lease(String leaseId, String expiresAt) {}

    /**
     * PATCH /api/v1/jobs/{job_id}; Spool's {@code notes} (transfer attempts, resumes) become events of the job.
     * Spool's worker also says how many video frames the task has written ({@code frames_done}) and its
     * speed in media seconds per wall second ({@code speed}), from which the coordinator adds up a split job.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ProgressUpdate(String workerId, String status, Double progress, Double currentFps, Long etaSec,
                                 String leaseId, List<String> notes, Long framesDone, Double speed, List<String> logTail) {
        /** Seed 001's update, with Spool's lease and notes. */
        public ProgressUpdate(String workerId, String status, Double progress, Double currentFps, Long etaSec, String leaseId,
                              List<String> notes) {
            this(workerId, status, progress, currentFps, etaSec, leaseId, notes, null, null, null);
        }

        public ProgressUpdate(String workerId, String status, Double progress, Double currentFps, Long etaSec, String leaseId,
                              List<String> notes, Long framesDone, Double speed) {
            this(workerId, status, progress, currentFps, etaSec, leaseId, notes, framesDone, speed, null);
        }
    }

    /** POST /api/v1/jobs/{job_id}/finalize. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Finalize(String status, String manifestUrl, String errorMsg, Metrics metrics, String leaseId,
                           String workerId, String errorCode, Probed probed, List<Integer> missingPieces, List<String> logTail) {
        /** Seed 001's finalize: a status, the manifest or the error, and metrics. */
        public Finalize(String status, String manifestUrl, String errorMsg, Metrics metrics, String leaseId, String workerId,
                        String errorCode) {
            this(status, manifestUrl, errorMsg, metrics, leaseId, workerId, errorCode, null, null, null);
        }

        public Finalize(String status, String manifestUrl, String errorMsg, Metrics metrics, String leaseId, String workerId,
                        String errorCode, Probed probed, List<Integer> missingPieces) {
            this(status, manifestUrl, errorMsg, metrics, leaseId, workerId, errorCode, probed, missingPieces, null);
        }

        /** The same report with the last lines of its ffmpeg's stderr (a failure's). */
        public Finalize withLogTail(List<String> tail) {
            return new Finalize(status, manifestUrl, errorMsg, metrics, leaseId, workerId, errorCode, probed, missingPieces,
                    tail == null || tail.isEmpty() ? null : tail);
        }
    }

    /**
     * A finalize's metrics: seed 001's total time, and from the worker that commits a job's output
     * (a transcode or package task) seed 000's result statistics, measured on that output.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Metrics(Long totalTimeMs, Long framesEncoded, Double durationSeconds, Long outputSizeBytes) {
        public Metrics(Long totalTimeMs) {
            this(totalTimeMs, null, null, null);
        }
    }
}
