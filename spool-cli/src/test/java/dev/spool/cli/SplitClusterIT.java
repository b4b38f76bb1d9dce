package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.media.hls.MediaPlaylist;
import dev.spool.media.hls.StreamFacts;
import dev.spool.media.hls.StreamProbe;
import dev.spool.model.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Split jobs across worker processes: a two-minute source cut into pieces that several workers
 * encode at once and one stitches; a worker killed mid-piece costs that piece alone a second
 * encode; a failed job resumes from the pieces it finished.
 */
class SplitClusterIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
    private static final int FPS = 30;
    private static final int SECONDS = 120;

    @TempDir Path dir;
    private Cluster cluster;

    @BeforeEach
    void createCluster() throws Exception {
        cluster = new Cluster(dir);
    }

    @AfterEach
    void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void aTwoMinuteSourceIsEncodedInPiecesByThreeWorkerProcessesAndStitched() throws Exception {
        cluster.startCoordinator("--heartbeat", "1");
        for (String id : List.of("w1", "w2", "w3")) cluster.startWorker(id);
        Path out = dir.resolve("out");

        String id = cluster.submit(twoMinutes(), out, Map.of("piece_seconds", 30), "360p", "240p");
        JsonNode job = cluster.awaitJob(id, SplitClusterIT::ended, JOB_TIMEOUT);

        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(job.path("pieces").asInt()).isEqualTo(4);
        List<JsonNode> pieces = tasks(job, "encode-video");
        assertThat(pieces).hasSize(4).allSatisfy(t -> {
            assertThat(t.path("state").asText()).isEqualTo("DONE");
            assertThat(t.path("attempts").asInt()).isEqualTo(1);
            assertThat(t.path("wall_ms").asLong()).as("each piece's timing is on record").isPositive();
        });
        Set<String> encoders = new HashSet<>();
        pieces.forEach(t -> encoders.add(t.path("worker").asText()));
        assertThat(encoders).as("the pieces went to several workers at once").hasSizeGreaterThan(1);
        assertThat(tasks(job, "encode-audio")).singleElement().satisfies(t -> assertThat(t.path("state").asText()).isEqualTo("DONE"));
        assertThat(tasks(job, "package")).singleElement().satisfies(t -> assertThat(t.path("state").asText()).isEqualTo("DONE"));
        assertThat(job.path("events")).extracting(e -> e.path("type").asText())
                .containsSubsequence("submitted", "probed", "planned", "pinned", "ready", "completed");

        assertStitched(out);
        // the package worker deletes the pieces once the coordinator has accepted its result
        Poll.until(Duration.ofSeconds(20), Duration.ofMillis(200), "the pieces are deleted", this::leftovers,
                left -> left.stream().noneMatch(n -> n.contains("spool-pieces")));
        assertThat(leftovers()).as("the pieces are gone once packaged").noneMatch(n -> n.contains("spool-pieces") || n.contains("spool-staging"));
    }

    @Test
    void aWorkerKilledMidPieceCostsOnlyThatPieceASecondEncode() throws Exception {
        cluster.startCoordinator("--worker-timeout", "3", "--heartbeat", "1", "--retry-delay", "0");
        Process victim = cluster.startWorker("victim", "--progress-interval", "0.2");
        Path out = dir.resolve("out");
        // a larger picture than the other tests': each piece lasts long enough to report progress before the kill
        Path source = TestMedia.get("split-cluster-720p-120s.mp4", SampleMedia.Spec.video(1280, 720, FPS, SECONDS));
        String id = cluster.submit(source, out, Map.of("piece_seconds", 30), "360p", "240p");
        // well inside a piece: a report near 100 % may come just before its finalize
        JsonNode encoding = cluster.awaitJob(id, j -> tasks(j, "encode-video").stream().anyMatch(t -> t.path("state").asText().equals("LEASED")
                && t.path("progress").asDouble() > 0 && t.path("progress").asDouble() < 75), JOB_TIMEOUT);
        String killed = tasks(encoding, "encode-video").stream().filter(t -> t.path("state").asText().equals("LEASED"))
                .findFirst().orElseThrow().path("task_id").asText();

        Cluster.signal(victim, "KILL", true);   // the machine dies: its ffmpeg with it
        cluster.startWorker("rescuer-1");
        cluster.startWorker("rescuer-2");
        JsonNode job = cluster.awaitJob(id, SplitClusterIT::ended, JOB_TIMEOUT);

        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        Map<String, Integer> leased = new HashMap<>();
        Map<String, Integer> encoded = new HashMap<>();
        for (JsonNode e : job.path("events")) {
            String task = e.path("task_id").asText();
            if (e.path("type").asText().equals("leased")) leased.merge(task, 1, Integer::sum);
            if (e.path("type").asText().equals("encoded")) encoded.merge(task, 1, Integer::sum);
        }
        for (JsonNode t : tasks(job, "encode-video")) {
            String task = t.path("task_id").asText();
            int expected = task.equals(killed) ? 2 : 1;
            assertThat(leased.get(task)).as("piece " + t.path("piece") + " leased").isEqualTo(expected);
            assertThat(encoded.get(task)).as("piece " + t.path("piece") + " encoded").isEqualTo(1);
        }
        assertThat(job.path("events")).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("lease-expired");
            assertThat(e.path("task_id").asText()).isEqualTo(killed);
        });
        assertStitched(out);
    }

    @Test
    void aRetriedJobEncodesOnlyThePiecesItHadNotFinished() throws Exception {
        cluster.startCoordinator("--heartbeat", "1", "--retry-delay", "0");
        Path out = dir.resolve("out");
        String id = cluster.submit(twoMinutes(), out, Map.of("piece_seconds", 30), "240p");
        Process worker = cluster.startWorker("first");
        cluster.awaitJob(id, j -> tasks(j, "encode-video").stream().filter(t -> t.path("state").asText().equals("DONE")).count() >= 2,
                JOB_TIMEOUT);
        cluster.client().call("POST", "/api/v1/jobs/" + id + "/cancel", null, Cluster.CALL);
        JsonNode cancelled = cluster.awaitJob(id, j -> Cluster.state(j, "CANCELLED"), JOB_TIMEOUT);
        Set<String> finished = new HashSet<>();   // pieces and the audio
        for (JsonNode t : cancelled.path("tasks"))
            if (t.path("kind").asText().startsWith("encode-") && t.path("state").asText().equals("DONE")) finished.add(t.path("task_id").asText());

        // refused (409) while the worker is still stopping the piece it held; it stops at its next sync
        SpoolProcess.Result retried = Poll.until(Duration.ofSeconds(20), Duration.ofMillis(500), "the retry is no longer refused as still stopping",
                () -> SpoolProcess.run("retry", "--coordinator", cluster.url(), "--token", cluster.clientToken(), id),
                r -> r.exitCode() == 0 || !r.stderr().contains("still stopping"));
        assertThat(retried.exitCode()).as(retried.stderr()).isZero();
        JsonNode job = cluster.awaitJob(id, SplitClusterIT::ended, JOB_TIMEOUT);

        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        for (JsonNode t : job.path("tasks")) {
            if (!finished.contains(t.path("task_id").asText())) continue;
            long encodes = 0;
            for (JsonNode e : job.path("events"))
                if (e.path("type").asText().equals("encoded") && e.path("task_id").asText().equals(t.path("task_id").asText())) encodes++;
            assertThat(encodes).as("finished piece " + t.path("piece") + " was kept, not encoded again").isEqualTo(1);
        }
        assertThat(job.path("events")).anySatisfy(e -> assertThat(e.path("detail").asText()).isEqualTo(finished.size() + " finished pieces kept"));
        assertStitched(out);
        assertThat(worker.isAlive()).isTrue();
    }

    /** Every rung holds the source's frames exactly, one frame apart across the joins, with the audio in step. */
    private static void assertStitched(Path out) {
        Verified.output(out);
        StreamProbe probe = new StreamProbe(TestMedia.TOOLS);
        List<Path> rungs = new ArrayList<>();
        for (String rung : List.of("360p", "240p")) if (Files.exists(out.resolve(rung))) rungs.add(out.resolve(rung).resolve("index.m3u8"));
        assertThat(rungs).isNotEmpty();
        double frame = 1.0 / FPS;
        for (Path playlist : rungs) {
            StreamFacts video = probe.first(playlist, "video");
            assertThat(video.packets()).as(playlist + " frame count").hasSize(FPS * SECONDS);
            List<Double> pts = video.packets().stream().map(StreamFacts.Packet::pts).sorted().toList();
            for (int i = 1; i < pts.size(); i++)
                assertThat(pts.get(i) - pts.get(i - 1)).as("step before frame " + i + " of " + playlist).isCloseTo(frame, within(frame / 10));
            assertThat(MediaPlaylist.read(playlist).segments()).hasSize(SECONDS / 6);
            StreamFacts audio = probe.first(out.resolve("audio/index.m3u8"), "audio");
            // the AAC encoder's priming frame (1024 samples at 48 kHz) leads the audio: not drift
            double audioContent = audio.duration() - 1024.0 / 48_000;
            assertThat(Math.abs(audioContent - video.duration())).as("audio/video drift at the end").isLessThanOrEqualTo(0.02);
        }
    }

    private List<String> leftovers() throws java.io.IOException {
        try (var left = Files.list(dir)) {
            return left.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static Path twoMinutes() {
        return TestMedia.get("split-cluster-120s.mp4", SampleMedia.Spec.video(640, 360, FPS, SECONDS));
    }

    private static boolean ended(JsonNode job) {
        return Cluster.state(job, "COMPLETED") || Cluster.state(job, "FAILED") || Cluster.state(job, "CANCELLED");
    }

    private static List<JsonNode> tasks(JsonNode job, String kind) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode t : job.path("tasks")) if (t.path("kind").asText().equals(kind)) found.add(t);
        return found;
    }
}
