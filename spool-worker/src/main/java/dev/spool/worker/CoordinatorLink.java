package dev.spool.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.job.SpoolError;
import dev.spool.protocol.HttpApi;
import dev.spool.protocol.Wire;
import dev.spool.protocol.WorkerMessages;

import java.time.Duration;
import java.util.List;

/**
 * The worker's side of the protocol. Registers with the join token and then uses its own
 * credential; when a sync gets 404 (the coordinator forgot it) it registers again and goes on.
 * Given several coordinators it talks to one, and moves to the next that answers when that one
 * cannot be reached: they share one database, so its credential and leases hold there too.
 */
final class CoordinatorLink {
    /**
     * The protocol this worker speaks: 1 is seed 001's (whole jobs), 2 added leases and
     * credentials, 3 runs every task kind of a split job.
     */
    static final int PROTOCOL = 3;

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private final HttpApi api;
    private final WorkerConfig config;
    private final Capabilities capabilities;
    private final String joinToken;
    private volatile Duration heartbeat = Duration.ofSeconds(10);

    CoordinatorLink(WorkerConfig config, Capabilities capabilities) {
        this.api = new HttpApi(config.coordinators(), config.token());
        this.config = config;
        this.capabilities = capabilities;
        this.joinToken = config.token();
    }

    void register() {
        api.token(joinToken);
        WorkerMessages.Registered r = api.call("POST", "/api/v1/workers/register", new WorkerMessages.Register(
                config.workerId(), Wire.JSON.valueToTree(capabilities), PROTOCOL, config.slots(), config.pools()),
                CALL_TIMEOUT, WorkerMessages.Registered.class);
        if (r.credential() != null) api.token(r.credential());
        heartbeat = Duration.ofSeconds(Math.max(1, r.heartbeatIntervalSec()));
    }

    Duration heartbeat() { return heartbeat; }

    /** The coordinator this worker talks to now (it moves on when one cannot be reached). */
    String coordinator() { return api.baseUrl(); }

    /** The token this worker speaks with now: its own credential once registered. */
    String token() { return api.token(); }

    WorkerMessages.SyncReply sync(String status, String currentJobId, List<String> leases, Duration wait,
                                  WorkerMessages.HardwareStats stats) {
        WorkerMessages.Sync body = new WorkerMessages.Sync(config.workerId(), status, stats,
                currentJobId == null ? "" : currentJobId, wait.toMillis(), leases);
        try {
            return api.call("POST", "/api/v1/workers/sync", body, CALL_TIMEOUT.plus(wait), WorkerMessages.SyncReply.class);
        } catch (SpoolError e) {
            // lazy re-registration (seed 001): the coordinator lost us (404) or our credential (401)
            if (e.code() != SpoolError.Code.NOT_FOUND && e.code() != SpoolError.Code.UNAUTHORIZED) throw e;
            register();
            return api.call("POST", "/api/v1/workers/sync", body, CALL_TIMEOUT.plus(wait), WorkerMessages.SyncReply.class);
        }
    }

    void progress(String jobId, String leaseId, double percent, double fps, long etaSec, List<String> notes) {
        api.call("PATCH", "/api/v1/jobs/" + jobId, new WorkerMessages.ProgressUpdate(config.workerId(), "PROCESSING",
                percent, fps, etaSec, leaseId, notes), CALL_TIMEOUT);
    }

    JsonNode finalizeJob(String jobId, WorkerMessages.Finalize body) {
        return api.call("POST", "/api/v1/jobs/" + jobId + "/finalize", body, CALL_TIMEOUT);
    }

    void deregister() {
        api.call("POST", "/api/v1/workers/" + config.workerId() + "/deregister", null, CALL_TIMEOUT);
    }
}
