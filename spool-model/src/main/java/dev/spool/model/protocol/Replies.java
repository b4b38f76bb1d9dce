package dev.spool.model.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.job.JobRecord;
import dev.spool.model.job.JobState;
import dev.spool.model.job.Priority;
import dev.spool.model.job.TaskState;

import java.util.List;
import java.util.Map;

/**
 * The coordinator's replies to clients (and the small acknowledgements of the worker protocol), with
 * the field names of seed 001 and docs/API.md; a null field is left out. The worker protocol's own
 * messages are {@link WorkerMessages}. openapi.json is checked against these by a test.
 */
public final class Replies {
    private Replies() {}

    /** GET /api/v1/health. */
    public record Health(String status) {
        public static final Health OK = new Health("ok");
    }

    /** A worker's report was recorded (progress, deregister). */
    public record Ack(boolean ack) {
        public static final Ack OK = new Ack(true);
    }

    /** A finalize was taken: the job's state after it. */
    public record Finalized(boolean ack, JobState state) {
        public Finalized(JobState state) {
            this(true, state);
        }
    }

    /** A job and the state a submit, cancel or retry left it in. */
    public record JobChanged(String jobId, JobState state) {}

    /** A job as listed: what it is, where it stands, what it made. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobSummary(String jobId, JobState state, Priority priority, double progress, double fps, double speed,
                             long etaSec, String input, String output, Map<String, String> labels, String error,
                             boolean needsAttention, String attentionReason, Outputs outputs, Result result,
                             String createdAt, String startedAt, String finishedAt) {}

    /** Present once a job has completed: the manifest its worker reported. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outputs(String manifestUrl, String playbackUrl) {
        public Outputs(String manifestUrl) {
            this(manifestUrl, null);
        }
    }

    /** Seed 000's job result: each figure only when the committing worker measured it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(Long framesEncoded, Double durationSeconds, Long outputSizeBytes) {}

    /** GET /api/v1/jobs/{id}: the summary, the spec (secrets left out), tasks and events. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobView(@JsonUnwrapped JobSummary summary, JobRecord spec, Integer pieces, String encoderBuild, Commit commit,
                          List<TaskView> tasks, List<EventView> events, List<WebhookView> webhooks, List<TimelineBar> timeline) {}

    /**
     * One attempt at a task on the job's timeline: who ran it, from when to when (end null while it
     * runs), and how it ended: done, retried (failed, to run again), failed (the job's last), lease-expired,
     * timed-out, handed-back, unacknowledged, worker-restarted, pieces-missing, cancelled or running.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TimelineBar(String taskId, String kind, Integer piece, int attempt, String worker, String start, String end,
                              String outcome, String error) {}

    /**
     * One webhook delivery: an event of a job for one endpoint, its webhook-id (the same on every
     * attempt), where it stands and what the last attempt met. The URL is shown without its query.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookView(String id, String jobId, String event, String url, String state, int attempts, Integer lastStatus,
                              String lastError, String nextAttemptAt, String createdAt, String finishedAt) {}

    /** The newest deliveries, newest first. */
    public record WebhookList(List<WebhookView> deliveries) {}

    /** An endpoint whose calls fail: since when, and whether the coordinator has paused it (then since when). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookEndpoint(String url, String failingSince, boolean paused, String pausedAt, String lastError) {}

    /** Endpoints failing now, oldest failure first. */
    public record WebhookEndpoints(List<WebhookEndpoint> endpoints) {}

    /** POST /api/v1/webhooks/endpoints/resume: the endpoint to call again. */
    public record ResumeEndpoint(String url) {}

    /** A completed job's output was committed under a grant: by this task, to this lease. */
    public record Commit(String taskId, String leaseId) {}

    /** One task of a job; fps and speed only while it is leased, wall_ms once done. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskView(String taskId, String kind, Integer piece, TaskState state, String worker, int attempts,
                           int maxAttempts, double progress, Double fps, Double speed, Long framesDone, String lastError,
                           String startedAt, String finishedAt, Long wallMs, List<String> logTail) {}

    /** One entry of a job's audit trail. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventView(String at, String type, String taskId, String worker, String detail) {}

    /** GET /api/v1/jobs: a page, and the cursor of the next one (absent on the last). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobPage(List<JobSummary> jobs, String nextCursor) {}

    /** One worker as the cluster sees it: OFFLINE once it has been silent past the worker timeout. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WorkerView(String workerId, String status, String currentJobId, String lastSeen, int protocol, int slots,
                             List<String> pools, JsonNode capabilities, JsonNode hardwareStats, String control,
                             CurrentTask currentTask) {
        /**
         * What a worker's status says once it has missed its heartbeats. Otherwise it is the text the
         * worker last synced: seed 001 names IDLE and BUSY, and any other word is kept as a heartbeat.
         */
        public static final String OFFLINE = "OFFLINE";
    }

    /** What a worker runs now (the first of its leased tasks). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CurrentTask(String jobId, String taskId, String kind, Integer piece, double progress, double fps) {}

    /** GET /api/v1/workers/{id}: the worker, and the attempts it ran lately, newest first. */
    public record WorkerDetail(@JsonUnwrapped WorkerView worker, List<RecentTask> recentTasks) {}

    /** An attempt a worker ran: its task, when, and how it ended (as on a job's timeline). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RecentTask(String jobId, String taskId, String kind, Integer piece, int attempt, String startedAt, String endedAt,
                             String outcome, String error) {}

    /** POST /api/v1/workers/{id}/drain, /pause, /resume. */
    public record WorkerControlled(String workerId, String control) {}

    /** GET /api/v1/workers. */
    public record WorkerList(List<WorkerView> workers) {}

    /** GET /api/v1/queue: queued tasks, in all and by pool and priority. */
    public record Queue(int total, List<QueueDepth> depth) {}

    public record QueueDepth(String pool, Priority priority, int count) {}

    /**
     * GET /api/v1/stats: the queue and the workers at a glance, for homepage widgets and KEDA's
     * metrics-api scaler; read from the database (cached 2 s), so every coordinator answers alike.
     */
    public record Stats(String at, Map<String, Long> jobs, long jobsEscalated, Queue queue, long tasksLeased, WorkerStats workers,
                        LastHour lastHour, double oldestQueuedSeconds, long outputBytes) {}

    /** Workers heard from within the worker timeout, by their status, and their slots. */
    public record WorkerStats(int online, int idle, int busy, int draining, int slots) {}

    /** Jobs that ended in the last hour, and the seconds of media the completed ones produced. */
    public record LastHour(long completed, long failed, double mediaSeconds) {}

    /** GET /api/v1/files. */
    public record FileList(List<String> keys) {}

    /** PUT /api/v1/files/{key}: what was stored, and its spool:// location. */
    public record StoredFile(String key, long size, String uri) {}
}
