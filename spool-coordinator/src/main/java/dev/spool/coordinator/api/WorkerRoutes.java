package dev.spool.coordinator.api;

import dev.spool.model.job.JobRecord;
import dev.spool.model.protocol.Replies;
import dev.spool.model.protocol.Api;
import dev.spool.model.job.OutputSpec;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.WorkerMessages;
import dev.spool.model.protocol.WorkerMessages.AssignedJob;
import dev.spool.model.protocol.WorkerMessages.Input;
import dev.spool.model.protocol.WorkerMessages.Lease;
import dev.spool.model.protocol.WorkerMessages.Register;
import dev.spool.model.protocol.WorkerMessages.Registered;
import dev.spool.model.protocol.WorkerMessages.Sync;
import dev.spool.model.protocol.WorkerMessages.SyncReply;
import dev.spool.coordinator.metrics.CoordinatorMetrics;
import dev.spool.coordinator.schedule.Waiter;
import dev.spool.coordinator.queue.Claim;
import dev.spool.coordinator.queue.ClaimedWith;
import dev.spool.coordinator.queue.JobQueue;
import dev.spool.coordinator.queue.Task;
import dev.spool.coordinator.queue.WorkerFit;
import dev.spool.coordinator.queue.WorkerRecord;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Seed 001's worker protocol, the worker's own lifecycle: register, sync (heartbeat and
 * assignment, long-polling with wait_ms) and deregister; its reports are {@link ReportRoutes}.
 */
final class WorkerRoutes {
    static final Duration MAX_WAIT = Duration.ofSeconds(30);
    /** Claims for woken long polls: a few at a time, since each needs one of the queue's connections. */
    private static final ExecutorService CLAIMS = Executors.newFixedThreadPool(16, Thread.ofVirtual().name("spool-claim-", 0).factory());
    private static final String WORKER_ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    private final JobQueue queue;
    private final Clock clock;
    private final CoordinatorConfig config;
    private final Waiter waiter;
    private final Auth auth;
    private final Incarnations incarnations;
    private final WorkerIdentity identity;
    private final EmptyQueues empty = new EmptyQueues();
    private final CoordinatorMetrics metrics;

    WorkerRoutes(JobQueue queue, Clock clock, CoordinatorConfig config, Waiter waiter, Auth auth, CoordinatorMetrics metrics) {
        this.queue = queue;
        this.metrics = metrics;
        this.clock = clock;
        this.config = config;
        this.waiter = waiter;
        this.auth = auth;
        this.incarnations = new Incarnations(queue, config);
        this.identity = new WorkerIdentity(queue, config);
    }

    void register(Javalin app) {
        app.post(Api.WORKER_REGISTER, this::registerWorker, Role.WORKER);
        app.post(Api.WORKER_SYNC, this::sync, Role.WORKER);
        app.post(Api.WORKER_DEREGISTER, this::deregister, Role.WORKER);
    }

    private void registerWorker(Context ctx) {
        Register r = ApiErrors.parse(ctx, Register.class, BodyLimit.PROTOCOL);
        Caller caller = ctx.attribute(Caller.ATTRIBUTE);
        String id = checkId(caller.workerIdFor(r.workerId()));
        if (r.capabilities() == null || !r.capabilities().isObject()) throw SpoolError.invalid("capabilities", "must be an object");
        int protocol = r.protocol() == null ? Api.SEED_PROTOCOL : r.protocol();
        int slots = r.slots() == null ? 1 : r.slots();
        if (slots < 1 || slots > 64) throw SpoolError.invalid("slots", "must be between 1 and 64");
        List<String> pools = r.pools() == null || r.pools().isEmpty() ? List.of(dev.spool.coordinator.queue.Requirements.TRANSCODE_POOL) : r.pools();
        boolean joinOnly = protocol < Api.LEASE_PROTOCOL && caller.kind().equals(Tokens.JOIN);
        if (joinOnly && config.requireWorkerCredentials()) throw WorkerIdentity.credentialsRequired();
        Instant now = clock.instant();
        // a restart under the same id gets its previous run's work back at once; a second live process is refused
        incarnations.admit(id, caller, protocol, now);
        queue.saveWorker(new WorkerRecord(id, protocol, json(r.capabilities()), pools, slots, "IDLE", null, null, now, now));
        String credential = null;
        if (caller.kind().equals(Tokens.JOIN)) {
            // one live credential per worker: the last registration's; a seed-001 worker that took over
            // a silent credentialed worker's name has none, so the join token may speak for the name again
            queue.revokeWorkerTokens(id);
            auth.forgetWorker(id);
        }
        if (protocol >= Api.LEASE_PROTOCOL && caller.kind().equals(Tokens.JOIN)) {
            credential = Tokens.generate(Tokens.WORKER);
            queue.saveToken(Tokens.hash(credential), Tokens.WORKER, id, now);
        }
        ctx.json(new Registered(id, true, credential, (int) config.heartbeatInterval().toSeconds(),
                (int) config.workerTimeout().toSeconds()));
    }

