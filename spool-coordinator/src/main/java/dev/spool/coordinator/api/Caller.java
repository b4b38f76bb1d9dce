package dev.spool.coordinator.api;

import dev.spool.coordinator.queue.ClaimedWith;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.TokenRole;

/**
 * Who made a request: a client (its token's name and role), a worker with its own credential, or
 * a worker holding the join token.
 */
record Caller(String kind, String workerId, String name, TokenRole role) {
    static final String ATTRIBUTE = "spool.caller";

    boolean isWorker() { return kind.equals(Tokens.WORKER) || kind.equals(Tokens.JOIN); }

    /** "this token (name 'grafana') is read-only", as a refusal ends. */
    String described() {
        return switch (kind) {
            case Tokens.CLIENT -> "this token (name '" + name + "') is " + (role == null ? "without a role" : role.described());
            case Tokens.JOIN -> "this token is the worker join token";
            case Tokens.WORKER -> "this token is worker " + workerId + "'s own credential";
            default -> "this token is of kind " + kind;
        };
    }

    /** The kind of credential a lease this caller claims is bound to (a worker's own, or the join token). */
    ClaimedWith claimedWith() {
        return kind.equals(Tokens.JOIN) ? ClaimedWith.JOIN : ClaimedWith.WORKER;
    }

    /** A worker may speak only for itself; the join token (seed-001 workers) names itself in the body. */
    String workerIdFor(String claimed) {
        if (kind.equals(Tokens.WORKER)) {
            if (claimed != null && !claimed.equals(workerId))
                throw new SpoolError(SpoolError.Code.CONFLICT, "worker_id", "this credential belongs to worker " + workerId
                        + ", not " + claimed);
            return workerId;
        }
        if (claimed == null || claimed.isBlank()) throw SpoolError.invalid("worker_id", "is required");
        return claimed;
    }
}
