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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.spool.model.SpoolError;
import dev.spool.coordinator.queue.Event;
import dev.spool.coordinator.queue.Task;

/** What the cluster looks like: its workers and its queue; and the operator's drain, pause and resume of a worker. */
final class ClusterRoutes {
    /** A worker's detail lists this many attempts at most, read from at most this many of its events. */
    static final int RECENT_TASKS = 50;
    private static final int RECENT_EVENTS = 400;
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
        app.get(Api.WORKER, this::worker, Role.READ);
        app.post(Api.WORKER_DRAIN, ctx -> control(ctx, WorkerRecord.Control.DRAINING), Role.SUBMIT);
        app.post(Api.WORKER_PAUSE, ctx -> control(ctx, WorkerRecord.Control.PAUSED), Role.SUBMIT);
        app.post(Api.WORKER_RESUME, ctx -> control(ctx, WorkerRecord.Control.ACTIVE), Role.SUBMIT);
        app.get(Api.QUEUE, this::queue, Role.READ);
    }

    private void workers(Context ctx) {
        ctx.json(new Replies.WorkerList(views(clock.instant())));
    }

    /** Every worker as GET /api/v1/workers shows it (the live feed's worker events too). */
    List<Replies.WorkerView> views(Instant now) {
        Map<String, Task> running = current(queue.leased());
        return queue.workers().stream().map(w -> view(w, running.get(w.id()), now)).toList();
    }

    private void worker(Context ctx) {
        WorkerRecord w = find(ctx.pathParam("id"));
        Replies.WorkerView view = view(w, current(queue.leased()).get(w.id()), clock.instant());
        ctx.json(new Replies.WorkerDetail(view, recentTasks(w.id())));
    }

    private void control(Context ctx, WorkerRecord.Control control) {
        String id = ctx.pathParam("id");
        WorkerRecord w = queue.controlWorker(id, control).orElseThrow(() -> unknown(id));
        ctx.json(new Replies.WorkerControlled(w.id(), w.control().name()));
    }

    private WorkerRecord find(String id) {
        return queue.worker(id).orElseThrow(() -> unknown(id));
    }

    private static SpoolError unknown(String id) {
        return new SpoolError(SpoolError.Code.NOT_FOUND, "worker_id", "no worker " + id);
    }

    /** Each worker's first leased task: what it runs now. */
    private static Map<String, Task> current(List<Task> leased) {
        Map<String, Task> byWorker = new HashMap<>();
        for (Task t : leased) if (t.workerId() != null) byWorker.putIfAbsent(t.workerId(), t);
        return byWorker;
    }

    /** The attempts this worker ran, newest first, read off its events as a job's timeline is. */
    private List<Replies.RecentTask> recentTasks(String workerId) {
        List<Event> events = new ArrayList<>(queue.workerEvents(workerId, RECENT_EVENTS));
        Collections.reverse(events);   // oldest first, as a timeline reads them
        Map<String, Task> tasks = new LinkedHashMap<>();
        for (Event e : events)
            if (e.taskId() != null && !tasks.containsKey(e.taskId())) queue.task(e.taskId()).ifPresent(t -> tasks.put(t.id(), t));
        List<Timeline.Bar> bars = new ArrayList<>(Timeline.of(events, List.copyOf(tasks.values())));
        Collections.reverse(bars);
        return bars.stream().filter(b -> workerId.equals(b.worker())).limit(RECENT_TASKS)
                .map(b -> new Replies.RecentTask(b.jobId(), b.taskId(), b.kind(), b.piece(), b.attempt(), JobViews.time(b.start()),
                        JobViews.time(b.end()), b.outcome(), b.error())).toList();
    }

    private Replies.WorkerView view(WorkerRecord w, Task current, Instant now) {
        boolean alive = Duration.between(w.lastSeenAt(), now).compareTo(config.workerTimeout()) < 0;
        var task = current == null ? null : new Replies.CurrentTask(current.jobId(), current.id(), current.kind().wire(), current.piece(),
                Math.round(current.progress() * 10) / 10.0, Math.round(current.fps() * 10) / 10.0);
        return new Replies.WorkerView(w.id(), alive ? w.status() : Replies.WorkerView.OFFLINE, w.currentJobId(),
                w.lastSeenAt().toString(), w.protocol(), w.slots(), w.pools(), json(w.capabilitiesJson()),
                w.hardwareJson() != null ? json(w.hardwareJson()) : null, w.control().name(), task);
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
