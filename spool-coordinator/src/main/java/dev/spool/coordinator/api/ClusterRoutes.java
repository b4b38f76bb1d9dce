package dev.spool.coordinator.api;

import dev.spool.model.protocol.Replies;
import dev.spool.model.protocol.Api;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.protocol.Wire;
import dev.spool.coordinator.queue.JobQueue;
import dev.spool.coordinator.queue.WorkerRecord;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What the cluster looks like: its workers and its queue. */
final class ClusterRoutes {
    private final JobQueue queue;
    private final Clock clock;
    private final CoordinatorConfig config;

    ClusterRoutes(JobQueue queue, Clock clock, CoordinatorConfig config) {
        this.queue = queue;
        this.clock = clock;
        this.config = config;
    }

    void register(Javalin app) {
        app.get(Api.WORKERS, this::workers, Role.READ);
        app.get(Api.QUEUE, this::queue, Role.READ);
    }

    private void workers(Context ctx) {
        ctx.json(new Replies.WorkerList(views(clock.instant())));
    }

    /** Every worker as GET /api/v1/workers shows it (the live feed's worker events too). */
    List<Replies.WorkerView> views(Instant now) {
        return queue.workers().stream().map(w -> view(w, now)).toList();
    }

    private Replies.WorkerView view(WorkerRecord w, Instant now) {
        boolean alive = Duration.between(w.lastSeenAt(), now).compareTo(config.workerTimeout()) < 0;
        return new Replies.WorkerView(w.id(), alive ? w.status() : Replies.WorkerView.OFFLINE, w.currentJobId(),
                w.lastSeenAt().toString(), w.protocol(), w.slots(), w.pools(), json(w.capabilitiesJson()),
                w.hardwareJson() != null ? json(w.hardwareJson()) : null);
    }

    private void queue(Context ctx) {
        List<JobQueue.QueueDepth> depth = queue.queueDepth();
        ctx.json(new Replies.Queue(depth.stream().mapToInt(JobQueue.QueueDepth::count).sum(),
                depth.stream().map(d -> new Replies.QueueDepth(d.pool(), dev.spool.model.job.Priority.parse(d.priority()), d.count())).toList()));
    }

    private static JsonNode json(String text) {
        try {
            return Wire.JSON.readTree(text);
        } catch (Exception e) {
            return Wire.JSON.getNodeFactory().textNode(text);
        }
    }
}
