package dev.spool.cli;

import com.sun.net.httpserver.HttpServer;
import dev.spool.coordinator.queue.LocalPostgres;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Api;
import dev.spool.model.protocol.Wire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code spool bench operations}: what the operations layer costs, on coordinator processes over
 * real HTTP. A scrape of {@code /metrics} once its 2 s cache has run out (so the database is read),
 * with 1,000 and with 100,000 finished jobs in PostgreSQL; and a webhook's latency from the commit
 * of its event (the submit's reply) to its arrival at a receiver on loopback, on SQLite and on
 * PostgreSQL. Each pair is measured in alternating rounds.
 */
@Command(name = "operations", mixinStandardHelpOptions = true,
        description = "Metrics scrape time at 1,000 and 100,000 jobs; webhook latency from commit, SQLite and PostgreSQL.")
final class OperationsBench implements Callable<Integer> {
    private static final Duration CALL = Duration.ofSeconds(60);
    /** Past the stats cache (2 s), so each scrape reads the database. */
    private static final Duration PAST_CACHE = Duration.ofMillis(2100);
    private static final String SCRAPE = "scrape ms";
    private static final String P50 = "p50 ms";
    private static final String P99 = "p99 ms";

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds, the two variants alternating. Default: ${DEFAULT-VALUE}.")
    int rounds;
    @Option(names = "--jobs", defaultValue = "100000", description = "Finished jobs in the larger database. Default: ${DEFAULT-VALUE}.")
    int jobs;
    @Option(names = "--scrapes", defaultValue = "3", description = "Scrapes a round, each past the cache. Default: ${DEFAULT-VALUE}.")
    int scrapes;
    @Option(names = "--webhooks", defaultValue = "100", description = "Jobs submitted a round, each with one webhook. Default: ${DEFAULT-VALUE}.")
    int webhooks;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public Integer call() throws Exception {
        if (jobs < 1000 || jobs > 10_000_000) throw SpoolError.invalid("--jobs", "must be between 1000 and 10000000");
        if (scrapes < 1 || scrapes > 100) throw SpoolError.invalid("--scrapes", "must be between 1 and 100");
        if (webhooks < 10 || webhooks > 10_000) throw SpoolError.invalid("--webhooks", "must be between 10 and 10000");
        Path work = Files.createTempDirectory("spool-bench-operations-");
        try (LocalPostgres pg = LocalPostgres.start(); Receiver receiver = new Receiver()) {
            String database = pg.createDatabase("spool");
            scrapes(database, work, System.out);
            webhooks(database, work, receiver, System.out);
        }
        return 0;
    }

    private void scrapes(String database, Path work, PrintStream out) throws Exception {
        List<Integer> sizes = List.of(1000, jobs);
        List<DispatchBench.CoordinatorProcess> started = new ArrayList<>();
        Rounds alternation = new Rounds(rounds);
        try {
            for (int size : sizes) {
                String url = QueueDepthBench.inSchema(database, "bench_m" + size);
                var c = DispatchBench.CoordinatorProcess.start(work.resolve("m" + size), url, "256m");
                started.add(c);
                c.submit("template");
                QueueFill fill = QueueFill.fromTemplate(url);
                fill.finished(size, System.currentTimeMillis() - 200_000_000L);
                fill.analyze();
                alternation.variant(jobs(size), round -> Map.of(SCRAPE, scrape(c)));
            }
            Rounds.Result r = alternation.run(out);
            out.printf(Locale.ROOT, "%nGET /metrics after the 2 s cache, PostgreSQL; median (min-max) over rounds of each round's median%n");
            for (int size : sizes) out.printf(Locale.ROOT, "%-24s %s%n", jobs(size), Rounds.Spread.of(r.values(jobs(size), SCRAPE)).format("%.1f ms"));
            out.printf(Locale.ROOT, "%-24s %s%n", "ratio, per round", Rounds.Spread.of(r.ratios(jobs(jobs), jobs(1000), SCRAPE)).format("%.2f"));
        } finally {
            for (var c : started) c.close();
        }
    }

    /** The median of this round's scrapes, each after the cache ran out. */
    private double scrape(DispatchBench.CoordinatorProcess c) throws Exception {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < scrapes; i++) {
            Thread.sleep(PAST_CACHE);
            long t0 = System.nanoTime();
            HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(c.url() + Api.METRICS))
                    .header("Authorization", "Bearer " + c.clientToken()).timeout(CALL).build(), HttpResponse.BodyHandlers.ofString());
            times.add(System.nanoTime() - t0);
            if (reply.statusCode() != 200 || !reply.body().contains("transcode_jobs_total"))
                throw SpoolError.environment("the scrape failed: " + reply.statusCode());
        }
        times.sort(null);
        return times.get(times.size() / 2) / 1e6;
    }

    private void webhooks(String database, Path work, Receiver receiver, PrintStream out) throws Exception {
        List<String> flags = List.of("--webhook", receiver.url(), "--webhook-events", "queued", "--allow-private-webhooks");
        String pgUrl = QueueDepthBench.inSchema(database, "bench_hooks");
        Rounds alternation = new Rounds(rounds);
        try (var sqlite = DispatchBench.CoordinatorProcess.start(work.resolve("hooks-sqlite"), null, "256m", flags);
             var postgres = DispatchBench.CoordinatorProcess.start(work.resolve("hooks-pg"), pgUrl, "256m", flags)) {
            alternation.variant("SQLite", round -> latency(sqlite, receiver)).variant("PostgreSQL", round -> latency(postgres, receiver));
            Rounds.Result r = alternation.run(out);
            out.printf(Locale.ROOT, "%nwebhook latency, the submit's reply (its event committed) to the call's arrival, %d jobs a round,"
                    + " one after another; median (min-max) over rounds%n", webhooks);
            out.printf(Locale.ROOT, "%-12s %-32s %s%n", "store", P50, P99);
            for (String store : List.of("SQLite", "PostgreSQL"))
                out.printf(Locale.ROOT, "%-12s %-32s %s%n", store, Rounds.Spread.of(r.values(store, P50)).format("%.1f"),
                        Rounds.Spread.of(r.values(store, P99)).format("%.1f"));
        }
    }

    /** Submits the round's jobs one after another; each job's latency is its webhook's arrival after its submit's reply. */
    private Map<String, Double> latency(DispatchBench.CoordinatorProcess c, Receiver receiver) throws Exception {
        Map<String, Long> committed = new ConcurrentHashMap<>();
        for (int i = 0; i < webhooks; i++) {
            String id = c.client().call("POST", Api.JOBS, Map.of("input", "/bench/hook-" + i + ".mp4", "output", "/bench/out/hook-" + i), CALL)
                    .path("job_id").asText();
            committed.put(id, System.nanoTime());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!receiver.arrived.keySet().containsAll(committed.keySet())) {
            if (System.nanoTime() > deadline) throw SpoolError.environment("webhooks did not all arrive within 60 s");
            Thread.sleep(20);
        }
        List<Long> latencies = new ArrayList<>();
        committed.forEach((job, at) -> latencies.add(receiver.arrived.get(job) - at));
        latencies.sort(null);
        return Map.of(P50, DispatchBench.pct(latencies, 50) / 1e6, P99, DispatchBench.pct(latencies, 99) / 1e6);
    }

    private static String jobs(int n) {
        return String.format(Locale.ROOT, "%,d jobs", n);
    }

    /** Notes when each job's webhook arrived (the first call per job; the bench answers 200 to all). */
    private static final class Receiver implements AutoCloseable {
        final Map<String, Long> arrived = new ConcurrentHashMap<>();
        private final HttpServer server;

        Receiver() throws java.io.IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            server.createContext("/", exchange -> {
                long at = System.nanoTime();
                String job = Wire.JSON.readTree(exchange.getRequestBody()).path("job_id").asText();
                arrived.putIfAbsent(job, at);
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
