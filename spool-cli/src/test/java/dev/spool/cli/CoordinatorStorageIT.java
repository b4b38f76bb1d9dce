package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.media.hls.StreamFacts;
import dev.spool.media.hls.StreamProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker that cannot see the submitter's disk and has no cloud account: the input goes to the
 * coordinator with `spool submit`, the worker reads it and writes the ladder there, `spool fetch`
 * brings the ladder back.
 */
class CoordinatorStorageIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    @TempDir Path dir;
    private Cluster cluster;

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
    void aLocalFileIsSubmittedEncodedOnAWorkerThatCannotSeeItAndFetchedBack() throws Exception {
        Path submitterDisk = Files.createDirectories(dir.resolve("laptop"));
        Path clip = Files.copy(TestMedia.get("coordinator-70s.mp4", SampleMedia.Spec.video(480, 270, 30, 70)),
                submitterDisk.resolve("holiday film.mp4"));
        Path workerDisk = Files.createDirectories(dir.resolve("worker-disk"));
        cluster.startWorker("remote", "--root", workerDisk.toString());

        SpoolProcess.Result submitted = SpoolProcess.run("submit", clip.toString(), "--output", "spool://outputs/holiday",
                "--renditions", "240p", "--piece-seconds", "30", "--coordinator", cluster.url(), "--token", cluster.clientToken());
        assertThat(submitted.exitCode()).as(submitted.stderr()).isZero();
        String id = submitted.stdout().strip();
        JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT);

        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(job.path("input").asText()).startsWith("spool://uploads/").endsWith("/holiday_film.mp4");
        assertThat(job.path("outputs").path("manifest_url").asText()).isEqualTo("spool://outputs/holiday/index.m3u8");
        assertThat(job.path("pieces").asInt()).isEqualTo(3);

        Path fetched = dir.resolve("fetched");
        SpoolProcess.Result fetch = SpoolProcess.run("fetch", id, fetched.toString(), "--coordinator", cluster.url(),
                "--token", cluster.clientToken());
        assertThat(fetch.exitCode()).as(fetch.stderr()).isZero();
        StreamFacts video = new StreamProbe(TestMedia.TOOLS).first(fetched.resolve("240p/index.m3u8"), "video");
        assertThat(video.packets()).hasSize(70 * 30);
        Verified.output(fetched);
        try (var left = Files.list(workerDisk)) {
            assertThat(left.toList()).as("nothing was written to the worker's own disk").isEmpty();
        }
    }

    @Test
    void filesNeedATokenAndTheSharedJoinTokenIsNotEnough() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI file = URI.create(cluster.url() + "/api/v1/files/uploads/x/a.mp4");

        int anonymous = http.send(HttpRequest.newBuilder(file).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        int join = http.send(HttpRequest.newBuilder(file).header("Authorization", "Bearer " + cluster.joinToken()).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        int missing = http.send(HttpRequest.newBuilder(file).header("Authorization", "Bearer " + cluster.clientToken()).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        int traversal = http.send(HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/files/uploads/%2e%2e/%2e%2e/tokens"))
                .header("Authorization", "Bearer " + cluster.clientToken()).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();

        assertThat(anonymous).isEqualTo(401);
        assertThat(join).isEqualTo(403);
        assertThat(missing).isEqualTo(404);
        assertThat(traversal).isIn(400, 404);
    }
}
