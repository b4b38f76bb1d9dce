package dev.spool.cli;

import dev.spool.model.protocol.Api;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.SpoolError;
import dev.spool.model.client.HttpApi;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Claims on PostgreSQL as the queue grows: one coordinator per queue depth (1,000, 100,000,
 * 1,000,000 queued tasks, each beside the same history of finished jobs), each in its own schema of
 * one server, measured in alternating rounds. A round: some workers claim and finish a fixed number
 * of tasks, each claim's sync timed; the queue is then topped up to its depth again.
 */
final class QueueDepthBench {
    static final String P50 = "claim p50 ms";
    static final String P99 = "claim p99 ms";
    static final String CLAIMS = "claims/s";
    private static final Duration CALL = Duration.ofSeconds(60);
    /** Queued rows were created before the bench started, oldest first; the history before them. */
    private static final long QUEUE_AGE_MS = 20_000_000L;
    private static final long HISTORY_AGE_MS = 200_000_000L;

    private final List<Integer> depths;
    private final int finished;
    private final int claims;
    private final int workers;
    private final String heap;

    QueueDepthBench(List<Integer> depths, int finished, int claims, int workers, String heap) {
        for (int d : depths) if (d < claims || d > 10_000_000) throw SpoolError.invalid("--queued", "each depth must be between --scale-claims ("
                + claims + ") and 10000000, not " + d);
        if (finished < 0) throw SpoolError.invalid("--finished", "must be 0 or more");
        if (workers < 1 || workers > 500) throw SpoolError.invalid("--scale-workers", "must be between 1 and 500");
        this.depths = List.copyOf(depths);
        this.finished = finished;
        this.claims = claims;
        this.workers = workers;
        this.heap = heap;
    }

    /** Fills one schema per depth in {@code database}, runs the rounds and prints the table. */
    void run(String database, Path work, Rounds rounds, PrintStream out) throws Exception {
        List<DispatchBench.CoordinatorProcess> started = new ArrayList<>();
        try {
            for (int depth : depths) {
                String url = inSchema(database, "bench_q" + depth);
                var c = DispatchBench.CoordinatorProcess.start(work.resolve("q" + depth), url, heap);
                started.add(c);
                long t0 = System.nanoTime();
                c.submit("template");
                QueueFill fill = QueueFill.fromTemplate(url);
                long base = System.currentTimeMillis();
                fill.finished(finished, base - HISTORY_AGE_MS);
                fill.queue(depth, base - QUEUE_AGE_MS);
                fill.analyze();
                out.printf(Locale.ROOT, "filled %s: %,d queued tasks, %,d finished jobs (%,d tasks, %,d events) in %.1f s%n", url,
                        depth, finished, finished * QueueFill.FINISHED_TASKS, finished * QueueFill.FINISHED_EVENTS, (System.nanoTime() - t0) / 1e9);
                rounds.variant(name(depth), round -> {
                    Map<String, Double> figures = measure(c, "q" + depth + "-r" + round + "-");
                    fill.queue(claims, base - QUEUE_AGE_MS);   // back to its depth, behind what is queued
                    return figures;
                });
            }
            Rounds.Result r = rounds.run(out);
            out.printf(Locale.ROOT, "%nPostgreSQL, %,d finished jobs' history in each database; %d claims by %d workers a round, "
                    + "each a sync that leases plus a finalize; median (min-max) over rounds%n", finished, claims, workers);
            out.printf(Locale.ROOT, "%-14s %-36s %-36s %s%n", "queued tasks", P50, P99, CLAIMS);
            for (int depth : depths)
                out.printf(Locale.ROOT, "%-14s %-36s %-36s %s%n", String.format(Locale.ROOT, "%,d", depth),
                        Rounds.Spread.of(r.values(name(depth), P50)).format("%.2f"), Rounds.Spread.of(r.values(name(depth), P99)).format("%.2f"),
                        Rounds.Spread.of(r.values(name(depth), CLAIMS)).format("%.0f"));
            int smallest = Collections.min(depths);
            int largest = Collections.max(depths);
            if (smallest != largest)
                out.printf(Locale.ROOT, "p50 at %,d / p50 at %,d, per round: %s (target <= 1.5)%n", largest, smallest,
                        Rounds.Spread.of(r.ratios(name(largest), name(smallest), P50)).format("%.2f"));
        } finally {
            for (var c : started) c.close();
        }
    }

    private static String name(int depth) {
        return String.format(Locale.ROOT, "%,d queued", depth);
    }

    /** One round: {@link #claims} claims shared by {@link #workers} workers, each claim's sync timed. */
    private Map<String, Double> measure(DispatchBench.CoordinatorProcess c, String idPrefix) throws Exception {
        List<HttpApi> apis = new ArrayList<>();
        for (int i = 0; i < workers; i++) apis.add(c.worker(idPrefix + i));
        AtomicInteger left = new AtomicInteger(claims);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        long t0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                HttpApi w = apis.get(i);
                String id = idPrefix + i;
                runs.add(pool.submit(() -> {
                    start.await();
                    while (left.getAndDecrement() > 0) {
                        long sent = System.nanoTime();
                        JsonNode job = w.call("POST", Api.WORKER_SYNC, Map.of("worker_id", id, "status", "IDLE"), CALL)
                                .path("assigned_job");
                        latencies.add(System.nanoTime() - sent);
                        if (job.isMissingNode()) throw SpoolError.encoder("the queue ran dry: a sync came back without a job");
                        c.complete(w, job);
                    }
                    return null;
                }));
            }
            t0 = System.nanoTime();
            start.countDown();
            for (Future<?> run : runs) run.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return Map.of(P50, DispatchBench.pct(sorted, 50) / 1e6, P99, DispatchBench.pct(sorted, 99) / 1e6, CLAIMS, claims / seconds);
    }

    /** The same database, with this schema (created empty) first on the search path. */
    static String inSchema(String database, String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(database); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        return database + (database.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
