package dev.spool.worker;

import dev.spool.model.protocol.Api;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.SpoolError;
import dev.spool.model.client.HttpApi;
import dev.spool.model.protocol.Wire;
import dev.spool.model.protocol.WorkerMessages;

import java.time.Duration;
import java.util.List;

/**
 * The worker's side of the protocol. Registers with the credential it kept from its last run
 * (proving a restart is the same worker), else with the join token, and then uses its own
 * credential; when a sync gets 404 (the coordinator forgot it) it registers again and goes on.
 * Given several coordinators it talks to one, and moves to the next that answers when that one
 * cannot be reached: they share one database, so its credential and leases hold there too.
 */
final class CoordinatorLink {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private final HttpApi api;
    private final WorkerConfig config;
    private final Capabilities capabilities;
    private final String joinToken;
    private final SavedCredential saved;
    private volatile Duration heartbeat = Duration.ofSeconds(10);

    CoordinatorLink(WorkerConfig config, Capabilities capabilities) {
        this.api = new HttpApi(config.coordinators(), config.token());
        this.config = config;
        this.capabilities = capabilities;
        this.joinToken = config.token();
        this.saved = new SavedCredential(config.cacheDir(), config.workerId());
    }

    void register() {
        String kept = saved.read();
        if (kept != null) {
            try {
                registerWith(kept);
                return;
            } catch (SpoolError e) {
                // revoked (the worker was removed) or another id's: start afresh with the join token
                if (e.code() != SpoolError.Code.UNAUTHORIZED && e.code() != SpoolError.Code.CONFLICT) throw e;
                saved.forget();
            }
        }
        registerWith(joinToken);
    }

    private void registerWith(String token) {
        api.token(token);
        WorkerMessages.Registered r = api.call("POST", Api.WORKER_REGISTER, new WorkerMessages.Register(
                config.workerId(), Wire.JSON.valueToTree(capabilities), Api.PROTOCOL, config.slots(), config.pools()),
                CALL_TIMEOUT, WorkerMessages.Registered.class);
        if (r.credential() != null) {
            api.token(r.credential());
            saved.save(r.credential());
        }
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
            return api.call("POST", Api.WORKER_SYNC, body, CALL_TIMEOUT.plus(wait), WorkerMessages.SyncReply.class);
        } catch (SpoolError e) {
            // lazy re-registration (seed 001): the coordinator lost us (404) or our credential (401)
            if (e.code() != SpoolError.Code.NOT_FOUND && e.code() != SpoolError.Code.UNAUTHORIZED) throw e;
            register();
            return api.call("POST", Api.WORKER_SYNC, body, CALL_TIMEOUT.plus(wait), WorkerMessages.SyncReply.class);
        }
    }

    void progress(String jobId, String leaseId, dev.spool.media.ffmpeg.Progress p, List<String> notes) {
        progress(jobId, leaseId, p, notes, List.of());
    }

    /** A progress report with the last lines of the task's ffmpeg stderr (none: not sent). */
    void progress(String jobId, String leaseId, dev.spool.media.ffmpeg.Progress p, List<String> notes, List<String> logTail) {
        api.call("PATCH", Api.job(jobId), new WorkerMessages.ProgressUpdate(config.workerId(), "PROCESSING",
                p.percent(), p.fps(), p.etaSec(), leaseId, notes, p.frames() >= 0 ? p.frames() : null, p.speed(),
                logTail.isEmpty() ? null : logTail), CALL_TIMEOUT);
    }

    /** Asks for (or renews) the right to make a task's staged output visible; a 409 says why not. */
    WorkerMessages.CommitGranted commit(String jobId, WorkerMessages.CommitRequest body) {
        return api.call("POST", Api.jobCommit(jobId), body, CALL_TIMEOUT, WorkerMessages.CommitGranted.class);
    }

    JsonNode finalizeJob(String jobId, WorkerMessages.Finalize body) {
        return api.call("POST", Api.jobFinalize(jobId), body, CALL_TIMEOUT);
    }

    void deregister() {
        api.call("POST", Api.workerDeregister(config.workerId()), null, CALL_TIMEOUT);
        saved.forget();   // the coordinator revoked it
    }
}
