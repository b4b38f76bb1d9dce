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
import java.util.List;
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
        // the dashboard's timeline: every attempt of the split job, each done
        List<String> outcomes = new java.util.ArrayList<>();
        job.path("timeline").forEach(b -> outcomes.add(b.path("kind").asText() + ":" + b.path("outcome").asText()));
        assertThat(outcomes).contains("probe:done", "encode-video:done", "package:done").allMatch(o -> o.endsWith(":done"));
        assertThat(outcomes.stream().filter(o -> o.startsWith("encode-video")).count()).isEqualTo(3);
        // and its player: the ladder served by the coordinator, playlists and segments with their types
        String playback = job.at("/outputs/playback_url").asText();
        assertThat(playback).isEqualTo("/api/v1/jobs/" + id + "/output/index.m3u8");
        var master = served(playback);
        assertThat(master.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(new String(master.body())).contains("240p/index.m3u8");
        String rung = new String(served(playback.replace("index.m3u8", "240p/index.m3u8")).body());
        String segment = rung.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow();
        var media = served(playback.replace("index.m3u8", "240p/" + segment));
        assertThat(media.statusCode()).isEqualTo(200);
        assertThat(media.headers().firstValue("Content-Type").orElse("")).isIn("video/iso.segment", "video/mp4", "video/mp2t");
        assertThat(media.body().length).isPositive();

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

    /** A file the coordinator serves a player, read with the client token. */
    private java.net.http.HttpResponse<byte[]> served(String path) throws Exception {
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            var reply = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.url() + path))
                    .header("Authorization", "Bearer " + cluster.clientToken()).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertThat(reply.statusCode()).as(path + ": " + new String(reply.body())).isEqualTo(200);
            return reply;
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
