package dev.spool.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.coordinator.api.RawHttp.Reply;
import dev.spool.coordinator.queue.Database;
import dev.spool.coordinator.queue.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job is stored as a versioned record read without the request's checks: one that an older
 * Spool stored under a looser rule is still listed, claimed and finished, and does not hold up the
 * jobs behind it; a new one carries its version and encode plan, which only workers that read
 * them are sent. SQLite, a real server on loopback, raw JSON.
 */
class StoredJobRecordTest {
    private static final RetryPolicy RETRY = new RetryPolicy(2, Duration.ZERO, 1.0);
    /** A label key with a space: older Spool took any key; today's API takes 1-64 of A-Z a-z 0-9 _ . - */
    private static final String LOOSER_LABEL = "movie id";
    /** Job JSON as Spool wrote it before spec_version: the request's fields alone, no encode plan. */
    private static final String VERSION_1_SPEC = """
            {"input":"movies/old.mkv","output":"processed/old","outputs":[{"resolution":"360p","codec":"h264"}],
             "hls_settings":{"master_playlist_name":"index.m3u8","segment_time":6},"format":"hls",
             "segment_format":"fmp4","priority":"NORMAL","labels":{"%s":"456"},"piece_seconds":0}""".formatted(LOOSER_LABEL);

    @TempDir Path dataDir;
    private Coordinator coordinator;
    private RawHttp http;
    private String clientToken;
    private String joinToken;

