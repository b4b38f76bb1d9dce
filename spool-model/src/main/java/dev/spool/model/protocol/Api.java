package dev.spool.model.protocol;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The protocol's one written form: every route of the coordinator's HTTP API (as registered, with
 * Javalin's {@code {id}} and {@code <key>} parameters), the paths clients and workers call, and the
 * worker protocol versions. The coordinator registers these, the worker and the CLI call them, so a
 * route is renamed in one place; the OpenAPI document is checked against the registered list.
 */
public final class Api {
    /** Seed 001's workers: whole jobs, no leases. A worker that names no protocol speaks this one. */
    public static final int SEED_PROTOCOL = 1;
    /** Leases on tasks and a credential of the worker's own, handed out at registration. */
    public static final int LEASE_PROTOCOL = 2;
    /** Every task kind of a split job (probe, pieces, audio, package). */
    public static final int SPLIT_PROTOCOL = 3;
    /** A grant asked for before an output is made visible; an earlier attempt's granted commit is finished. */
    public static final int COMMIT_PROTOCOL = 4;
    /** The job's stored record: spec_version and the encode plan made at submit (an older worker gets the request's fields). */
    public static final int PLAN_PROTOCOL = 5;
    /** The sync reply may say {@code control}: pause (take nothing until resumed) or drain (finish, deregister, exit). */
    public static final int CONTROL_PROTOCOL = 6;
    /** What Spool's own worker speaks. */
    public static final int PROTOCOL = CONTROL_PROTOCOL;

    public static final String BASE = "/api/v1";
    public static final String HEALTH = BASE + "/health";
    public static final String OPENAPI = BASE + "/openapi.json";
    public static final String WEBHOOK_DELIVERIES = BASE + "/webhooks/deliveries";
    public static final String WEBHOOK_REDELIVER = BASE + "/webhooks/deliveries/{id}/redeliver";
    public static final String WEBHOOK_ENDPOINTS = BASE + "/webhooks/endpoints";
    public static final String WEBHOOK_RESUME = BASE + "/webhooks/endpoints/resume";
    /** Prometheus's conventional path, outside the versioned API: scrapers expect it there. */
    public static final String METRICS = "/metrics";
    /** The web dashboard's page, and its scripts, styles and vendored libraries (/ui/vendor/NAME/VERSION/...). */
    public static final String DASHBOARD = "/";
    public static final String DASHBOARD_ASSETS = "/ui/<path>";

    public static final String JOBS = BASE + "/jobs";
    public static final String JOB = JOBS + "/{id}";
    public static final String JOB_CANCEL = JOB + "/cancel";
    public static final String JOB_RETRY = JOB + "/retry";
    public static final String JOB_FINALIZE = JOB + "/finalize";
    public static final String JOB_COMMIT = JOB + "/commit";
    /** A file of a completed job's output (a player's playlists and segments); the path may hold slashes. */
    public static final String JOB_OUTPUT = JOB + "/output/<path>";
    /** The dashboard's bulk cancel and retry. */
    public static final String JOBS_BULK = JOBS + "/bulk";

    public static final String WORKERS = BASE + "/workers";
    public static final String WORKER_REGISTER = WORKERS + "/register";
    public static final String WORKER_SYNC = WORKERS + "/sync";
    public static final String WORKER_DEREGISTER = WORKERS + "/{id}/deregister";
    /** One worker's view with what it ran lately; and the operator's drain, pause and resume. */
    public static final String WORKER = WORKERS + "/{id}";
    public static final String WORKER_DRAIN = WORKER + "/drain";
    public static final String WORKER_PAUSE = WORKER + "/pause";
    public static final String WORKER_RESUME = WORKER + "/resume";

    public static final String QUEUE = BASE + "/queue";
    public static final String STATS = BASE + "/stats";
    public static final String STATS_HISTORY = STATS + "/history";

    /** The dashboard's sign-in (a session cookie) and its live feed (server-sent events). */
    public static final String SESSION = BASE + "/session";
    public static final String LIVE = BASE + "/live";

    /** The coordinator's own storage; a key may hold slashes, hence Javalin's {@code <key>}. */
    public static final String FILES = BASE + "/files";
    public static final String FILE = FILES + "/<key>";

    /** Named client tokens (admin only): list, create, revoke by name; and the join token's rotation. */
    public static final String TOKENS = BASE + "/tokens";
    public static final String TOKEN = TOKENS + "/{name}";
    public static final String JOIN_ROTATE = TOKENS + "/join/rotate";

    private Api() {}

    /** {@link #JOB} for one job (PATCH is a worker's progress, GET the job's view). */
    public static String job(String jobId) { return JOBS + "/" + jobId; }

    public static String jobCancel(String jobId) { return job(jobId) + "/cancel"; }

    public static String jobRetry(String jobId) { return job(jobId) + "/retry"; }

    public static String jobFinalize(String jobId) { return job(jobId) + "/finalize"; }

    public static String jobCommit(String jobId) { return job(jobId) + "/commit"; }

    public static String worker(String workerId) { return WORKERS + "/" + workerId; }

    /** A file of a completed job's output, as the coordinator serves it. */
    public static String jobOutput(String jobId, String path) { return job(jobId) + "/output/" + path; }

    public static String workerDeregister(String workerId) { return WORKERS + "/" + workerId + "/deregister"; }

    /** A file of the coordinator's storage; the key's slashes are kept, they are part of the route. */
    public static String file(String key) { return FILES + "/" + key; }

    /** {@link #TOKEN} for one token's name. */
    public static String token(String name) { return TOKENS + "/" + name; }

    /** The files listing under {@code prefix}. */
    public static String files(String prefix) {
        return FILES + "?prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8);
    }
}
