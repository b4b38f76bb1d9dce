package dev.spool.coordinator.api;

import dev.spool.model.protocol.Api;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.protocol.Wire;
import dev.spool.coordinator.store.Store;
import dev.spool.coordinator.store.WorkerRecord;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the cluster looks like: its workers and its queue. */
final class ClusterRoutes {
    private final Store store;
    private final Clock clock;
    private final CoordinatorConfig config;

    ClusterRoutes(Store store, Clock clock, CoordinatorConfig config) {
        this.store = store;
        this.clock = clock;
        this.config = config;
    }

    void register(Javalin app) {
        app.get(Api.WORKERS, this::workers, Role.CLIENT);
        app.get(Api.QUEUE, this::queue, Role.CLIENT);
    }

    private void workers(Context ctx) {
        Instant now = clock.instant();
        List<Map<String, Object>> workers = store.workers().stream().map(w -> view(w, now)).toList();
        ctx.json(Map.of("workers", workers));
    }

    private Map<String, Object> view(WorkerRecord w, Instant now) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("worker_id", w.id());
        boolean alive = Duration.between(w.lastSeenAt(), now).compareTo(config.workerTimeout()) < 0;
        v.put("status", alive ? w.status() : "OFFLINE");
        v.put("current_job_id", w.currentJobId());
        v.put("last_seen", w.lastSeenAt().toString());
        v.put("protocol", w.protocol());
        v.put("slots", w.slots());
        v.put("pools", w.pools());
        v.put("capabilities", json(w.capabilitiesJson()));
        if (w.hardwareJson() != null) v.put("hardware_stats", json(w.hardwareJson()));
        return v;
    }

    private void queue(Context ctx) {
        List<Store.QueueDepth> depth = store.queueDepth();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", depth.stream().mapToInt(Store.QueueDepth::count).sum());
        body.put("depth", depth);
        ctx.json(body);
    }

    private static JsonNode json(String text) {
        try {
            return Wire.JSON.readTree(text);
        } catch (Exception e) {
            return Wire.JSON.getNodeFactory().textNode(text);
        }
    }
}
