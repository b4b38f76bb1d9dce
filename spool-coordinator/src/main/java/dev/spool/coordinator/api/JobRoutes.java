package dev.spool.coordinator.api;

import dev.spool.model.job.JobRecord;
import dev.spool.model.protocol.Replies;
import dev.spool.model.protocol.Api;
import dev.spool.model.job.JobSpec;
import dev.spool.model.job.JobState;
import dev.spool.model.SpoolError;
import dev.spool.model.encode.Rung;
import dev.spool.coordinator.queue.Job;
import dev.spool.coordinator.queue.Requirements;
import dev.spool.coordinator.queue.RetryPolicy;
import dev.spool.coordinator.queue.JobQueue;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The client API: submit, look at, list, cancel and retry jobs. */
final class JobRoutes {
    static final int MAX_PAGE = 500;

    private final JobQueue queue;
    private final Clock clock;
    private final RetryPolicy retry;
    private final OutputRoutes outputs;

    JobRoutes(JobQueue queue, Clock clock, RetryPolicy retry, OutputRoutes outputs) {
        this.queue = queue;
        this.clock = clock;
        this.retry = retry;
        this.outputs = outputs;
    }

    void register(Javalin app) {
        app.post(Api.JOBS, this::submit, Role.SUBMIT);
        app.get(Api.JOBS, this::list, Role.READ);
        app.get(Api.JOB, this::get, Role.READ);
        app.post(Api.JOB_CANCEL, this::cancel, Role.SUBMIT);
        app.post(Api.JOB_RETRY, this::retry, Role.SUBMIT);
    }

    private void submit(Context ctx) {
        JobRecord spec = ApiErrors.parse(ctx, JobSpec.class, BodyLimit.SUBMIT).record();   // checked here, and only here
        JobQueue.Submission submitted = queue.submit(spec, requirements(spec), clock.instant(), retry);
        Job job = submitted.job();
        ctx.status(submitted.created() ? 201 : 200).json(new Replies.JobChanged(job.id(), job.state()));
    }

    /** What a worker needs to take this job: its software encoder, and the tallest rung asked for. */
    static Requirements requirements(JobRecord spec) {
        int height = spec.outputs().stream().mapToInt(o -> Rung.named(o.resolution()).boxHeight()).max().orElse(0);
        return new Requirements(spec.plan().encoder(), height, Requirements.TRANSCODE_POOL);
    }

    private void get(Context ctx) {
        Job job = find(ctx.pathParam("id"));
        ctx.json(JobViews.full(job, playbackUrl(job), queue.tasks(job.id()), queue.events(job.id()), queue.deliveries(job.id())));
    }

    private void list(Context ctx) {
        Optional<JobState> state = Optional.ofNullable(ctx.queryParam("state")).map(s -> {
            try {
                return JobState.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw SpoolError.invalid("state", "must be QUEUED, RUNNING, COMPLETED, FAILED or CANCELLED");
            }
        });
        Optional<Map.Entry<String, String>> label = Optional.ofNullable(ctx.queryParam("label")).map(l -> {
            int sep = l.indexOf('=') >= 0 ? l.indexOf('=') : l.indexOf(':');
            if (sep <= 0) throw SpoolError.invalid("label", "must be name=value");
            return Map.entry(l.substring(0, sep), l.substring(sep + 1));
        });
        int limit = parseLimit(ctx.queryParam("limit"));
        Optional<String> text = Optional.ofNullable(ctx.queryParam("q")).filter(q -> !q.isBlank());
        text.ifPresent(q -> { if (q.length() > 256) throw SpoolError.invalid("q", "must be at most 256 characters"); });
        JobQueue.Page page = queue.jobs(state, label, needsAttention(ctx.queryParam("needs_attention")), text, limit,
                Optional.ofNullable(ctx.queryParam("cursor")));
        ctx.json(new Replies.JobPage(page.jobs().stream().map(j -> JobViews.summary(j, playbackUrl(j))).toList(), page.nextCursor()));
    }

    private void cancel(Context ctx) {
        ctx.json(cancel(ctx.pathParam("id")));
    }

    /** Cancels a job that has not ended; a SpoolError naming job_id otherwise (also for each id of a bulk cancel). */
    Replies.JobChanged cancel(String id) {
        Job job = find(id);
        if (!queue.cancel(job.id(), clock.instant()))
            throw new SpoolError(SpoolError.Code.CONFLICT, "job_id", "job " + job.id() + " has already ended (" + job.state() + ")");
        return new Replies.JobChanged(job.id(), JobState.CANCELLED);
    }

    private void retry(Context ctx) {
        ctx.json(retry(ctx.pathParam("id")));
    }

    /** Runs a FAILED or CANCELLED job again; the pieces it finished are kept (resume). */
    Replies.JobChanged retry(String id) {
        Job job = queue.retry(find(id).id(), clock.instant());
        return new Replies.JobChanged(job.id(), job.state());
    }

    private String playbackUrl(Job job) {
        return outputs == null ? null : outputs.playbackUrl(job).orElse(null);
    }

    /** A job id as Spool makes them, or a 400 naming the field. */
    static String checkJobId(String id) {
        return dev.spool.model.protocol.JobIds.check("job_id", id);
    }

    private Job find(String id) {
        checkJobId(id);
        return queue.job(id).orElseThrow(() -> new SpoolError(SpoolError.Code.NOT_FOUND, "job_id", "no job " + id));
    }

    private static boolean needsAttention(String text) {
        if (text == null || text.equals("false")) return false;
        if (text.equals("true")) return true;
        throw SpoolError.invalid("needs_attention", "must be true or false");
    }

    static int parseLimit(String text) {
        if (text == null) return 50;
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_PAGE) return limit;
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw SpoolError.invalid("limit", "must be a number from 1 to " + MAX_PAGE);
    }
}
