package dev.spool.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.coordinator.api.RawHttp.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's forgery, on the wire, once per database: the join token, which every worker shares,
 * naming a worker that registered with its own credential, cannot finalize (or report on, renew,
 * or take the name of) that worker's job; a seed-001 worker still runs its own; and with
 * --require-worker-credentials no worker that has only the join token is admitted.
 */
public abstract class LeaseOwnershipApiContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final String FORGED = """
            {"worker_id":"%s","status":"COMPLETED","manifest_url":"/forged/index.m3u8","metrics":{"total_time_ms":1}%s}""";

    @TempDir
    protected Path dataDir;
    private String dbUrl;
    private Coordinator coordinator;
    private RawHttp http;
    private String clientToken;
    private String joinToken;
    private final ShiftedClock clock = new ShiftedClock();

    /** The system's time, moved ahead when a test needs a worker to have been silent a while. */
    private static final class ShiftedClock extends Clock {
        private volatile java.time.Duration ahead = java.time.Duration.ZERO;

        @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public java.time.Instant instant() { return java.time.Instant.now().plus(ahead); }
    }

    /** The JDBC URL of a fresh database of this name, or null for SQLite in the data directory. */
    protected abstract String dbUrl(String name);

    @BeforeEach
    public void openDatabase(TestInfo test) {
        String method = test.getTestMethod().map(m -> m.getName()).orElse("test").toLowerCase(Locale.ROOT);
        String name = "leases_" + method.replaceAll("[^a-z0-9_]", "_");
        dbUrl = dbUrl(name.substring(0, Math.min(name.length(), 50)) + "_" + DATABASES.incrementAndGet());
    }

    @AfterEach
    public void stopCoordinator() {
        if (coordinator != null) coordinator.close();
    }

    private void start(boolean requireWorkerCredentials) {
        CoordinatorConfig config = new CoordinatorConfig("127.0.0.1", 0, dataDir, dbUrl, CoordinatorApiContract.WORKER_TIMEOUT,
                CoordinatorApiContract.HEARTBEAT, CoordinatorApiContract.RETRY, CoordinatorApiContract.REAPER_INTERVAL)
                .withRequireWorkerCredentials(requireWorkerCredentials);
        coordinator = Coordinator.start(config, clock);
        http = new RawHttp(coordinator.port());
        clientToken = token("SPOOL_TOKEN");
        joinToken = token("SPOOL_JOIN_TOKEN");
    }

    @Test
    public void theJoinTokenNamingACredentialedWorkerCannotFinalizeItsJobAndTheWorkerThenFinishesIt() {
        start(false);
        var worker = registerSpoolWorker("gpu-box-1");
        String jobId = submit(CoordinatorApiContract.job("movies/a.mkv", ""));
        Reply claimed = http.post("/api/v1/workers/sync", worker.credential(), CoordinatorApiContract.sync(worker, "IDLE", 0));
        assertThat(claimed.json().at("/assigned_job/job_id").asText()).as(claimed.toString()).isEqualTo(jobId);
        String lease = claimed.json().at("/assigned_job/lease/lease_id").asText();
        assertThat(lease).matches("lease_[A-Za-z0-9_-]{22}");

        // the forgery exactly (worker_id named, the seed's finalize), then with the lease too
        for (String extra : new String[] {"", ",\"lease_id\":\"" + lease + "\""}) {
            Reply forged = http.post("/api/v1/jobs/" + jobId + "/finalize", joinToken, FORGED.formatted("gpu-box-1", extra));
            assertRefused(forged, "worker_id", "worker gpu-box-1 registered with its own credential; the join token cannot act for it");
        }
        // naming no worker: the seed's finalize, whose worker is the job's holder
        Reply anonymous = http.post("/api/v1/jobs/" + jobId + "/finalize", joinToken,
                CoordinatorApiContract.SEED_SUCCESS.replace("/processed/sample/720p", "/forged"));
        assertRefused(anonymous, "worker_id", "the join token cannot act for it");
        Reply progress = http.patch("/api/v1/jobs/" + jobId, joinToken, """
                {"worker_id":"gpu-box-1","status":"PROCESSING","progress":99.0,"lease_id":"%s"}""".formatted(lease));
        assertRefused(progress, "worker_id", "the join token cannot act for it");
        Reply commit = http.post("/api/v1/jobs/" + jobId + "/commit", joinToken, """
                {"worker_id":"gpu-box-1","lease_id":"%s","staged":"/forged/.x.spool-staging"}""".formatted(lease));
        assertRefused(commit, "worker_id", "the join token cannot act for it");
        Reply sync = http.post("/api/v1/workers/sync", joinToken, """
                {"worker_id":"gpu-box-1","status":"IDLE","hardware_stats":{"cpu_percent":99.0},"leases":["%s"]}""".formatted(lease));
        assertRefused(sync, "worker_id", "the join token cannot act for it");
        Reply deregister = http.post("/api/v1/workers/gpu-box-1/deregister", joinToken, "{}");
        assertRefused(deregister, "worker_id", "the join token cannot act for it");

        JsonNode untouched = jobView(jobId);
        assertThat(untouched.path("state").asText()).as(untouched.toPrettyString()).isEqualTo("RUNNING");
        assertThat(untouched.path("progress").asDouble()).isZero();
        assertThat(untouched.at("/outputs/manifest_url").asText()).isEmpty();
        assertThat(untouched.toString()).doesNotContain("/forged/");
        assertThat(workerView("gpu-box-1").at("/hardware_stats/cpu_percent").asDouble()).as("the forged heartbeat was not recorded")
                .isEqualTo(5.0);

        Reply done = http.post("/api/v1/jobs/" + jobId + "/finalize", worker.credential(), CoordinatorApiContract.completed(lease));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        JsonNode finished = jobView(jobId);
        assertThat(finished.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(finished.at("/outputs/manifest_url").asText()).isEqualTo("/processed/a/master.m3u8");
    }

    @Test
    public void aSeedWorkerWithOnlyTheJoinTokenStillRunsItsOwnJobToTheEnd() {
        start(false);
        var other = registerSpoolWorker("gpu-box-1");   // a credentialed worker beside it changes nothing for the seed worker
        assertThat(http.post("/api/v1/workers/register", joinToken, CoordinatorApiContract.SEED_REGISTER).status()).isEqualTo(200);
        String jobId = submit(CoordinatorApiContract.SAMPLE_JOB);

        Reply sync = http.post("/api/v1/workers/sync", joinToken, CoordinatorApiContract.SEED_SYNC);
        assertThat(sync.json().at("/assigned_job/job_id").asText()).as(sync.toString()).isEqualTo(jobId);
        String lease = sync.json().at("/assigned_job/lease/lease_id").asText();
        // another worker's credential cannot speak for the seed worker
        Reply impostor = http.post("/api/v1/jobs/" + jobId + "/finalize", other.credential(), """
                {"worker_id":"desktop-gaming-pc","status":"COMPLETED","manifest_url":"/forged/index.m3u8","lease_id":"%s"}"""
                .formatted(lease));
        assertThat(impostor.status()).as(impostor.toString()).isBetween(400, 499);
        assertThat(jobView(jobId).path("state").asText()).isEqualTo("RUNNING");

        Reply busy = http.post("/api/v1/workers/sync", joinToken, CoordinatorApiContract.SEED_SYNC.replace("\"IDLE\"", "\"BUSY\"")
                .replace("\"current_job_id\": \"\"", "\"current_job_id\": \"" + jobId + "\""));
        assertThat(busy.status()).as(busy.toString()).isEqualTo(200);
        assertThat(http.patch("/api/v1/jobs/" + jobId, joinToken, CoordinatorApiContract.SEED_PROGRESS).status()).isEqualTo(200);
        Reply done = http.post("/api/v1/jobs/" + jobId + "/finalize", joinToken, CoordinatorApiContract.SEED_SUCCESS);
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.json().path("state").asText()).isEqualTo("COMPLETED");
        assertThat(jobView(jobId).at("/outputs/manifest_url").asText()).isEqualTo("/processed/sample/720p/index.m3u8");
    }

    @Test
    public void aSeedRegistrationUnderTheNameOfALiveCredentialedWorkerIsRefused() {
        start(false);
        var worker = registerSpoolWorker("desktop-gaming-pc");

        Reply taken = http.post("/api/v1/workers/register", joinToken, CoordinatorApiContract.SEED_REGISTER);
        assertThat(taken.status()).as(taken.toString()).isEqualTo(409);
        assertThat(taken.error().path("code").asText()).isEqualTo("CONFLICT");
        assertThat(taken.error().path("field").asText()).isEqualTo("worker_id");
        assertThat(taken.error().path("message").asText()).contains("in use by a live worker with its own credential");

        Reply still = http.post("/api/v1/workers/sync", worker.credential(), CoordinatorApiContract.sync(worker, "IDLE", 0));
        assertThat(still.status()).as("its credential was not revoked: " + still).isEqualTo(200);
        assertThat(workerView("desktop-gaming-pc").path("protocol").asInt()).as(workerView("desktop-gaming-pc").toString()).isEqualTo(2);
    }

    @Test
    public void aSeedWorkerTakingTheNameOfASilentCredentialedWorkerEndsThatCredential() {
        start(false);
        var silent = registerSpoolWorker("desktop-gaming-pc");
        clock.ahead = java.time.Duration.ofMinutes(2);   // well past the live window (a long poll and a margin)

        Reply seed = http.post("/api/v1/workers/register", joinToken, CoordinatorApiContract.SEED_REGISTER);
        assertThat(seed.status()).as(seed.toString()).isEqualTo(200);
        assertThat(seed.json().has("credential")).isFalse();

        Reply old = http.post("/api/v1/workers/sync", silent.credential(), CoordinatorApiContract.sync(silent, "IDLE", 0));
        assertThat(old.status()).as("the silent worker's credential was revoked: " + old).isEqualTo(401);
        Reply seedSync = http.post("/api/v1/workers/sync", joinToken, CoordinatorApiContract.SEED_SYNC);
        assertThat(seedSync.status()).as("the join token may speak for the name again: " + seedSync).isEqualTo(200);
        assertThat(workerView("desktop-gaming-pc").path("protocol").asInt()).isEqualTo(1);
    }

    @Test
    public void requiringWorkerCredentialsRefusesASeedWorkerAndAdmitsSpoolsOwn() {
        start(true);

        Reply seed = http.post("/api/v1/workers/register", joinToken, CoordinatorApiContract.SEED_REGISTER);
        assertThat(seed.status()).as(seed.toString()).isEqualTo(403);
        assertThat(seed.error().path("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(seed.error().path("field").asText()).isEqualTo("protocol");
        assertThat(seed.error().path("message").asText()).contains("--require-worker-credentials")
                .contains("upgrade the worker").contains("without --require-worker-credentials");
        CoordinatorApiContract.assertNoLeaks(seed);
        assertThat(workers()).as("nothing was registered").isEmpty();
        Reply seedSync = http.post("/api/v1/workers/sync", joinToken, CoordinatorApiContract.SEED_SYNC);
        assertThat(seedSync.status()).as(seedSync.toString()).isEqualTo(403);

        var worker = registerSpoolWorker("gpu-box-1");
        String jobId = submit(CoordinatorApiContract.job("movies/a.mkv", ""));
        Reply claimed = http.post("/api/v1/workers/sync", worker.credential(), CoordinatorApiContract.sync(worker, "IDLE", 0));
        assertThat(claimed.json().at("/assigned_job/job_id").asText()).as(claimed.toString()).isEqualTo(jobId);
    }

    private void assertRefused(Reply reply, String field, String says) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
        assertThat(reply.error().path("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(reply.error().path("field").asText()).isEqualTo(field);
        assertThat(reply.error().path("message").asText()).contains(says);
        CoordinatorApiContract.assertNoLeaks(reply);
    }

    private CoordinatorApiContract.Worker registerSpoolWorker(String id) {
        Reply r = http.post("/api/v1/workers/register", joinToken, """
                {"worker_id":"%s","protocol":2,"slots":1,
                 "capabilities":{"supported_codecs":["libx264"],"has_gpu":false,"max_resolution":"1080p"}}""".formatted(id));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String credential = r.json().path("credential").asText();
        assertThat(credential).isNotBlank().isNotEqualTo(joinToken);
        return new CoordinatorApiContract.Worker(id, credential);
    }

    private String submit(String body) {
        Reply r = http.post("/api/v1/jobs", clientToken, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().path("job_id").asText();
    }

    private JsonNode jobView(String jobId) {
        Reply r = http.get("/api/v1/jobs/" + jobId, clientToken);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private JsonNode workerView(String id) {
        for (JsonNode w : http.get("/api/v1/workers", clientToken).json().path("workers"))
            if (w.path("worker_id").asText().equals(id)) return w;
        throw new AssertionError("no worker " + id);
    }

    private java.util.List<JsonNode> workers() {
        java.util.List<JsonNode> all = new java.util.ArrayList<>();
        http.get("/api/v1/workers", clientToken).json().path("workers").forEach(all::add);
        return all;
    }

    private String token(String name) {
        try {
            return Files.readAllLines(dataDir.resolve("tokens")).stream().filter(l -> l.startsWith(name + "="))
                    .map(l -> l.substring(name.length() + 1)).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
