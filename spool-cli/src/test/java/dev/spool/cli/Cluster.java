package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.client.HttpApi;
import dev.spool.model.testing.Poll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A coordinator and workers as separate processes on loopback, as a user would run them. */
final class Cluster implements AutoCloseable {
    static final Duration CALL = Duration.ofSeconds(30);

    final Path dir;
    private int port;   // 0 until the coordinator first listens; a restart takes the same one
    private final List<Process> processes = new ArrayList<>();
    private Process coordinator;
    private String clientToken;
    private String joinToken;
    private dev.spool.coordinator.testing.SelfSigned tls;   // null: plain HTTP

    Cluster(Path dir) {
        this.dir = dir;
    }

    /** HTTPS with this certificate: the coordinator serves it, workers and the client trust it (--tls-ca). */
    Cluster withTls(dev.spool.coordinator.testing.SelfSigned identity) {
        tls = identity;
        return this;
    }

    /** Starts (or restarts) the coordinator on the cluster's data directory: first on a free port, then on that one. */
    Process startCoordinator(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", Integer.toString(port),
                "--data", dir.resolve("data").toString()));
        if (tls != null) args.addAll(List.of("--tls-cert", tls.cert().toString(), "--tls-key", tls.key().toString()));
        args.addAll(List.of(extra));
        CoordinatorProcess started = CoordinatorProcess.start(args);
        coordinator = started.process();
        processes.add(coordinator);
        port = started.port();
        for (String line : Files.readAllLines(dir.resolve("data/tokens"))) {
            if (line.startsWith("SPOOL_TOKEN=")) clientToken = line.substring(12);
            if (line.startsWith("SPOOL_JOIN_TOKEN=")) joinToken = line.substring(17);
        }
        return coordinator;
    }

    Process coordinator() { return coordinator; }

    int port() { return port; }

    Process startWorker(String id, String... extra) throws IOException {
        return startWorker(id, Map.of(), extra);
    }

    /** A worker with its own cache in the cluster's directory, and these environment variables (S3 credentials). */
    Process startWorker(String id, Map<String, String> env, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("worker", "--coordinator", url(), "--id", id, "--token", joinToken,
                "--cache", dir.resolve("cache-" + id).toString()));
        if (tls != null) args.addAll(List.of("--tls-ca", tls.cert().toString()));
        args.addAll(List.of(extra));
        ProcessBuilder builder = SpoolProcess.builder(args.toArray(String[]::new));
        builder.environment().putAll(env);
        Process worker = builder.redirectErrorStream(true).redirectOutput(dir.resolve(id + ".log").toFile()).start();
        processes.add(worker);
        return worker;
    }

    /**
     * A worker as a user starts one: no --id and no --cache, so it picks its own name and state
     * directory (under XDG_CACHE_HOME, from {@code env}); its output goes to LOG.log.
     */
    Process startUnnamedWorker(String log, Map<String, String> env) throws IOException {
        ProcessBuilder builder = SpoolProcess.builder("worker", "--coordinator", url(), "--token", joinToken);
        builder.environment().putAll(env);
        Process worker = builder.redirectErrorStream(true).redirectOutput(dir.resolve(log + ".log").toFile()).start();
        processes.add(worker);
        return worker;
    }

    String url() { return (tls != null ? "https" : "http") + "://127.0.0.1:" + port; }

    HttpApi client() {
        return new HttpApi(dev.spool.model.client.CoordinatorUrls.parse(url()).trusting(tls == null
                ? dev.spool.model.client.CoordinatorTrust.SYSTEM : dev.spool.model.client.CoordinatorTrust.fromPem(tls.cert())), clientToken);
    }

    String clientToken() { return clientToken; }

    String joinToken() { return joinToken; }

    String submit(Path input, Path output, String... renditions) {
        return submit(input, output, Map.of(), renditions);
    }

    String submit(Path input, Path output, Map<String, Object> extra, String... renditions) {
        return submit(input.toString(), output.toString(), extra, renditions);
    }

    /** Submits a job with more fields, e.g. piece_seconds; input and output as the API takes them (paths or s3:// URIs). */
    String submit(String input, String output, Map<String, Object> extra, String... renditions) {
        List<Map<String, String>> outputs = new ArrayList<>();
        for (String r : renditions) outputs.add(Map.of("resolution", r));
        Map<String, Object> body = new java.util.HashMap<>(extra);
        body.putAll(Map.of("input", input, "output", output, "outputs", outputs));
        JsonNode reply = client().call("POST", "/api/v1/jobs", body, CALL);
        return reply.path("job_id").asText();
    }

    JsonNode job(String id) {
        return client().call("GET", "/api/v1/jobs/" + id, null, CALL);
    }

    JsonNode awaitJob(String id, Predicate<JsonNode> condition, Duration timeout) throws InterruptedException {
        return Poll.until(timeout, Duration.ofMillis(100), "job " + id + " gets there", () -> job(id), condition);
    }

    static boolean state(JsonNode job, String state) {
        return job.path("state").asText().equals(state);
    }

    /** The job's task of this kind (a whole job: its probe, then its "transcode"). */
    static JsonNode task(JsonNode job, String kind) {
        for (JsonNode t : job.path("tasks")) if (t.path("kind").asText().equals(kind)) return t;
        throw new AssertionError("no " + kind + " task in " + job.toPrettyString());
    }

    /** A job whose encode is under way: RUNNING with progress (its probe reports none). */
    static boolean encoding(JsonNode job) {
        return state(job, "RUNNING") && job.path("progress").asDouble() > 0;
    }

    /** Sends a signal to a process and its children (kill -STOP/-CONT/-TERM/-KILL). */
    static void signal(Process p, String signal, boolean withChildren) throws Exception {
        List<String> pids = new ArrayList<>(List.of(Long.toString(p.pid())));
        if (withChildren) p.descendants().forEach(d -> pids.add(Long.toString(d.pid())));
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        command.addAll(pids);
        new ProcessBuilder(command).start().waitFor(5, TimeUnit.SECONDS);
    }

    String log(String worker) throws IOException {
        return Files.readString(dir.resolve(worker + ".log"));
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) p.waitFor(10, TimeUnit.SECONDS);
    }
}
