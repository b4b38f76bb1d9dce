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
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No output is committed by a lease the coordinator did not grant the commit: a package worker
 * paused past its lease (SIGSTOP, the whole machine) and resumed after another worker committed
 * the ladder leaves that ladder alone; a job cancelled while its ladder is being packaged gets none.
 */
class CommitFencingIT {
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
    void aPackageWorkerPausedPastItsLeaseNeverReplacesTheLadderAnotherWorkerCommitted() throws Exception {
        cluster.startCoordinator("--worker-timeout", "3", "--heartbeat", "1", "--retry-delay", "0");
        Process stale = cluster.startWorker("stale");
        Path out = dir.resolve("out");
        String id = cluster.submit(source(), out, Map.of("piece_seconds", 4, "hls_settings", Map.of("segment_time", 2)), "360p", "240p");

        JsonNode packaging = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || leasedPackage(j), JOB_TIMEOUT);
        Cluster.signal(stale, "STOP", true);
        cluster.startWorker("winner");
        JsonNode done = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED"), JOB_TIMEOUT);
        Object committedDir = fileKey(out);
        String grantedLease = done.path("commit").path("lease_id").asText();
        Cluster.signal(stale, "CONT", true);
        if (leasedPackage(packaging)) awaitLog("stale", "was not accepted");

        assertThat(grantedLease).as(done.toPrettyString()).isNotEmpty();
        assertThat(fileKey(out)).as("the committed ladder is the same directory after the stale worker resumed").isEqualTo(committedDir);
        assertThat(Files.readString(out.resolve(".spool-commit"))).as("the ladder carries the granted lease's stamp").contains(grantedLease);
        awaitNoStaging(out);
        SpoolProcess.Result verified = SpoolProcess.run("verify", out.toString());
        assertThat(verified.exitCode()).as(verified.stderr()).isZero();
    }

    @Test
    void aJobCancelledWhileItsLadderIsPackagedPublishesNothing() throws Exception {
        cluster.startCoordinator("--worker-timeout", "30", "--heartbeat", "1", "--retry-delay", "0");
        Process worker = cluster.startWorker("w1");
        Path out = dir.resolve("cancelled");
        String id = cluster.submit(source(), out, Map.of("piece_seconds", 4, "hls_settings", Map.of("segment_time", 2)), "360p", "240p");

        JsonNode packaging = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || leasedPackage(j), JOB_TIMEOUT);
        Cluster.signal(worker, "STOP", true);
        boolean cancelled = true;
        try {
            cluster.client().call("POST", "/api/v1/jobs/" + id + "/cancel", null, Cluster.CALL);
        } catch (dev.spool.model.SpoolError e) {
            cancelled = false;
            if (leasedPackage(packaging)) assertThat(e.getMessage()).as("refused only once the commit is granted").contains("committing its output");
        }
        Cluster.signal(worker, "CONT", true);
        if (!leasedPackage(packaging)) return;   // it completed before it could be caught packaging: nothing to check
        awaitLog("w1", id + " package");

        if (cancelled) {
            assertThat(cluster.job(id).path("state").asText()).isEqualTo("CANCELLED");
            assertThat(out).as("a cancelled job's ladder is never made visible").doesNotExist();
        } else {
            JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED"), JOB_TIMEOUT);
            assertThat(out.resolve(".spool-commit")).as(job.toPrettyString()).exists();
        }
        awaitNoStaging(out);
    }

    private static Path source() {
        // long enough for three pieces, large enough that packaging them takes a moment to catch
        return TestMedia.get("commit-fencing-12s.mp4", SampleMedia.Spec.video(640, 360, 30, 12));
    }

    private static boolean leasedPackage(JsonNode job) {
        for (JsonNode t : job.path("tasks"))
            if (t.path("kind").asText().equals("package") && t.path("state").asText().equals("LEASED")) return true;
        return false;
    }

    private static Object fileKey(Path p) throws Exception {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }

    private void awaitLog(String worker, String text) throws Exception {
        Poll.until(JOB_TIMEOUT, Duration.ofMillis(200), worker + " logs '" + text + "'", () -> cluster.log(worker), log -> log.contains(text));
    }

    /** The stale worker's staging directory is deleted once it gives up, not left beside the output. */
    private static void awaitNoStaging(Path out) throws Exception {
        Poll.until(Duration.ofSeconds(30), Duration.ofMillis(200), "nothing is left beside the output", () -> {
            try (var entries = Files.list(out.getParent())) {
                return entries.map(p -> p.getFileName().toString()).filter(n -> n.contains("spool-staging") || n.contains("spool-old")).toList();
            }
        }, List::isEmpty);
    }
}
