package dev.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.model.testing.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hung work on a live worker: its ffmpeg stops (SIGSTOP, as a process stuck in the kernel or on a
 * dead mount would) while the worker goes on syncing and renewing its lease. The stall watch kills
 * that ffmpeg, the attempt fails as retryable with the reason in the job's events, and the job
 * completes on the next attempt.
 */
class StallIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
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
    void anFfmpegThatStopsMakingProgressIsKilledAndTheTaskRetried() throws Exception {
        cluster.startCoordinator("--heartbeat", "1", "--retry-delay", "0");
        Process worker = cluster.startWorker("watched", "--stall-timeout", "3");
        Path clip = TestMedia.get("long-360p.mp4", SampleMedia.Spec.video(640, 360, 30, 40));
        String id = cluster.submit(clip, dir.resolve("out"), Map.of("piece_seconds", 0), "360p");
        cluster.awaitJob(id, Cluster::encoding, JOB_TIMEOUT);

        List<ProcessHandle> ffmpeg = worker.descendants().filter(p -> p.info().command().orElse("").endsWith("ffmpeg")).toList();
        assertThat(ffmpeg).as("ffmpeg runs under the worker").isNotEmpty();
        List<String> stop = new java.util.ArrayList<>(List.of("kill", "-STOP"));
        ffmpeg.forEach(p -> stop.add(Long.toString(p.pid())));
        assertThat(new ProcessBuilder(stop).start().waitFor()).isZero();

        JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT);
        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(job.path("events")).filteredOn(e -> e.path("type").asText().equals("failed")).singleElement()
                .satisfies(e -> assertThat(e.path("detail").asText()).as(e.toPrettyString())
                        .containsPattern("attempt 1: ffmpeg stalled: no progress for \\d+ s \\(stall timeout 3 s\\)"));
        assertThat(Cluster.task(job, "transcode").path("attempts").asInt()).isEqualTo(2);
        assertThat(ffmpeg).as("the stopped ffmpeg was killed").noneMatch(ProcessHandle::isAlive);
        assertThat(worker.isAlive()).as("the worker goes on").isTrue();
        assertThat(dir.resolve("out/index.m3u8")).exists();
    }

    @Test
    void aTaskOverTheCoordinatorsTimeLimitIsTakenBackAndItsWorkerStopsIt() throws Exception {
        cluster.startCoordinator("--heartbeat", "1", "--task-timeout", "1", "--max-retries", "0");
        Process worker = cluster.startWorker("slow");
        // long enough to outlast the coordinator's overdue check (every 5 s) however fast the machine
        Path clip = TestMedia.get("longer-360p.mp4", SampleMedia.Spec.video(640, 360, 30, 150));
        String id = cluster.submit(clip, dir.resolve("out"), Map.of("piece_seconds", 0), "360p");

        JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT);

        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("FAILED");
        assertThat(job.path("error").asText()).contains("over its time limit of 1 s");
        assertThat(job.path("events")).extracting(e -> e.path("type").asText()).contains("timed-out");
        Poll.until(Duration.ofSeconds(30), "the worker's ffmpeg has stopped", () -> worker.descendants().findAny().isEmpty());
        assertThat(worker.descendants().toList()).as("the worker stopped its ffmpeg when told").isEmpty();
        assertThat(worker.isAlive()).isTrue();
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
