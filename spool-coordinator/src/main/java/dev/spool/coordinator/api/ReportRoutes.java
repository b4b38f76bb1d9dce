package dev.spool.coordinator.api;

import dev.spool.model.protocol.Replies;
import dev.spool.model.protocol.Api;
import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskState;
import dev.spool.model.protocol.WorkerMessages.CommitGranted;
import dev.spool.model.protocol.WorkerMessages.CommitRequest;
import dev.spool.model.protocol.WorkerMessages.Finalize;
import dev.spool.model.protocol.WorkerMessages.ProgressUpdate;
import dev.spool.coordinator.queue.JobQueue;
import dev.spool.coordinator.queue.Task;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * What a worker reports about a job it holds: progress and finalize, each fenced by the worker's
 * lease, so a worker that lost its task changes nothing.
 */
final class ReportRoutes {
    private final JobQueue queue;
    private final Clock clock;
    private final CoordinatorConfig config;
    private final WorkerIdentity identity;

    ReportRoutes(JobQueue queue, Clock clock, CoordinatorConfig config) {
        this.queue = queue;
        this.clock = clock;
        this.config = config;
        this.identity = new WorkerIdentity(queue, config);
    }

    void register(Javalin app) {
        app.patch(Api.JOB, this::progress, Role.WORKER);
        app.post(Api.JOB_FINALIZE, this::finalizeJob, Role.WORKER);
        app.post(Api.JOB_COMMIT, this::grantCommit, Role.WORKER);
    }

    /** A transcode or package step may make its staged output visible only once this says yes. */
    private void grantCommit(Context ctx) {
        CommitRequest r = ApiErrors.parse(ctx, CommitRequest.class, BodyLimit.PROTOCOL);
        Caller caller = ctx.attribute(Caller.ATTRIBUTE);
        if (r.leaseId() == null || r.leaseId().isBlank()) throw SpoolError.invalid("lease_id", "is required");
        var lease = new JobQueue.LeaseRef(identity.of(caller, r.workerId()), r.leaseId(), caller.claimedWith());
        JobQueue.CommitGrant grant = queue.grantCommit(jobId(ctx), lease, r.staged(), r.adopt(), clock.instant(),
                config.workerTimeout());
        ctx.json(new CommitGranted(true, grant.leaseId(), grant.window().toMillis()));
    }

    private void progress(Context ctx) {
        ProgressUpdate p = ApiErrors.parse(ctx, ProgressUpdate.class, BodyLimit.PROTOCOL);
        Caller caller = ctx.attribute(Caller.ATTRIBUTE);
        String worker = identity.of(caller, p.workerId());
        double percent = p.progress() == null ? 0 : p.progress();
        if (percent < 0 || percent > 100) throw SpoolError.invalid("progress", "must be between 0 and 100");
        List<String> notes = p.notes() == null ? List.of() : p.notes();
        if (notes.size() > 20 || notes.stream().anyMatch(n -> n == null || n.length() > 1000))
            throw SpoolError.invalid("notes", "takes at most 20 notes of at most 1000 characters each");
        if (p.framesDone() != null && p.framesDone() < 0) throw SpoolError.invalid("frames_done", "must not be negative");
        if (p.speed() != null && !(p.speed() >= 0)) throw SpoolError.invalid("speed", "must not be negative");
        var report = new JobQueue.Report(percent, p.currentFps() == null ? 0 : p.currentFps(), p.speed() == null ? 0 : p.speed(),
                p.etaSec() == null ? -1 : p.etaSec(), p.framesDone(), dev.spool.model.protocol.LogTail.checked(p.logTail()));
        queue.progress(jobId(ctx), new JobQueue.LeaseRef(worker, p.leaseId(), caller.claimedWith()), report, notes, clock.instant(), config.workerTimeout());
        ctx.json(Replies.Ack.OK);
    }

