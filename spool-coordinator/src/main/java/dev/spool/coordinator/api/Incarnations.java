package dev.spool.coordinator.api;

import dev.spool.model.protocol.Api;
import dev.spool.model.SpoolError;
import dev.spool.coordinator.queue.JobQueue;
import dev.spool.coordinator.queue.Task;
import dev.spool.coordinator.queue.WorkerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One worker id, one live process. A registration under an id that is taken is the same worker
 * starting again when it presents the credential that id was given (Spool's worker keeps it in its
 * state directory), when the previous run has been silent longer than a live worker ever is, or
 * when it is a seed-001 worker (which has only the join token to show) taking the name of another
 * seed-001 worker. The previous run's leases then end at once. Anything else is a second process
 * with the same name: refused (409); so is the join token naming a live worker that has its own
 * credential, which would otherwise let any holder of the shared token take over its name.
 */
final class Incarnations {
    /** Beyond a long poll or a heartbeat interval, whichever is longer: a request's own delay. */
    static final Duration MARGIN = Duration.ofSeconds(5);

    private final JobQueue queue;
    private final CoordinatorConfig config;

    Incarnations(JobQueue queue, CoordinatorConfig config) {
        this.queue = queue;
        this.config = config;
    }

    /** The longest a live Spool worker goes without a sync: an idle one's long poll, or a busy one's heartbeat. */
    Duration liveWindow() {
        Duration longest = WorkerRoutes.MAX_WAIT.compareTo(config.heartbeatInterval()) >= 0
                ? WorkerRoutes.MAX_WAIT : config.heartbeatInterval();
        return longest.plus(MARGIN);
    }

    /** Before a registration under {@code id} is saved: refuses a second live process, else ends the previous run's leases. */
    List<Task> admit(String id, Caller caller, int protocol, Instant now) {
        Optional<WorkerRecord> previous = queue.worker(id);
        if (previous.isEmpty()) return List.of();
        boolean provedSame = caller.kind().equals(Tokens.WORKER);   // Auth matched the credential to this id
        boolean credentialed = !provedSame && queue.hasCredential(id);
        boolean seedWorker = !credentialed && (protocol < Api.LEASE_PROTOCOL || previous.get().protocol() < Api.LEASE_PROTOCOL);
        Duration silent = Duration.between(previous.get().lastSeenAt(), now);
        if (!provedSame && !seedWorker && silent.compareTo(liveWindow()) < 0)
            throw new SpoolError(SpoolError.Code.CONFLICT, "worker_id", "worker id " + id + " is in use by a live worker"
                    + (credentialed ? " with its own credential" : "") + " (last seen " + Math.max(0, silent.toSeconds())
                    + " s ago); give this worker another name with --id, or stop the other one first");
        return queue.releasePreviousRun(id, now);
    }
}
