package dev.spool.cli;

import dev.spool.model.protocol.Api;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.SpoolError;
import dev.spool.model.client.HttpApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code spool bench dispatch}: the coordinator measured over real HTTP, running as its own process
 * with a 256 MB heap (--coordinator-heap): submit-to-assignment latency of a long-polling idle worker,
 * claims per second with 50 simulated workers (SQLite, and PostgreSQL with --pg), and heap with
 * 2,000 idle workers (--idle-workers). --queued measures claims at several queue depths instead
 * ({@link QueueDepthBench}), --idle-only the idle workers alone.
 */
@Command(name = "dispatch", mixinStandardHelpOptions = true,
        description = "Coordinator latency, claim throughput and idle-worker heap, over HTTP.")
final class DispatchBench implements Callable<Integer> {
    private static final Duration CALL = Duration.ofSeconds(60);

    @Option(names = "--pg", paramLabel = "JDBC_URL", description = "Also measure claims on this PostgreSQL (an empty database).")
    String pg;

    @Option(names = "--latency-samples", defaultValue = "200") int latencySamples;
    @Option(names = "--claim-workers", defaultValue = "50") int claimWorkers;
    @Option(names = "--claim-jobs", defaultValue = "6000") int claimJobs;
    @Option(names = "--idle-workers", defaultValue = "2000") int idleWorkers;
    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of latency and claims, SQLite and PostgreSQL alternating. Default: ${DEFAULT-VALUE}.")
    int rounds;
    @Option(names = "--coordinator-heap", defaultValue = "256m", paramLabel = "SIZE",
            description = "The coordinator process's -Xmx. Default: ${DEFAULT-VALUE}.")
    String heap;
    @Option(names = "--idle-only", description = "Measure only the idle long-polling workers (e.g. --idle-workers 10000 --coordinator-heap 512m).")
    boolean idleOnly;
    @Option(names = "--queued", split = ",", paramLabel = "N",
            description = "Measure only claims on PostgreSQL at these queue depths (e.g. 1000,100000,1000000): --pg's database, or a throw-away local server.")
    List<Integer> queued;
    @Option(names = "--finished", defaultValue = "100000", description = "With --queued: finished jobs' history in each database. Default: ${DEFAULT-VALUE}.")
    int finished;
    @Option(names = "--scale-claims", defaultValue = "500", description = "With --queued: claims a round. Default: ${DEFAULT-VALUE}.")
    int scaleClaims;
    @Option(names = "--scale-workers", defaultValue = "8", description = "With --queued: workers claiming at once. Default: ${DEFAULT-VALUE}.")
    int scaleWorkers;

    private static final String P50 = "p50 ms";
    private static final String P99 = "p99 ms";
    private static final String CLAIMS = "claims/s";

