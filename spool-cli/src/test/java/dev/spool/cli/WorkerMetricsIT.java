package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.testing.Poll;
import dev.spool.model.testing.PrometheusSamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.coordinator.testing.Promtool;

/**
 * {@code spool worker --metrics-port 0} as a user runs it: the port it took is in its startup
 * line, one job through the coordinator's own store moves its counters, Prometheus's promtool
 * accepts the exposition, and a port already taken stops the worker at once, naming the flag.
 */
class WorkerMetricsIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern SERVING = Pattern.compile("worker \\S+ serving metrics on (http://127\\.0\\.0\\.1:\\d+/metrics)");

    @TempDir Path dir;
    private Cluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        cluster = new Cluster(dir);
        cluster.startCoordinator("--heartbeat", "1");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aWorkerServesItsOwnMetricsAndOneJobMovesThem() throws Exception {
        cluster.startWorker("metered", "--metrics-port", "0");
        URI metrics = URI.create(Poll.until(Duration.ofSeconds(60), Duration.ofMillis(100), "the worker prints its metrics address",
                () -> SERVING.matcher(cluster.log("metered")), Matcher::find).group(1));

        SpoolProcess.Result submitted = SpoolProcess.run("submit", TestMedia.small(2).toString(), "--output", "spool://outputs/metered",
                "--renditions", "240p", "--piece-seconds", "0", "--coordinator", cluster.url(), "--token", cluster.clientToken());
        assertThat(submitted.exitCode()).as(submitted.stderr()).isZero();
        String id = submitted.stdout().strip();
        JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT);
        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");

        // the job is COMPLETED once the coordinator has the result; the worker counts the task just after
        String text = Poll.until(Duration.ofSeconds(20), Duration.ofMillis(100), "the worker counts its task", () -> get(metrics, null).body(),
                body -> Double.valueOf(1).equals(PrometheusSamples.parse(body)
                        .get("spool_worker_task_duration_seconds_count", "kind", "transcode", "outcome", "completed")));
        PrometheusSamples m = PrometheusSamples.parse(text);
        assertThat(m.get("spool_worker_tasks_running")).isZero();
        assertThat(m.get("spool_worker_transfer_bytes_total", "store", "coordinator", "direction", "in")).as("the input downloaded").isPositive();
        assertThat(m.get("spool_worker_transfer_bytes_total", "store", "coordinator", "direction", "out")).as("the ladder uploaded").isPositive();
        assertThat(m.get("spool_worker_transfer_seconds_total", "store", "coordinator", "direction", "in")).isPositive();
        assertThat(m.get("spool_worker_input_cache_total", "result", "miss")).isEqualTo(1);
        assertThat(m.get("spool_worker_encode_speed_ratio_count", "kind", "transcode", "encoder", "libx264")).isEqualTo(1);
        assertThat(m.get("jvm_memory_used_bytes", "area", "heap")).as("JVM metrics").isPositive();
        assertThat(Promtool.check(text)).isEmpty();

        HttpResponse<String> open = get(metrics, "application/openmetrics-text; version=1.0.0");
        assertThat(open.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
        assertThat(open.body()).contains("spool_worker_task_duration_seconds_count").endsWith("# EOF\n");
        assertThat(get(metrics.resolve("/api/v1/jobs"), null).statusCode()).as("nothing else is served").isEqualTo(404);
    }

    @Test
    void aTakenMetricsPortStopsTheWorkerWithExit2NamingTheFlag() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Process worker = cluster.startWorker("clash", "--metrics-port", Integer.toString(taken.getLocalPort()));
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("the worker gave up").isTrue();
            assertThat(worker.exitValue()).isEqualTo(2);
            String log = cluster.log("clash");
            assertThat(log).contains("--metrics-port").contains(Integer.toString(taken.getLocalPort())).doesNotContain("Exception");
        }
    }

    private HttpResponse<String> get(URI uri, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (accept != null) request.header("Accept", accept);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