    private void finalizeJob(Context ctx) {
        Finalize f = ApiErrors.parse(ctx, Finalize.class, BodyLimit.RESULTS);
        Caller caller = ctx.attribute(Caller.ATTRIBUTE);
        String jobId = jobId(ctx);
        // a seed-001 finalize names no worker: the holder of the job's task, which the join token
        // may act for only if that holder has no credential of its own
        String worker = identity.of(caller, caller.kind().equals(Tokens.JOIN) && f.workerId() == null ? holderOf(jobId) : f.workerId());
        JobQueue.LeaseRef lease = new JobQueue.LeaseRef(worker, f.leaseId(), caller.claimedWith());
        try {
            ctx.json(new Replies.Finalized(commit(jobId, lease, f).state()));
        } catch (SpoolError e) {
            // the job was cancelled while this worker ran it: acknowledge that it stopped, keep nothing
            if (e.code() != SpoolError.Code.CONFLICT || !stoppedAfterCancel(jobId, worker)) throw e;
            queue.releaseCancelled(jobId, worker, caller.claimedWith());
            ctx.json(new Replies.Finalized(dev.spool.model.job.JobState.CANCELLED));
        }
    }

    private dev.spool.coordinator.queue.Job commit(String jobId, JobQueue.LeaseRef lease, Finalize f) {
        Instant now = clock.instant();
        long total = f.metrics() == null || f.metrics().totalTimeMs() == null ? 0 : f.metrics().totalTimeMs();
        List<String> tail = dev.spool.model.protocol.LogTail.checked(f.logTail());   // refused beyond its caps, whatever the status
        return switch (f.status() == null ? "" : f.status()) {
            case "COMPLETED" -> {
                var result = queue.complete(jobId, lease, new JobQueue.Outcome(f.manifestUrl(), total, f.probed(), stats(f.metrics())), now);
                yield result;
            }
            case "FAILED" -> {
                if (f.errorMsg() == null || f.errorMsg().isBlank()) throw SpoolError.invalid("error_msg", "is required when FAILED");
                var result = f.missingPieces() != null && !f.missingPieces().isEmpty()
                        ? queue.missingPieces(jobId, lease, f.missingPieces(), now, config.retry())
                        : queue.fail(jobId, lease, f.errorMsg(), retryable(f.errorCode()),
                                tail, now, config.retry());
                yield result;
            }
            default -> throw SpoolError.invalid("status", "must be COMPLETED or FAILED");
        };
    }

    /** Seed 000's result statistics, when the worker that committed the output measured them (seed 001's does not). */
    private static dev.spool.coordinator.queue.JobResult stats(dev.spool.model.protocol.WorkerMessages.Metrics m) {
        if (m == null || (m.framesEncoded() == null && m.durationSeconds() == null && m.outputSizeBytes() == null)) return null;
        try {
            return new dev.spool.coordinator.queue.JobResult(m.framesEncoded(), m.durationSeconds(), m.outputSizeBytes());
        } catch (SpoolError e) {
            throw SpoolError.invalid("metrics." + e.field(), "must not be negative");
        }
    }

    /** Errors a worker classifies as the input's fault are not retried blindly; unknown ones are. */
    private static boolean retryable(String errorCode) {
        if (errorCode == null) return true;
        try {
            return SpoolError.Code.valueOf(errorCode).retryable();
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private boolean stoppedAfterCancel(String jobId, String worker) {
        return queue.tasks(jobId).stream().anyMatch(t -> t.state() == TaskState.CANCELLED && worker.equals(t.workerId())
                && t.leaseId() != null);
    }

    /** Seed-001 finalize carries no worker id: the worker is whoever holds the job's task. */
    private String holderOf(String jobId) {
        return queue.tasks(jobId).stream().filter(t -> t.workerId() != null && t.leaseId() != null)
                .map(Task::workerId).findFirst()
                .orElseThrow(() -> new SpoolError(SpoolError.Code.CONFLICT, "job_id", "no worker holds job " + jobId));
    }

    private static String jobId(Context ctx) {
        return JobRoutes.checkJobId(ctx.pathParam("id"));
    }
}
