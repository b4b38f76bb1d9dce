package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spool.model.protocol.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs that an older Spool stored (no spec_version, no encode plan) under a looser rule (a label
 * key today's API refuses) are listed, claimed and run to COMPLETED by a real worker process: a
 * whole job, and a split one whose probe is expanded from that record. SQLite, 2 s lavfi input.
 */
class OlderJobRecordIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private static final String LOOSER_LABEL = "movie id";

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
    void jobsStoredByAnOlderSpoolUnderALooserRuleAreStillListedClaimedAndRunToCompleted() throws Exception {
        cluster.startCoordinator();
        Path input = TestMedia.small(2);
        String whole = cluster.submit(input, dir.resolve("whole"), Map.of("piece_seconds", 0), "240p");
        String split = cluster.submit(input, dir.resolve("split"),
                Map.of("piece_seconds", 1, "hls_settings", Map.of("segment_time", 1)), "240p");
        storeAsAnOlderSpoolDid(whole);
        storeAsAnOlderSpoolDid(split);

        JsonNode listed = cluster.client().call("GET", "/api/v1/jobs", null, Cluster.CALL).path("jobs");
        assertThat(listed).extracting(j -> j.path("job_id").asText()).contains(whole, split);
        assertThat(cluster.job(whole).at("/spec/labels").path(LOOSER_LABEL).asText()).isEqualTo("456");

        cluster.startWorker("alpha");
        for (String id : new String[] {whole, split}) {
            JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT);
            assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        }
        assertThat(cluster.job(split).path("pieces").asInt()).as("the split job was cut from its old record").isEqualTo(2);
        Verified.output(dir.resolve("whole"));
        Verified.output(dir.resolve("split"));
    }

    /**
     * Rewrites the job's row as a Spool before spec_version wrote it: the request's fields alone
     * (as the job view shows them), with a label key that today's API refuses.
     */
    private void storeAsAnOlderSpoolDid(String jobId) throws Exception {
        ObjectNode spec = (ObjectNode) cluster.job(jobId).path("spec");
        assertThat(spec.has("spec_version")).isFalse();
        spec.putObject("labels").put(LOOSER_LABEL, "456");
        String url = "jdbc:sqlite:" + dir.resolve("data").resolve(dev.spool.coordinator.queue.Database.SQLITE_FILE);
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("PRAGMA busy_timeout = 10000");
            try (PreparedStatement s = c.prepareStatement("UPDATE jobs SET spec = ? WHERE id = ?")) {
                s.setString(1, Wire.JSON.writeValueAsString(spec));
                s.setString(2, jobId);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO job_labels (job_id, name, value) VALUES (?, ?, ?)")) {
                s.setString(1, jobId);
                s.setString(2, LOOSER_LABEL);
                s.setString(3, "456");
                s.executeUpdate();
            }
        }
    }
}
