package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.model.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dead and restarted workers as real processes: a job given to a worker killed while its long poll
 * was parked goes to a live worker within seconds, not after the lease; a worker restarted under its
 * id gets its running work back at once; two workers started on one host without --id get names
 * of their own, both listed, and keep them across a restart.
 */
class WorkerFaultsIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    /** The coordinator's default: the lease a dead worker's task would otherwise wait out. */
    private static final Duration LEASE = Duration.ofSeconds(60);
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
    void aJobLeasedToAWorkerKilledInItsLongPollGoesToALiveWorkerLongBeforeTheLeaseRunsOut() throws Exception {
        cluster.startCoordinator("--heartbeat", "1");
        Process doomed = cluster.startWorker("doomed");
        awaitParked("doomed");
        Cluster.signal(doomed, "KILL", true);   // its long poll stays parked on the coordinator
        assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();

        String id = cluster.submit(TestMedia.small(2), dir.resolve("out"), WHOLE, "240p");
        cluster.awaitJob(id, j -> Cluster.task(j, "transcode").path("worker").asText().equals("doomed"), Duration.ofSeconds(30));
        cluster.startWorker("alive");

        JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT);
        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        JsonNode task = Cluster.task(job, "transcode");
        assertThat(task.path("worker").asText()).isEqualTo("alive");
        assertThat(task.path("attempts").asInt()).as("the dead worker's lease used no attempt").isEqualTo(1);
        assertThat(types(job)).containsSubsequence("leased", "unacknowledged", "leased", "completed").doesNotContain("lease-expired");
        List<Instant> leased = times(job, "leased");
        assertThat(Duration.between(leased.get(0), leased.get(1))).as("re-leased before the dead worker's lease ran out")
                .isLessThan(LEASE);
    }

    @Test
    void aWorkerRestartedUnderItsIdGetsItsRunningWorkBackAtOnce() throws Exception {
        cluster.startCoordinator("--heartbeat", "1");
        Process first = cluster.startWorker("phoenix");
        String id = cluster.submit(TestMedia.get("long-360p.mp4", SampleMedia.Spec.video(640, 360, 30, 40)), dir.resolve("out"),
                WHOLE, "360p");
        cluster.awaitJob(id, Cluster::encoding, JOB_TIMEOUT);
        Cluster.signal(first, "KILL", true);   // the worker and its ffmpeg, at once
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Instant restarted = Instant.now();
        cluster.startWorker("phoenix");   // same id, same state directory (it kept its credential there)

        JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT);
        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(types(job)).containsSubsequence("leased", "worker-restarted", "leased", "completed").doesNotContain("lease-expired");
        Instant releasedAt = times(job, "worker-restarted").get(0);
        assertThat(Duration.between(restarted, releasedAt)).as("released when it registered again, not when the lease ran out")
                .isLessThan(LEASE);
        assertThat(Cluster.task(job, "transcode").path("worker").asText()).isEqualTo("phoenix");
    }

    @Test
    void twoWorkersOnOneHostWithoutAnIdAreBothListedUnderNamesOfTheirOwnAndKeepThemAcrossARestart() throws Exception {
        cluster.startCoordinator("--heartbeat", "1");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", sharedCacheWithTheBundledFfmpeg().toString());
        cluster.startUnnamedWorker("first", env);
        List<String> one = awaitWorkerCount(1);
        Process second = cluster.startUnnamedWorker("second", env);
        List<String> both = awaitWorkerCount(2);
        String secondId = both.stream().filter(w -> !one.contains(w)).findFirst().orElseThrow();
        assertThat(secondId).startsWith(one.get(0)).isNotEqualTo(one.get(0));

        second.destroy();   // SIGTERM: drains and deregisters under its own name
        assertThat(second.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(second.exitValue()).as(cluster.log("second")).isZero();
        assertThat(cluster.log("second")).doesNotContain("could not deregister");
        assertThat(awaitWorkerCount(1)).isEqualTo(one);

        cluster.startUnnamedWorker("second-again", env);
        assertThat(awaitWorkerCount(2)).as("the restart found its name again").containsExactlyInAnyOrder(one.get(0), secondId);
    }

    @Test
    void aJobThatFailedForGoodIsMarkedInJobsAndStatusUntilItIsRetried() throws Exception {
        cluster.startCoordinator("--heartbeat", "1", "--retry-delay", "0", "--max-retries", "1");
        Process worker = cluster.startWorker("unlucky");
        String id = cluster.submit(dir.resolve("no-such-input.mp4"), dir.resolve("out"), WHOLE, "240p");
        JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "FAILED") || Cluster.state(j, "COMPLETED"), JOB_TIMEOUT);
        assertThat(job.path("needs_attention").asBoolean()).as(job.toPrettyString()).isTrue();

        String[] client = {"--coordinator", cluster.url(), "--token", cluster.clientToken()};
        SpoolProcess.Result jobs = SpoolProcess.run(with(new String[] {"jobs"}, client));
        assertThat(jobs.stdout()).as(jobs.stderr()).contains(id, "FAILED", "[needs attention]");
        SpoolProcess.Result flagged = SpoolProcess.run(with(new String[] {"jobs", "--needs-attention"}, client));
        assertThat(flagged.stdout().lines().toList()).singleElement().asString().contains(id);
        SpoolProcess.Result status = SpoolProcess.run(with(new String[] {"status", id}, client));
        assertThat(status.stdout()).contains("[needs attention]", "needs attention: ", "spool retry " + id);

        Cluster.signal(worker, "KILL", true);   // so the retried job waits in the queue instead of failing again
        assertThat(worker.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(SpoolProcess.run(with(new String[] {"retry", id}, client)).exitCode()).isZero();
        SpoolProcess.Result after = SpoolProcess.run(with(new String[] {"jobs", "--needs-attention"}, client));
        assertThat(after.exitCode()).isZero();
        assertThat(after.stdout()).as("retry clears the mark").doesNotContain(id);
    }

    private static String[] with(String[] command, String[] options) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(options));
        return all.toArray(String[]::new);
    }

    /** A cache root of the test's own, holding (a link to) the ffmpeg already unpacked for this user. */
    private Path sharedCacheWithTheBundledFfmpeg() throws Exception {
        Path xdg = Files.createDirectories(dir.resolve("xdg/spool")).getParent();
        Path unpacked = TestMedia.TOOLS.ffmpeg().getParent();
        if (TestMedia.TOOLS.libraryDir().isPresent()) Files.createSymbolicLink(xdg.resolve("spool").resolve(unpacked.getFileName()), unpacked);
        return xdg;
    }

    private List<String> awaitWorkerCount(int count) throws InterruptedException {
        return Poll.until(Duration.ofMinutes(2), Duration.ofMillis(200), count + " workers are listed", this::workerIds,
                ids -> ids.size() == count);
    }

    /** Until the worker has synced (only a sync reports hardware stats): idle, it is now parked in a long poll. */
    private void awaitParked(String worker) throws InterruptedException {
        Poll.until(Duration.ofMinutes(2), "worker " + worker + " has synced", () -> hasSynced(worker));
    }

    private boolean hasSynced(String worker) {
        for (JsonNode w : cluster.client().call("GET", "/api/v1/workers", null, Cluster.CALL).path("workers"))
            if (w.path("worker_id").asText().equals(worker) && w.has("hardware_stats")) return true;
        return false;
    }

    private List<String> workerIds() {
        List<String> ids = new ArrayList<>();
        cluster.client().call("GET", "/api/v1/workers", null, Cluster.CALL).path("workers").forEach(w -> ids.add(w.path("worker_id").asText()));
        return ids;
    }

    private static List<String> types(JsonNode job) {
        List<String> types = new ArrayList<>();
        job.path("events").forEach(e -> types.add(e.path("type").asText()));
        return types;
    }

    private static List<Instant> times(JsonNode job, String type) {
        List<Instant> at = new ArrayList<>();
        job.path("events").forEach(e -> {
            if (e.path("type").asText().equals(type)) at.add(Instant.parse(e.path("at").asText()));
        });
        return at;
    }
}
