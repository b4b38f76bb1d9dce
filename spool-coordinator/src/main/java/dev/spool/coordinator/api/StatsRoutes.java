package dev.spool.coordinator.api;

import dev.spool.coordinator.metrics.CachedStats;
import dev.spool.coordinator.metrics.CoordinatorMetrics;
import dev.spool.coordinator.queue.QueueStats;
import dev.spool.coordinator.queue.WorkerRecord;
import dev.spool.model.job.JobState;
import dev.spool.model.job.Priority;
import dev.spool.model.protocol.Api;
import dev.spool.model.protocol.Replies;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code GET /api/v1/stats}: the same counts as the metrics' gauges, as one JSON object. */
final class StatsRoutes {
    private final CachedStats stats;

    StatsRoutes(CachedStats stats) {
        this.stats = stats;
    }

    void register(Javalin app, Role role) {
        app.get(Api.STATS, ctx -> ctx.json(view(stats.get())), role);
    }

    static Replies.Stats view(CachedStats.Snapshot s) {
        QueueStats q = s.queue();
        Map<String, Long> jobs = new LinkedHashMap<>();
        for (JobState state : JobState.values()) jobs.put(state.name().toLowerCase(Locale.ROOT), q.jobs(state));
        List<Replies.QueueDepth> depth = q.queued().stream()
                .map(d -> new Replies.QueueDepth(d.pool(), Priority.parse(d.priority()), d.count())).toList();
        int idle = 0, busy = 0, draining = 0, slots = 0;
        List<WorkerRecord> online = s.online();
        for (WorkerRecord w : online) {
            slots += w.slots();
            switch (CoordinatorMetrics.status(w)) {
                case "idle" -> idle++;
                case "busy" -> busy++;
                case "draining" -> draining++;
                default -> { }
            }
        }
        double oldest = q.oldestQueued().map(t -> Math.max(0, Duration.between(t, s.at()).toMillis()) / 1000.0).orElse(0.0);
        return new Replies.Stats(s.at().toString(), jobs, q.escalated(),
                new Replies.Queue(depth.stream().mapToInt(Replies.QueueDepth::count).sum(), depth),
                q.leased().stream().mapToLong(QueueStats.LeasedCount::count).sum(),
                new Replies.WorkerStats(online.size(), idle, busy, draining, slots),
                new Replies.LastHour(q.lastHour().completed(), q.lastHour().failed(), Math.round(q.lastHour().mediaSeconds() * 10) / 10.0),
                oldest, q.outputBytes());
    }
}
