package dev.spool.coordinator.api;

import dev.spool.coordinator.queue.JobQueue;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Api;

/**
 * Which worker a request may speak for. A worker's own credential speaks for its worker only
 * ({@link Caller#workerIdFor}). The join token is shared by every worker, so it speaks only for
 * workers that have nothing else (seed 001's): never for one that holds a credential of its own,
 * and for none at all when the coordinator requires worker credentials.
 */
final class WorkerIdentity {
    private final JobQueue queue;
    private final CoordinatorConfig config;

    WorkerIdentity(JobQueue queue, CoordinatorConfig config) {
        this.queue = queue;
        this.config = config;
    }

    /** The worker a sync, report or deregistration speaks for; 403 when the join token names a credentialed worker. */
    String of(Caller caller, String claimed) {
        String id = caller.workerIdFor(claimed);
        if (!caller.kind().equals(Tokens.JOIN)) return id;
        if (config.requireWorkerCredentials()) throw credentialsRequired();
        if (queue.hasCredential(id))
            throw new SpoolError(SpoolError.Code.FORBIDDEN, "worker_id", "worker " + id + " registered with its own credential; "
                    + "the join token cannot act for it (that worker speaks with its credential, shown once at registration)");
        return id;
    }

    /** The refusal of a join-token-only worker under --require-worker-credentials. */
    static SpoolError credentialsRequired() {
        return new SpoolError(SpoolError.Code.FORBIDDEN, "protocol", "this coordinator requires every worker to have its own "
                + "credential (--require-worker-credentials), and a worker of protocol " + Api.SEED_PROTOCOL
                + " (seed 001) has only the join token: upgrade the worker to Spool's (protocol " + Api.LEASE_PROTOCOL
                + " or later), or start the coordinator without --require-worker-credentials");
    }
}
