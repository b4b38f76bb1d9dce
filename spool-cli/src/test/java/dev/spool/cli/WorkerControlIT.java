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
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's drain and pause of a real {@code spool worker} process, through the coordinator's
 * API as the dashboard calls it: a drained busy worker finishes its job (COMPLETED), takes nothing
 * more, deregisters and exits 0; a paused one takes nothing until resumed, and says PAUSED meanwhile.
 */
class WorkerControlIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private static final Map<String, Object> WHOLE = Map.of("piece_seconds", 0);

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
    void aDrainedBusyWorkerFinishesItsJobTakesNothingMoreDeregistersAndExitsZero() throws Exception {
        cluster.startCoordinator("--heartbeat", "1");
        Process worker = cluster.startWorker("busy");
        String first = cluster.submit(TestMedia.get("long-360p.mp4", SampleMedia.Spec.video(640, 360, 30, 40)), dir.resolve("out-1"),
                WHOLE, "360p");
        cluster.awaitJob(first, Cluster::encoding, JOB_TIMEOUT);

        JsonNode drained = cluster.client().call("POST", "/api/v1/workers/busy/drain", null, Cluster.CALL);
        assertThat(drained.path("control").asText()).isEqualTo("DRAINING");
        String second = cluster.submit(TestMedia.small(2), dir.resolve("out-2"), WHOLE, "240p");

        assertThat(worker.waitFor(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the drained worker exits").isTrue();
        assertThat(worker.exitValue()).as(cluster.log("busy")).isZero();
        JsonNode job = cluster.job(first);
        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(Cluster.task(job, "transcode").path("worker").asText()).isEqualTo("busy");
        assertThat(job.at("/timeline/0/outcome").asText()).isEqualTo("done");
        assertThat(cluster.job(second).path("state").asText()).as("the drained worker took nothing more").isEqualTo("QUEUED");
        assertThat(cluster.client().call("GET", "/api/v1/workers", null, Cluster.CALL).path("workers"))
                .as("it deregistered").isEmpty();
        assertThat(cluster.log("busy")).contains("drained by the operator");
    }

    @Test
    void aPausedWorkerTakesNothingUntilResumed() throws Exception {
        cluster.startCoordinator("--heartbeat", "1");
        cluster.startWorker("napper");
        Poll.until(Duration.ofMinutes(2), "napper registered", () -> workerField("napper", "worker_id").equals("napper"));
        cluster.client().call("POST", "/api/v1/workers/napper/pause", null, Cluster.CALL);
        String id = cluster.submit(TestMedia.small(2), dir.resolve("out"), WHOLE, "240p");

        Poll.until(Duration.ofSeconds(30), "napper syncs PAUSED", () -> workerField("napper", "status").equals("PAUSED"));
        Thread.sleep(3000);   // three heartbeats: long enough for a worker that was not paused to take it
        assertThat(cluster.job(id).path("state").asText()).isEqualTo("QUEUED");
        assertThat(workerField("napper", "control")).isEqualTo("PAUSED");

        cluster.client().call("POST", "/api/v1/workers/napper/resume", null, Cluster.CALL);
        JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT);
        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        JsonNode detail = cluster.client().call("GET", "/api/v1/workers/napper", null, Cluster.CALL);
        assertThat(detail.at("/recent_tasks/0/job_id").asText()).isEqualTo(id);
        assertThat(detail.at("/recent_tasks/0/outcome").asText()).isEqualTo("done");
    }

    @Test
    void aFailedTaskKeepsTheLastLinesOfItsToolsStderr() throws Exception {
        cluster.startCoordinator("--heartbeat", "1", "--max-retries", "0");
        cluster.startWorker("reader");
        Path garbage = java.nio.file.Files.write(dir.resolve("garbage.mp4"), "this is not a video at all".repeat(100).getBytes());
        String id = cluster.submit(garbage, dir.resolve("out"), WHOLE, "240p");
        JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "FAILED") || Cluster.state(j, "COMPLETED"), JOB_TIMEOUT);
        assertThat(job.path("state").asText()).isEqualTo("FAILED");
        JsonNode tail = job.at("/tasks/0/log_tail");
        assertThat(tail.isArray() && !tail.isEmpty()).as(job.toPrettyString()).isTrue();
        assertThat(tail.size()).isLessThanOrEqualTo(20);
        assertThat(job.at("/timeline/0/outcome").asText()).isEqualTo("failed");
    }

    private String workerField(String worker, String field) {
        for (JsonNode w : cluster.client().call("GET", "/api/v1/workers", null, Cluster.CALL).path("workers"))
            if (w.path("worker_id").asText().equals(worker)) return w.path(field).asText();
        return "";
    }
}
