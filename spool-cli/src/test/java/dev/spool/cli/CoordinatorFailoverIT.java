package dev.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.model.client.HttpApi;
import dev.spool.coordinator.queue.TestPostgres;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coordinators on one PostgreSQL and a worker given both: the first is killed (SIGKILL) while
 * the worker encodes, and the worker carries on through the second with the lease it holds, so
 * the job completes on its first attempt. And a malformed --coordinator is a usage error.
 */
class CoordinatorFailoverIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration CALL = Duration.ofSeconds(30);
    @TempDir Path dir;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) p.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void aWorkerMovesToTheNextCoordinatorKeepingItsLeaseWhenTheFirstIsKilled() throws Exception {
        String db = TestPostgres.freshDatabase("failover_it");
        CoordinatorProcess a = coordinator("a", db);
        CoordinatorProcess b = coordinator("b", db);
        String clientToken = token("a", "SPOOL_TOKEN=");
        String a_url = "http://127.0.0.1:" + a.port();
        String b_url = "http://127.0.0.1:" + b.port();
        Process worker = start(SpoolProcess.builder("worker", "--coordinator", a_url + "," + b_url, "--id", "w1",
                "--token", token("a", "SPOOL_JOIN_TOKEN="), "--cache", dir.resolve("cache").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("w1.log").toFile()));
        HttpApi viaB = new HttpApi(b_url, clientToken);
        Path clip = TestMedia.get("long-360p.mp4", SampleMedia.Spec.video(640, 360, 30, 40));
        JsonNode submitted = new HttpApi(a_url, clientToken).call("POST", "/api/v1/jobs", Map.of("input", clip.toString(),
                "output", dir.resolve("out").toString(), "outputs", List.of(Map.of("resolution", "360p")), "piece_seconds", 0), CALL);
        String id = submitted.path("job_id").asText();
        await(viaB, id, Cluster::encoding);

        a.process().destroyForcibly();   // SIGKILL mid-encode: the worker's long poll and progress reports lose their coordinator
        assertThat(a.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

        JsonNode job = await(viaB, id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"));
        String log = Files.readString(dir.resolve("w1.log"));
        assertThat(job.path("state").asText()).as(job.toPrettyString() + log).isEqualTo("COMPLETED");
        assertThat(Cluster.task(job, "transcode").path("attempts").asInt()).as("the lease was kept: no attempt lost").isEqualTo(1);
        assertThat(job.path("events")).extracting(e -> e.path("type").asText()).doesNotContain("lease-expired", "failed");
        assertThat(dir.resolve("out/index.m3u8")).exists();
        JsonNode workers = viaB.call("GET", "/api/v1/workers", null, CALL).path("workers");
        assertThat(workers).extracting(w -> w.path("worker_id").asText()).containsExactly("w1");
        assertThat(worker.isAlive()).isTrue();
    }

    @Test
    void aMalformedCoordinatorListIsAUsageErrorNamingTheFlag() throws Exception {
        SpoolProcess.Result worker = SpoolProcess.run("worker", "--coordinator", "http://a:8080,,http://b:8080", "--token", "t",
                "--cache", dir.resolve("cache").toString());
        assertThat(worker.exitCode()).as(worker.stderr()).isEqualTo(2);
        assertThat(worker.stderrLines()).singleElement().satisfies(line ->
                assertThat(line).startsWith("spool: --coordinator must be http(s):// URLs separated by commas").doesNotContain("Exception"));

        SpoolProcess.Result client = SpoolProcess.run("jobs", "--coordinator", "queue-host:8080", "--token", "t");
        assertThat(client.exitCode()).as(client.stderr()).isEqualTo(2);
        assertThat(client.stderr()).contains("--coordinator").contains("'queue-host:8080'");
    }

    private CoordinatorProcess coordinator(String name, String db) throws IOException {
        CoordinatorProcess c = CoordinatorProcess.start(List.of("--host", "127.0.0.1", "--port", "0",
                "--data", dir.resolve(name).toString(), "--db", db, "--heartbeat", "1"));
        processes.add(c.process());
        return c;
    }

    private Process start(ProcessBuilder builder) throws IOException {
        Process p = builder.start();
        processes.add(p);
        return p;
    }

    private String token(String coordinator, String prefix) throws IOException {
        return Files.readAllLines(dir.resolve(coordinator).resolve("tokens")).stream().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length())).findFirst().orElseThrow();
    }

    private static JsonNode await(HttpApi api, String id, Predicate<JsonNode> condition) throws InterruptedException {
        return Poll.until(JOB_TIMEOUT, Duration.ofMillis(100), "job " + id + " gets there",
                () -> api.call("GET", "/api/v1/jobs/" + id, null, CALL), condition);
    }
}
