package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.model.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A coordinator and workers as separate processes on loopback: jobs complete, a silent worker's
 * job moves to another, cancel reaches the worker, a coordinator restart loses nothing, SIGTERM drains.
 */
class ClusterIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    /** These tests are about whole jobs moving between workers: no pieces (SplitClusterIT has those). */
    private static final java.util.Map<String, Object> WHOLE = java.util.Map.of("piece_seconds", 0);

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
    void twoWorkerProcessesCompleteJobsAndTheLadderIsOnDisk() throws Exception {
        cluster.startCoordinator();
        cluster.startWorker("alpha");
        cluster.startWorker("beta");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) ids.add(cluster.submit(TestMedia.small(2), dir.resolve("out" + i), "240p"));
        for (String id : ids) {
            JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT);
            assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
            assertThat(job.path("outputs").path("manifest_url").asText()).endsWith("index.m3u8");
        }
        for (int i = 0; i < 3; i++) assertThat(dir.resolve("out" + i).resolve("index.m3u8")).exists();
        for (int i = 0; i < 3; i++) Verified.output(dir.resolve("out" + i));
        JsonNode workers = cluster.client().call("GET", "/api/v1/workers", null, Cluster.CALL).path("workers");
        assertThat(workers).extracting(w -> w.path("worker_id").asText()).containsExactlyInAnyOrder("alpha", "beta");
    }

    @Test
    void aWorkerThatStopsSyncingLosesItsJobToAnotherWorker() throws Exception {
        cluster.startCoordinator("--worker-timeout", "3", "--heartbeat", "1", "--retry-delay", "0");
        Process frozen = cluster.startWorker("frozen");
        String id = cluster.submit(longClip(), dir.resolve("out"), WHOLE, "360p");
        cluster.awaitJob(id, Cluster::encoding, JOB_TIMEOUT);
        Cluster.signal(frozen, "STOP", true);   // the machine hangs: no sync, no progress
        cluster.startWorker("rescuer");
        JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT);
        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(Cluster.task(job, "transcode").path("worker").asText()).isEqualTo("rescuer");
        assertThat(Cluster.task(job, "transcode").path("attempts").asInt()).isEqualTo(2);
        assertThat(job.path("events")).extracting(e -> e.path("type").asText())
                .containsSubsequence("leased", "lease-expired", "leased", "completed");
        Verified.output(dir.resolve("out"));
        Cluster.signal(frozen, "KILL", true);
    }

    @Test
    void cancelReachesTheWorkerWhichStopsFfmpegAndWritesNothing() throws Exception {
        cluster.startCoordinator("--heartbeat", "1");
        Process worker = cluster.startWorker("busy");
        Path out = dir.resolve("out");
        String id = cluster.submit(longClip(), out, WHOLE, "360p");
        cluster.awaitJob(id, Cluster::encoding, JOB_TIMEOUT);
        assertThat(worker.descendants().toList()).as("ffmpeg runs under the worker").isNotEmpty();

        cluster.client().call("POST", "/api/v1/jobs/" + id + "/cancel", null, Cluster.CALL);

        waitUntil(() -> worker.descendants().findAny().isEmpty(), Duration.ofSeconds(20));
        assertThat(worker.descendants().toList()).as("ffmpeg was stopped").isEmpty();
        assertThat(cluster.job(id).path("state").asText()).isEqualTo("CANCELLED");
        assertThat(out).doesNotExist();
        assertThat(worker.isAlive()).as("the worker goes on").isTrue();
    }

    @Test
    void aCoordinatorRestartMidJobLosesNothing() throws Exception {
        Process first = cluster.startCoordinator("--heartbeat", "1");
        cluster.startWorker("steady");
        String id = cluster.submit(longClip(), dir.resolve("out"), WHOLE, "360p");
        // progress, not just RUNNING: a coordinator killed between committing a claim and sending it
        // would rightly lose that assignment to the lease timeout, which is not what this test is about
        cluster.awaitJob(id, Cluster::encoding, JOB_TIMEOUT);

        first.destroyForcibly();   // SIGKILL: nothing is flushed on purpose
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        cluster.startCoordinator("--heartbeat", "1");

        JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT);
        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(Cluster.task(job, "transcode").path("attempts").asInt()).as("the running encode was not restarted").isEqualTo(1);
        Verified.output(dir.resolve("out"));
    }

    @Test
    void sigtermDrainsAWorkerItFinishesItsJobDeregistersAndExitsZero() throws Exception {
        cluster.startCoordinator("--heartbeat", "1");
        Process worker = cluster.startWorker("leaving");
        String id = cluster.submit(TestMedia.get("medium-clip.mp4", SampleMedia.Spec.video(640, 360, 30, 12)), dir.resolve("out"), "360p");
        cluster.awaitJob(id, Cluster::encoding, JOB_TIMEOUT);

        worker.destroy();   // SIGTERM

        assertThat(worker.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(worker.exitValue()).as(cluster.log("leaving")).isZero();
        assertThat(cluster.job(id).path("state").asText()).isEqualTo("COMPLETED");
        Verified.output(dir.resolve("out"));
        assertThat(cluster.client().call("GET", "/api/v1/workers", null, Cluster.CALL).path("workers")).isEmpty();
    }

    @Test
    void aWorkerKeepsToItsRootsAndNeverReplacesAFolderOfOtherFiles() throws Exception {
        cluster.startCoordinator("--heartbeat", "1", "--retry-delay", "0");
        Path media = java.nio.file.Files.createDirectories(dir.resolve("media"));
        Path inside = java.nio.file.Files.copy(TestMedia.small(1), media.resolve("clip.mp4"));
        cluster.startWorker("rooted", "--root", media.toString());

        String outside = cluster.submit(TestMedia.small(1), media.resolve("out-a"), "240p");
        JsonNode refused = cluster.awaitJob(outside, j -> Cluster.state(j, "FAILED") || Cluster.state(j, "COMPLETED"), JOB_TIMEOUT);
        assertThat(refused.path("state").asText()).isEqualTo("FAILED");
        assertThat(refused.path("error").asText()).contains("outside the worker's roots");

        Path photos = java.nio.file.Files.createDirectories(media.resolve("photos"));
        java.nio.file.Files.writeString(photos.resolve("holiday.jpg"), "precious");
        String clobber = cluster.submit(inside, photos, "240p");
        JsonNode kept = cluster.awaitJob(clobber, j -> Cluster.state(j, "FAILED") || Cluster.state(j, "COMPLETED"), JOB_TIMEOUT);
        assertThat(kept.path("state").asText()).isEqualTo("FAILED");
        assertThat(kept.path("error").asText()).contains("holds no Spool ladder");
        assertThat(photos.resolve("holiday.jpg")).hasContent("precious");

        String fine = cluster.submit(inside, media.resolve("ladder"), "240p");
        assertThat(cluster.awaitJob(fine, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT)
                .path("state").asText()).isEqualTo("COMPLETED");
        Verified.output(media.resolve("ladder"));
    }

    @Test
    void aSecondSigtermStopsTheRunningJobWhichGoesBackToTheQueue() throws Exception {
        cluster.startCoordinator("--heartbeat", "1");
        Process worker = cluster.startWorker("impatient");
        String id = cluster.submit(longClip(), dir.resolve("out"), WHOLE, "360p");
        cluster.awaitJob(id, Cluster::encoding, JOB_TIMEOUT);
        List<ProcessHandle> ffmpeg = worker.descendants().toList();

        worker.destroy();   // drain
        Poll.until(Duration.ofSeconds(30), "the worker is draining", () -> cluster.log("impatient"), log -> log.contains("spool: draining"));
        worker.destroy();   // and now

        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.exitValue()).as(cluster.log("impatient")).isZero();
        assertThat(ffmpeg).noneMatch(ProcessHandle::isAlive);
        JsonNode job = cluster.job(id);
        assertThat(job.path("state").asText()).as("handed back, not failed").isEqualTo("QUEUED");
        assertThat(job.path("events")).extracting(e -> e.path("type").asText()).contains("handed-back");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /** A clip that takes many seconds to encode at preset slow, so there is time to interfere. */
    private static Path longClip() {
        return TestMedia.get("long-360p.mp4", SampleMedia.Spec.video(640, 360, 30, 40));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Poll.until(timeout, "the condition holds", condition);
    }
}