    @Override
    public Integer call() throws Exception {
        Rounds alternation = new Rounds(rounds);
        if (!heap.matches("\\d{1,6}[mMgG]")) throw SpoolError.invalid("--coordinator-heap", "must be a size such as 256m or 1g, not " + heap);
        Path work = Files.createTempDirectory("spool-bench-dispatch-");
        if (queued != null) {
            QueueDepthBench bench = new QueueDepthBench(queued, finished, scaleClaims, scaleWorkers, heap);
            if (pg != null) {
                bench.run(pg, work, alternation, System.out);
            } else {
                try (var local = dev.spool.coordinator.queue.LocalPostgres.start()) {
                    bench.run(local.createDatabase("spool"), work, alternation, System.out);
                }
            }
            return 0;
        }
        if (idleOnly) {
            try (CoordinatorProcess sqlite = CoordinatorProcess.start(work.resolve("sqlite"), null, heap)) {
                idle(sqlite);
            }
            return 0;
        }
        try (CoordinatorProcess sqlite = CoordinatorProcess.start(work.resolve("sqlite"), null, heap);
             CoordinatorProcess postgres = pg == null ? null : CoordinatorProcess.start(work.resolve("pg"), pg, heap)) {
            // both coordinators run throughout, each measured in turn, so neither meets a quieter machine
            alternation.variant("SQLite", round -> measure(sqlite, round));
            if (postgres != null) alternation.variant("PostgreSQL", round -> measure(postgres, round));
            Rounds.Result r = alternation.run(System.out);
            System.out.printf(Locale.ROOT, "%nmedian (min-max) over rounds; %d latency samples and %d claims by %d workers a round%n",
                    latencySamples, claimJobs, claimWorkers);
            System.out.printf(Locale.ROOT, "submit -> assignment, idle long-polling worker (SQLite): p50 %s ms, p99 %s ms (target p50 <= 20 ms)%n",
                    Rounds.Spread.of(r.values("SQLite", P50)).format("%.1f"), Rounds.Spread.of(r.values("SQLite", P99)).format("%.1f"));
            System.out.printf(Locale.ROOT, "claims/s, %d workers, SQLite: %s%n", claimWorkers, Rounds.Spread.of(r.values("SQLite", CLAIMS)).format("%.0f"));
            if (postgres != null) {
                System.out.printf(Locale.ROOT, "submit -> assignment (PostgreSQL): p50 %s ms, p99 %s ms%n",
                        Rounds.Spread.of(r.values("PostgreSQL", P50)).format("%.1f"), Rounds.Spread.of(r.values("PostgreSQL", P99)).format("%.1f"));
                System.out.printf(Locale.ROOT, "claims/s, %d workers, PostgreSQL: %s (target >= 500)%n", claimWorkers,
                        Rounds.Spread.of(r.values("PostgreSQL", CLAIMS)).format("%.0f"));
                System.out.printf(Locale.ROOT, "claims/s PostgreSQL / SQLite, per round: %s%n",
                        Rounds.Spread.of(r.ratios("PostgreSQL", "SQLite", CLAIMS)).format("%.2f"));
            } else {
                System.out.println("claims/s on PostgreSQL: pass --pg jdbc:postgresql://HOST/DB?user=U (an empty database) to measure");
            }
            // a state, not a race: measured once, after the rounds
            idle(sqlite);
        }
        return 0;
    }

    /** One round on one coordinator: latency percentiles, then claim throughput, by workers of this round's own. */
    private Map<String, Double> measure(CoordinatorProcess c, int round) throws Exception {
        List<Long> latencies = latency(c, "latency-" + round);
        Collections.sort(latencies);
        return Map.of(P50, pct(latencies, 50) / 1e6, P99, pct(latencies, 99) / 1e6, CLAIMS, claims(c, "claimer-" + round + "-"));
    }

