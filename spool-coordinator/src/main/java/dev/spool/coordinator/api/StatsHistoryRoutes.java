package dev.spool.coordinator.api;

import dev.spool.coordinator.queue.JobQueue;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Api;
import dev.spool.model.protocol.DashboardMessages;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/stats/history?hours=N}: jobs completed and failed per ten minutes, for the dashboard's chart. */
final class StatsHistoryRoutes {
    static final Duration BUCKET = Duration.ofMinutes(10);
    static final int DEFAULT_HOURS = 6;
    static final int MAX_HOURS = 72;

    private final JobQueue queue;
    private final Clock clock;

    StatsHistoryRoutes(JobQueue queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    void register(Javalin app) {
        app.get(Api.STATS_HISTORY, this::history, Role.READ);
    }

    private void history(Context ctx) {
        int hours = hours(ctx.queryParam("hours"));
        long width = BUCKET.toMillis();
        Instant now = clock.instant();
        // epoch-aligned buckets, the current one last; the first starts at or just before now - hours
        long first = Math.floorDiv(now.minus(Duration.ofHours(hours)).toEpochMilli(), width) * width;
        Map<Long, JobQueue.EndedCount> counts = new HashMap<>();
        for (JobQueue.EndedCount c : queue.endedSince(Instant.ofEpochMilli(first), BUCKET)) counts.put(c.start().toEpochMilli(), c);
        List<DashboardMessages.Bucket> buckets = new ArrayList<>();
        for (long start = first; start <= now.toEpochMilli(); start += width) {
            JobQueue.EndedCount c = counts.get(start);
            buckets.add(new DashboardMessages.Bucket(Instant.ofEpochMilli(start).toString(), c == null ? 0 : c.completed(), c == null ? 0 : c.failed()));
        }
        ctx.json(new DashboardMessages.StatsHistory((int) BUCKET.toSeconds(), buckets));
    }

    private static int hours(String text) {
        if (text == null) return DEFAULT_HOURS;
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= MAX_HOURS) return n;
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw SpoolError.invalid("hours", "must be a whole number of hours from 1 to " + MAX_HOURS);
    }
}
