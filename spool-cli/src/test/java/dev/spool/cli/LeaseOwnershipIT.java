package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spool.media.ffmpeg.SampleMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's forgery against real processes: while a real worker, registered with its own
 * credential, encodes a job, a caller holding only the shared join token tries to finalize that job
 * under the worker's name (as seed 001's finalize does, and with a lease id) and to heartbeat and
 * re-register as it. Each is refused; the worker finishes the job with its real output. With
 * --require-worker-credentials a seed-001 registration is refused and Spool's worker still works.
 */
class LeaseOwnershipIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir Path dir;
    private Cluster cluster;

    @BeforeEach
    void createCluster() {
        cluster = new Cluster(dir);
    }

    @AfterEach
    void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void theJoinTokenCannotFinalizeARealWorkersJobAndTheWorkerCompletesIt() throws Exception {
        cluster.startCoordinator("--heartbeat", "1");
        cluster.startWorker("encoder-1");
        Path out = dir.resolve("out");
        String id = cluster.submit(clip(), out, Map.of("piece_seconds", 0), "360p");
        JsonNode running = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.encoding(j), JOB_TIMEOUT);
        assertThat(running.path("state").asText()).as("the forgery is tried while the worker holds the job").isEqualTo("RUNNING");

        String forged = """
                {"worker_id":"encoder-1","status":"COMPLETED","manifest_url":"/forged/index.m3u8","metrics":{"total_time_ms":1}%s}""";
        for (String extra : new String[] {"", ",\"lease_id\":\"lease_AAAAAAAAAAAAAAAAAAAAAA\""}) {
            HttpResponse<String> reply = post("/api/v1/jobs/" + id + "/finalize", forged.formatted(extra));
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(403);
            JsonNode error = JSON.readTree(reply.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("FORBIDDEN");
            assertThat(error.path("message").asText()).contains("encoder-1").contains("the join token cannot act for it");
        }
        HttpResponse<String> heartbeat = post("/api/v1/workers/sync", """
                {"worker_id":"encoder-1","status":"IDLE","current_job_id":""}""");
        assertThat(heartbeat.statusCode()).as(heartbeat.body()).isEqualTo(403);
        HttpResponse<String> takeover = post("/api/v1/workers/register", """
                {"worker_id":"encoder-1","capabilities":{"supported_codecs":["libx264"],"max_resolution":"1080p"}}""");
        assertThat(takeover.statusCode()).as("a seed-001 registration under a live credentialed name: " + takeover.body()).isEqualTo(409);

        JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT);
        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(job.at("/outputs/manifest_url").asText()).doesNotContain("forged").endsWith("index.m3u8");
        assertThat(Cluster.task(job, "transcode").path("worker").asText()).isEqualTo("encoder-1");
        assertThat(Cluster.task(job, "transcode").path("attempts").asInt()).as("the worker kept its lease throughout").isEqualTo(1);
        Verified.output(out);
    }

    @Test
    void requiringWorkerCredentialsRefusesASeedWorkerWhileSpoolsOwnRunsJobs() throws Exception {
        cluster.startCoordinator("--require-worker-credentials");
        HttpResponse<String> seed = post("/api/v1/workers/register", """
                {"worker_id":"desktop-gaming-pc","capabilities":{"supported_codecs":["libx264"],"max_resolution":"1080p"}}""");
        assertThat(seed.statusCode()).as(seed.body()).isEqualTo(403);
        assertThat(JSON.readTree(seed.body()).at("/error/message").asText()).contains("upgrade the worker")
                .contains("--require-worker-credentials");

        cluster.startWorker("encoder-1");
        Path out = dir.resolve("out");
        String id = cluster.submit(TestMedia.small(2), out, "240p");
        JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT);
        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        Verified.output(out);
    }

    /** A POST with the join token alone, as anyone holding it could send. */
    private HttpResponse<String> post(String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + cluster.joinToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Path clip() {
        // long enough that the worker is still encoding when the forgery arrives
        return TestMedia.get("lease-ownership-20s.mp4", SampleMedia.Spec.video(640, 360, 30, 20));
    }
}
