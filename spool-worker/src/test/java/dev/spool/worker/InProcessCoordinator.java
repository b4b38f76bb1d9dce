package dev.spool.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.coordinator.api.Coordinator;
import dev.spool.coordinator.api.CoordinatorConfig;
import dev.spool.coordinator.queue.RetryPolicy;
import dev.spool.model.client.HttpApi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real coordinator on SQLite in this JVM, on a loopback port, for the worker loop's tests; the
 * client's side of it through the real HTTP API. A retried task waits an hour, so a task taken
 * back from a worker stays queued while the test looks at it.
 */
final class InProcessCoordinator implements AutoCloseable {
    static final Duration CALL = Duration.ofSeconds(30);
    static final RetryPolicy RETRY_AN_HOUR_LATER = new RetryPolicy(2, Duration.ofHours(1), 1.0);

    private final Coordinator coordinator;
    private final HttpApi client;
    private final String joinToken;
    private final String clientToken;

    private InProcessCoordinator(Coordinator coordinator, String clientToken, String joinToken) {
        this.coordinator = coordinator;
        this.clientToken = clientToken;
        this.client = new HttpApi(url(coordinator), clientToken);
        this.joinToken = joinToken;
    }

    static InProcessCoordinator start(Path dataDir) {
        Coordinator c = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, dataDir, null, Duration.ofSeconds(30),
                Duration.ofSeconds(1), RETRY_AN_HOUR_LATER, Duration.ofMillis(200)), Clock.systemUTC());
        return new InProcessCoordinator(c, token(c.tokensFile(), "SPOOL_TOKEN"), token(c.tokensFile(), "SPOOL_JOIN_TOKEN"));
    }

    String url() { return url(coordinator); }

    String joinToken() { return joinToken; }

    Coordinator coordinator() { return coordinator; }

    /** Submits a whole (unsplit) job of one rendition. */
    String submit(Path input, Path output) {
        return submit(input.toString(), output.toString());
    }

    /** The same, input and output as the API takes them: paths or spool:// locations. */
    String submit(String input, String output) {
        Map<String, Object> body = Map.of("input", input, "output", output, "piece_seconds", 0,
                "outputs", List.of(Map.of("resolution", "240p")));
        return client.call("POST", "/api/v1/jobs", body, CALL).path("job_id").asText();
    }

    /** Puts a file in the coordinator's own store, as {@code spool submit} does; returns its spool:// location. */
    String upload(Path file, String name) {
        var at = dev.spool.model.storage.ObjectLocation.parse("spool://uploads/test/" + name).orElseThrow();
        try (var files = new dev.spool.storage.CoordinatorStore(url(), () -> clientToken, dev.spool.storage.TransferRetry.DEFAULT)) {
            files.upload(file, at, dev.spool.storage.TransferLog.NONE);
        }
        return at.toString();
    }

    JsonNode job(String id) {
        return client.call("GET", "/api/v1/jobs/" + id, null, CALL);
    }

    void cancel(String id) {
        client.call("POST", "/api/v1/jobs/" + id + "/cancel", null, CALL);
    }

    /** The worker as the coordinator lists it, or a missing node when it is not listed. */
    JsonNode worker(String id) {
        for (JsonNode w : client.call("GET", "/api/v1/workers", null, CALL).path("workers"))
            if (w.path("worker_id").asText().equals(id)) return w;
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    static JsonNode task(JsonNode job, String kind) {
        for (JsonNode t : job.path("tasks")) if (t.path("kind").asText().equals(kind)) return t;
        throw new AssertionError("no " + kind + " task in " + job.toPrettyString());
    }

    static List<String> eventTypes(JsonNode job) {
        List<String> types = new java.util.ArrayList<>();
        for (JsonNode e : job.path("events")) types.add(e.path("type").asText());
        return types;
    }

    @Override
    public void close() {
        coordinator.close();
    }

    private static String url(Coordinator c) {
        return "http://127.0.0.1:" + c.port();
    }

    private static String token(Path tokens, String name) {
        try {
            return Files.readAllLines(tokens).stream().filter(l -> l.startsWith(name + "=")).map(l -> l.substring(name.length() + 1))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + tokens));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