    @BeforeEach
    void start() throws IOException {
        coordinator = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, dataDir, null, Duration.ofSeconds(30),
                Duration.ofSeconds(1), RETRY, Duration.ofMillis(200)), Clock.systemUTC());
        http = new RawHttp(coordinator.port());
        for (String line : Files.readAllLines(dataDir.resolve("tokens"))) {
            if (line.startsWith("SPOOL_TOKEN=")) clientToken = line.substring("SPOOL_TOKEN=".length());
            if (line.startsWith("SPOOL_JOIN_TOKEN=")) joinToken = line.substring("SPOOL_JOIN_TOKEN=".length());
        }
    }

    @AfterEach
    void stop() {
        coordinator.close();
    }

    @Test
    void aJobStoredUnderAnOlderLooserRuleIsStillListedClaimedAndFinished() throws SQLException {
        Reply refused = http.post("/api/v1/jobs", clientToken, job("movies/today.mkv", LOOSER_LABEL));
        assertThat(refused.status()).as("today's API refuses the label: " + refused).isEqualTo(400);
        assertThat(refused.error().path("field").asText()).isEqualTo("labels");

        String old = submit(job("movies/old.mkv", "movie_id"));
        storeAsAnOlderSpoolDid(old);
        String behind = submit(job("movies/new.mkv", "movie_id"));

        JsonNode listed = http.get("/api/v1/jobs", clientToken).json().path("jobs");
        assertThat(listed).extracting(j -> j.path("job_id").asText()).contains(old, behind);
        JsonNode view = http.get("/api/v1/jobs/" + old, clientToken).json();
        assertThat(view.at("/spec/labels").path(LOOSER_LABEL).asText()).isEqualTo("456");
        assertThat(view.path("spec").has("spec_version")).isFalse();

        String worker = register("w5", 5);
        JsonNode first = claim("w5", worker);
        assertThat(first.path("job_id").asText()).isEqualTo(old);
        assertThat(first.path("kind").asText()).isEqualTo("transcode");
        assertThat(first.at("/spec/labels").path(LOOSER_LABEL).asText()).isEqualTo("456");
        assertThat(first.path("spec").has("encode")).as("sent as stored: the worker works out a version-1 plan").isFalse();
        assertThat(first.path("outputs").get(0).path("codec").asText())
                .as("the seed fields are built from the plan its fields give").isEqualTo("h264");
        Reply granted = http.post("/api/v1/jobs/" + old + "/commit", worker, """
                {"worker_id":"w5","lease_id":"%s","staged":"processed/old.staged"}""".formatted(lease(first)));
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
        Reply done = http.post("/api/v1/jobs/" + old + "/finalize", worker, completed(first));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(http.get("/api/v1/jobs/" + old, clientToken).json().path("state").asText()).isEqualTo("COMPLETED");

        String other = register("w5b", 5);
        assertThat(claim("w5b", other).path("job_id").asText()).as("the job behind it is claimed too").isEqualTo(behind);
    }

    @Test
    void aNewJobIsStoredWithItsVersionAndPlanWhichOnlyWorkersThatReadThemAreSent() throws Exception {
        String first = submit(job("movies/a.mkv", "movie_id"));
        String second = submit(job("movies/b.mkv", "movie_id"));
        JsonNode stored = RawHttp.JSON.readTree(storedSpec(first));
        assertThat(stored.path("spec_version").asInt()).isEqualTo(2);
        assertThat(stored.at("/encode/codec").asText()).isEqualTo("H264");
        assertThat(stored.at("/encode/renditions")).extracting(JsonNode::asText).containsExactly("360p");
        assertThat(stored.at("/encode/hls_time").asInt()).isEqualTo(6);

        JsonNode view = http.get("/api/v1/jobs/" + first, clientToken).json().path("spec");
        assertThat(view.has("spec_version")).as("the job view shows the request as before").isFalse();
        assertThat(view.has("encode")).isFalse();
        assertThat(view.path("piece_seconds").asInt()).isEqualTo(0);

        JsonNode older = claim("w4", register("w4", 4));
        assertThat(older.path("job_id").asText()).isEqualTo(first);
        assertThat(older.path("spec").has("encode")).as("a protocol-4 worker refuses unknown fields").isFalse();
        assertThat(older.path("spec").has("spec_version")).isFalse();
        JsonNode newer = claim("w5", register("w5", 5));
        assertThat(newer.path("job_id").asText()).isEqualTo(second);
        assertThat(newer.at("/spec/spec_version").asInt()).isEqualTo(2);
        assertThat(newer.at("/spec/encode/codec").asText()).isEqualTo("H264");
    }

    private static String job(String input, String labelKey) {
        return """
                {"input":"%s","output":"processed/%s","outputs":[{"resolution":"360p","codec":"h264"}],"piece_seconds":0,
                 "labels":{"%s":"456"}}""".formatted(input, input.replaceAll("[^a-z0-9]", "_"), labelKey);
    }

    /**
     * Submits a job, then waits out the millisecond it was made in: claims take the oldest first, and
     * two jobs of one millisecond (two quick submits) tie, with the order among them the database's.
     */
    private String submit(String body) {
        Reply r = http.post("/api/v1/jobs", clientToken, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        long made = System.currentTimeMillis();   // the job's created_at is no later: the coordinator's clock is this one
        while (System.currentTimeMillis() <= made) Thread.onSpinWait();
        return r.json().path("job_id").asText();
    }

    /** The job's row as a Spool before spec_version wrote it: its spec JSON, and its label. */
    private void storeAsAnOlderSpoolDid(String jobId) throws SQLException {
        try (Connection c = database()) {
            update(c, "UPDATE jobs SET spec = ? WHERE id = ?", VERSION_1_SPEC, jobId);
            update(c, "DELETE FROM job_labels WHERE job_id = ?", jobId);
            update(c, "INSERT INTO job_labels (job_id, name, value) VALUES (?, ?, ?)", jobId, LOOSER_LABEL, "456");
        }
    }

    private String storedSpec(String jobId) throws SQLException {
        try (Connection c = database(); PreparedStatement s = c.prepareStatement("SELECT spec FROM jobs WHERE id = ?")) {
            s.setString(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private Connection database() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.SQLITE_FILE));
        try (var s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
        }
        return c;
    }

    private static void update(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) s.setString(i + 1, values[i]);
            assertThat(s.executeUpdate()).as(sql).isEqualTo(1);
        }
    }

    /** Registers a Spool worker speaking {@code protocol}; returns its credential. */
    private String register(String id, int protocol) {
        Reply r = http.post("/api/v1/workers/register", joinToken, """
                {"worker_id":"%s","protocol":%d,"slots":1,
                 "capabilities":{"supported_codecs":["libx264"],"has_gpu":false,"max_resolution":"1080p"}}"""
                .formatted(id, protocol));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().path("credential").asText();
    }

    /** An idle sync that must come back with an assignment; returns assigned_job. */
    private JsonNode claim(String id, String credential) {
        Reply r = http.post("/api/v1/workers/sync", credential, """
                {"worker_id":"%s","status":"IDLE","current_job_id":"","wait_ms":0}""".formatted(id));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().has("assigned_job")).as("an assignment for " + id + ": " + r).isTrue();
        return r.json().path("assigned_job");
    }

    private static String completed(JsonNode assignment) {
        return """
                {"status":"COMPLETED","manifest_url":"processed/old/index.m3u8","metrics":{"total_time_ms":1000},
                 "lease_id":"%s"}""".formatted(lease(assignment));
    }

    private static String lease(JsonNode assignment) {
        return assignment.at("/lease/lease_id").asText();
    }
}