    private void sync(Context ctx) {
        Sync s = ApiErrors.parse(ctx, Sync.class, BodyLimit.PROTOCOL);
        Caller caller = ctx.attribute(Caller.ATTRIBUTE);
        String id = checkId(identity.of(caller, s.workerId()));
        Instant now = clock.instant();
        String hardware = s.hardwareStats() == null ? null : json(s.hardwareStats());
        String status = s.status() == null ? "IDLE" : s.status();
        String current = s.currentJobId() == null || s.currentJobId().isBlank() ? null : s.currentJobId();
        JobQueue.Heartbeat beat = queue.heartbeat(id, status, hardware, current, s.leases(), now, config.workerTimeout(), caller.claimedWith())
                .orElseThrow(() -> new SpoolError(SpoolError.Code.NOT_FOUND, "worker_id", "unknown worker " + id + "; register again"));
        List<String> cancel = beat.cancelled().isEmpty() ? null : beat.cancelled();
        List<String> gone = queue.goneLeases(s.leases());   // taken back (over the time limit): stop them
        List<String> stop = gone.isEmpty() ? null : gone;
        WorkerRecord worker = beat.worker();
        String control = control(worker);
        Duration wait = Duration.ofMillis(Math.max(0, Math.min(s.waitMs() == null ? 0 : s.waitMs(), MAX_WAIT.toMillis())));
        if (worker.control() != WorkerRecord.Control.ACTIVE && status.equals("IDLE") && !wait.isZero()) {
            // paused or draining: no claim; a long poll is answered after a heartbeat's wait, not at once,
            // so a worker that does not know the word (seed 001's) does not spin
            Duration hold = wait.compareTo(config.heartbeatInterval()) < 0 ? wait : config.heartbeatInterval();
            ctx.future(() -> CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(hold.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS)).thenRun(() -> ctx.json(new SyncReply(true, null, cancel, stop, control))));
            return;
        }
        if (!status.equals("IDLE") || beat.leased() >= worker.slots() || worker.control() != WorkerRecord.Control.ACTIVE) {
            ctx.json(new SyncReply(true, null, cancel, stop, control));
            return;
        }
        var fit = WorkerFits.of(worker);
        var with = caller.claimedWith();   // the lease answers only this kind of credential from now on
        long seen = waiter.generation();
        Optional<Claim> claim = timedClaim(fit, with);
        if (claim.isEmpty()) empty.foundEmpty(fit, seen);
        if (claim.isPresent() || wait.isZero()) {
            ctx.json(new SyncReply(true, claim.map(c -> assignment(c, worker)).orElse(null), cancel, stop, control));
            return;
        }
        // nothing now: the request is parked as a future, its thread goes back to Jetty
        long deadline = System.nanoTime() + wait.toNanos();
        CompletableFuture<Void> controlled = waiter.controlChange(id);
        ctx.future(() -> claimWhenWoken(fit, with, seen, deadline, controlled)
                .whenComplete((claimed, failure) -> waiter.forget(id, controlled))
                .thenAccept(later -> ctx.json(new SyncReply(true, later.map(c -> assignment(c, worker)).orElse(null), cancel, stop,
                        controlled.isDone() ? queue.worker(id).map(WorkerRoutes::control).orElse(null) : control))));
    }

    /**
     * Claims after each wake-up (a submit, a re-queue) unless an equal worker has just found
     * nothing ({@link EmptyQueues}), and once more when the long poll runs out; the claims run on a
     * few threads of their own, as many as the queue can serve at once. A change of the worker's
     * control ({@code controlled}) ends the poll with nothing.
     */
    private CompletableFuture<Optional<Claim>> claimWhenWoken(WorkerFit fit, ClaimedWith with, long seen, long deadline,
                                                             CompletableFuture<Void> controlled) {
        long left = deadline - System.nanoTime();
        CompletableFuture<Boolean> change = waiter.changeAfter(seen, Duration.ofNanos(Math.max(0, left)));
        return CompletableFuture.anyOf(change, controlled).thenComposeAsync(woken -> {
            // drained or paused meanwhile: answered now with the word, no claim (the claim would refuse it anyway)
            if (controlled.isDone()) {
                change.complete(false);   // leaves the waiter's set now
                return CompletableFuture.completedFuture(Optional.<Claim>empty());
            }
            long now = waiter.generation();
            boolean last = deadline - System.nanoTime() <= 0;
            if (!last && empty.knownEmpty(fit, now)) return claimWhenWoken(fit, with, now, deadline, controlled);   // an equal worker just looked
            Optional<Claim> claim = timedClaim(fit, with);
            if (claim.isEmpty()) empty.foundEmpty(fit, now);
            if (claim.isPresent() || last) return CompletableFuture.completedFuture(claim);
            return claimWhenWoken(fit, with, now, deadline, controlled);
        }, CLAIMS);
    }

    private Optional<Claim> timedClaim(WorkerFit fit, ClaimedWith with) {
        long started = System.nanoTime();
        Optional<Claim> claim = queue.claim(fit, clock.instant(), config.workerTimeout(), with);
        metrics.claimed(System.nanoTime() - started, claim.isPresent());
        return claim;
    }

    private AssignedJob assignment(Claim claim, WorkerRecord worker) {
        JobRecord spec = claim.job().spec();
        int protocol = worker.protocol();
        List<OutputSpec> outputs = seedOutputs(spec, WorkerFits.of(worker).maxHeight());
        String input = spec.input();
        int dot = input.lastIndexOf('.');
        String format = dot > input.lastIndexOf('/') && dot >= 0 ? input.substring(dot + 1).toLowerCase() : null;
        Task task = claim.task();
        Lease lease = new Lease(task.leaseId(), task.leaseExpiresAt().toString());
        boolean spoolWorker = protocol >= Api.LEASE_PROTOCOL;
        var cut = claim.job().split();
        var split = cut == null || !spoolWorker ? null : new WorkerMessages.Split(cut.pieces(), cut.frameRate(),
                task.piece() == null ? null : cut.pieces().pieces().get(task.piece()), claim.pieceOutputs());
        // an earlier attempt was granted the commit and vanished: this one finishes it (a newer worker only)
        var pending = task.commitLease() == null || protocol < Api.COMMIT_PROTOCOL ? null
                : new WorkerMessages.PendingCommit(task.commitLease(), task.commitIntent());
        return new AssignedJob(claim.job().id(), spec.labels().get("movie_id"), new Input(input, format), outputs,
                spec.hlsSettings(), task.id(), task.kind().wire(), lease, spoolWorker ? sent(spec, protocol) : null, split, pending);
    }

    /**
     * What the sync reply says of the operator's control: "pause" or "drain" to a worker that knows
     * the word (protocol 6 and later; older ones refuse unknown fields), nothing when it is active.
     */
    private static String control(WorkerRecord worker) {
        if (worker.protocol() < Api.CONTROL_PROTOCOL) return null;
        return switch (worker.control()) {
            case ACTIVE -> null;
            case PAUSED -> SyncReply.PAUSE;
            case DRAINING -> SyncReply.DRAIN;
        };
    }

    /** The record a Spool worker gets: with its encode plan, or as older workers read it (they refuse unknown fields). */
    private static JobRecord sent(JobRecord spec, int protocol) {
        return protocol >= Api.PLAN_PROTOCOL ? spec.withoutSecrets() : spec.withoutSecrets().asked();
    }

    /**
     * A seed-001 worker needs explicit renditions, each with its dest_path (OUTPUT/<rung>/) and a
     * bitrate: those asked for, or the default ladder up to the worker's max_resolution.
     */
    private static List<OutputSpec> seedOutputs(JobRecord spec, int maxHeight) {
        String base = spec.output().endsWith("/") ? spec.output() : spec.output() + "/";
        var options = spec.plan();
        var codec = options.codec();
        List<OutputSpec> asked = spec.outputs();
        if (asked.isEmpty()) {
            asked = dev.spool.model.encode.Rung.DEFAULTS.stream().filter(r -> r.boxHeight() <= maxHeight)
                    .map(r -> new OutputSpec(r.name(), null, null, null)).toList();
        }
        return asked.stream().map(o -> {
            var rung = dev.spool.model.encode.Rung.named(o.resolution());
            int kbps = o.bitrate() != null ? o.bitrateKbps() : (int) Math.round(rung.kbps() * codec.bitrateFactor());
            // the job's video_bitrate caps what the rendition asks, as it does for Spool's own workers
            String bitrate = o.bitrate() != null && options.capped(kbps) == kbps ? o.bitrate() : options.capped(kbps) + "k";
            String dest = o.destPath() != null ? o.destPath() : base + o.resolution() + "/";
            return new OutputSpec(o.resolution(), bitrate, o.codec() != null ? o.codec() : options.encoder(), dest);
        }).toList();
    }

    private void deregister(Context ctx) {
        Caller caller = ctx.attribute(Caller.ATTRIBUTE);
        String id = identity.of(caller, ctx.pathParam("id"));
        queue.removeWorker(id, clock.instant());
        auth.forgetWorker(id);
        ctx.json(Replies.Ack.OK);
    }

    /** Through the shared mapper: JsonNode.toString() would keep a buffer per (virtual) thread. */
    private static String json(Object value) {
        try {
            return dev.spool.model.protocol.Wire.JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw SpoolError.invalid("body", "cannot be stored: " + e.getOriginalMessage());
        }
    }

    private static String checkId(String id) {
        if (!id.matches(WORKER_ID)) throw SpoolError.invalid("worker_id", "must be 1-128 of A-Z a-z 0-9 . _ - (starting with a letter or digit)");
        return id;
    }
}