    private List<Long> latency(CoordinatorProcess c, String workerId) throws Exception {
        HttpApi worker = c.worker(workerId);
        List<Long> samples = new ArrayList<>();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < latencySamples + 10; i++) {
            Future<JsonNode> poll = pool.submit(() -> worker.call("POST", Api.WORKER_SYNC,
                    Map.of("worker_id", workerId, "status", "IDLE", "wait_ms", 20000), CALL));
            Thread.sleep(15);   // let the poll park on the coordinator
            long submitted = System.nanoTime();
            c.submit("lat-" + i);
            JsonNode reply = poll.get(30, TimeUnit.SECONDS);
            long received = System.nanoTime();
            JsonNode job = reply.path("assigned_job");
            if (job.isMissingNode()) throw SpoolError.encoder("long poll returned without the job");
            c.complete(worker, job);
            if (i >= 10) samples.add(received - submitted);   // the first ten warm up the JIT and the pool
        }
        pool.shutdownNow();
        return samples;
    }

    private double claims(CoordinatorProcess c, String idPrefix) throws Exception {
        for (int i = 0; i < claimJobs; i++) c.submit("claim-" + i);
        List<HttpApi> workers = new ArrayList<>();
        for (int i = 0; i < claimWorkers; i++) workers.add(c.worker(idPrefix + i));
        AtomicInteger claimed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < claimWorkers; i++) {
                HttpApi w = workers.get(i);
                String id = idPrefix + i;
                runs.add(pool.submit(() -> {
                    start.await();
                    while (true) {
                        JsonNode job = w.call("POST", Api.WORKER_SYNC, Map.of("worker_id", id, "status", "IDLE"), CALL)
                                .path("assigned_job");
                        if (job.isMissingNode()) return null;
                        claimed.incrementAndGet();
                        c.complete(w, job);
                    }
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<?> r : runs) r.get();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (claimed.get() != claimJobs) throw SpoolError.encoder("claimed " + claimed.get() + " of " + claimJobs);
            return claimed.get() / seconds;   // each claim here is a sync that leases plus a finalize that commits
        }
    }

    /**
     * Idle workers long-polling at once, each on its own connection: the coordinator's heap after a
     * full GC once every poll is parked, then a submit that one of them must receive.
     */
    private void idle(CoordinatorProcess c) throws Exception {
        try (LongPollCrowd crowd = new LongPollCrowd(c.url())) {
            long t0 = System.nanoTime();
            List<String[]> workers = crowd.register(idleWorkers, "idle-", c.joinToken());
            System.out.printf(Locale.ROOT, "%nregistered %,d idle workers in %.1f s%n", idleWorkers, (System.nanoTime() - t0) / 1e9);
            crowd.poll(workers);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (crowd.sent() < idleWorkers && crowd.failures() == 0 && System.nanoTime() < deadline) Thread.sleep(100);
            // every poll is sent; let the coordinator record their heartbeats and park them
            Thread.sleep(Duration.ofSeconds(10));
            long used = c.heapUsedAfterGc();
            long submitted = System.nanoTime();
            c.submit("to-the-crowd");
            deadline = System.nanoTime() + Duration.ofSeconds(LongPollCrowd.WAIT_MS / 1000 + 30).toNanos();
            while (crowd.assigned() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
            double reachedMs = crowd.assigned() == 0 ? Double.NaN : (crowd.firstAssignedAt() - submitted) / 1e6;
            Thread.sleep(2000);   // time for a second worker to be handed the same job, were that possible
            long heapAfter = c.heapUsedAfterGc();
            System.out.printf(Locale.ROOT, "coordinator heap with %,d idle long-polling workers (wait_ms %d): %.1f MB used after GC, "
                    + "%.1f MB after the submit (process -Xmx%s)%n", idleWorkers, LongPollCrowd.WAIT_MS, used / 1e6, heapAfter / 1e6, heap);
            System.out.printf(Locale.ROOT, "a submit reached %d of the %,d waiting workers, %.1f ms after it; failed polls: %d%s%s%n",
                    crowd.assigned(), idleWorkers, reachedMs, crowd.failures(), crowd.errors().isEmpty() ? "" : " ", String.join("; ", crowd.errors()));
            if (c.outOfMemory()) System.out.println("the coordinator ran out of heap (OutOfMemoryError in its output)");
            if (crowd.assigned() != 1 || crowd.failures() > 0 || c.outOfMemory())
                throw SpoolError.encoder("the idle-worker check failed: " + crowd.assigned() + " assignments, " + crowd.failures() + " failed polls");
        }
    }

    static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** A coordinator in its own JVM with its own -Xmx, and the tokens to drive it. */
    record CoordinatorProcess(Process process, HttpApi client, String clientToken, String joinToken, String url,
                              java.util.concurrent.atomic.AtomicBoolean oom)
            implements AutoCloseable {
        static CoordinatorProcess start(Path data, String db) throws IOException, InterruptedException {
            return start(data, db, "256m");
        }

        static CoordinatorProcess start(Path data, String db, String heap) throws IOException, InterruptedException {
            return start(data, db, heap, List.of());
        }

        /** With more flags for {@code spool coordinator} (a webhook, say). */
        static CoordinatorProcess start(Path data, String db, String heap, List<String> flags) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx" + heap,
                    "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Spool.class.getName(), "coordinator",
                    "--host", "127.0.0.1", "--port", "0", "--data", data.toString(),
                    // thousands of simulated workers share one join token and one address: limits would be the result
                    "--rate-limit", "off", "--rate-limit-bytes", "off", "--rate-limit-bad-tokens", "off"));
            if (db != null) command.addAll(List.of("--db", db));
            command.addAll(flags);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            int port = 0;
            for (String line; port == 0 && (line = out.readLine()) != null; ) port = ListeningLine.port(line).orElse(0);
            if (port == 0) throw SpoolError.environment("the benchmark's coordinator exited before listening (exit " + p.waitFor() + ")");
            var oom = new java.util.concurrent.atomic.AtomicBoolean();
            // a platform thread: a virtual one blocked reading a pipe pins its carrier, and with two
            // coordinators on a 2-core machine no virtual thread was left to run the benchmark
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    out.lines().forEach(l -> {
                        if (l.contains("OutOfMemoryError")) oom.set(true);
                    });
                } catch (java.io.UncheckedIOException closed) {
                    // the benchmark closed the coordinator: its output ends here
                }
            });
            String client = null;
            String join = null;
            for (String line : Files.readAllLines(data.resolve("tokens"))) {
                if (line.startsWith("SPOOL_TOKEN=")) client = line.substring(12);
                if (line.startsWith("SPOOL_JOIN_TOKEN=")) join = line.substring(17);
            }
            String url = "http://127.0.0.1:" + port;
            return new CoordinatorProcess(p, new HttpApi(url, client), client, join, url, oom);
        }

        boolean outOfMemory() {
            return oom.get() || !process.isAlive();
        }

        HttpApi worker(String id) {
            HttpApi api = new HttpApi(url, joinToken);
            JsonNode r = api.call("POST", Api.WORKER_REGISTER, Map.of("worker_id", id, "protocol", Api.LEASE_PROTOCOL,
                    "capabilities", Map.of("supported_codecs", List.of("libx264"), "max_resolution", "4k")), CALL);
            api.token(r.path("credential").asText());
            return api;
        }

        void submit(String name) {
            client.call("POST", Api.JOBS, Map.of("input", "/bench/" + name + ".mp4", "output", "/bench/out/" + name), CALL);
        }

        void complete(HttpApi worker, JsonNode job) {
            worker.call("POST", Api.jobFinalize(job.path("job_id").asText()), Map.of("status", "COMPLETED",
                    "manifest_url", "/bench/out/index.m3u8", "lease_id", job.path("lease").path("lease_id").asText()), CALL);
        }

        /** Heap in use after a full GC, read with jcmd from the JDK running this benchmark. */
        long heapUsedAfterGc() throws IOException, InterruptedException {
            Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
            String pid = Long.toString(process.pid());
            new ProcessBuilder(jcmd.toString(), pid, "GC.run").start().waitFor();
            Process info = new ProcessBuilder(jcmd.toString(), pid, "GC.heap_info").redirectErrorStream(true).start();
            String text = new String(info.getInputStream().readAllBytes());
            info.waitFor();
            long used = 0;
            var usedK = java.util.regex.Pattern.compile("used (\\d+)K");
            for (String line : text.split("\n")) {
                // generation lines ("DefNew total ..., used ...K", "Tenured ...") start at column 0;
                // their spaces are indented, and Metaspace is not heap
                if (line.isEmpty() || Character.isWhitespace(line.charAt(0)) || !line.contains(" total ") || line.contains("Metaspace")) continue;
                var m = usedK.matcher(line);
                if (m.find()) used += Long.parseLong(m.group(1)) * 1024;
            }
            return used;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }
    }
}
