package dev.spool.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.coordinator.api.RawHttp.Reply;
import dev.spool.model.testing.Poll;
import dev.spool.coordinator.queue.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's HTTP API as a worker or client sees it on the wire, run once per database: a
 * real server on a loopback port, called with raw JSON. Seed 001's payloads are sent verbatim.
 */
public abstract class CoordinatorApiContract {
    static final Duration WORKER_TIMEOUT = Duration.ofSeconds(30);
    static final Duration SHORT_WORKER_TIMEOUT = Duration.ofSeconds(2);
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration REAPER_INTERVAL = Duration.ofMillis(200);
    /** Three attempts, no backoff: a retried task can be claimed again at once. */
    static final RetryPolicy RETRY = new RetryPolicy(2, Duration.ZERO, 1.0);
    private static final AtomicInteger DATABASES = new AtomicInteger();

    // ---- seed 001, byte for byte ----
    static final String SEED_REGISTER = """
            {
              "worker_id": "desktop-gaming-pc",
              "capabilities": {
                "supported_codecs": ["h264_nvenc", "hevc_nvenc", "libx264"],
                "has_gpu": true,
                "gpu_type": "nvidia",
                "max_resolution": "4k"
              }
            }""";
    static final String SEED_SYNC = """
            {
              "worker_id": "desktop-gaming-pc",
              "status": "IDLE",
              "hardware_stats": {
                "cpu_percent": 15.3,
                "ram_percent": 42.1,
                "is_busy": false
              },
              "current_job_id": ""
            }""";
    static final String SEED_PROGRESS = """
            {
              "worker_id": "desktop-gaming-pc",
              "status": "PROCESSING",
              "progress": 45.8,
              "current_fps": 87.3,
              "eta_sec": 120
            }""";
    static final String SEED_SUCCESS = """
            {
              "status": "COMPLETED",
              "manifest_url": "/processed/sample/720p/index.m3u8",
              "metrics": {
                "total_time_ms": 245680
              }
            }""";
    static final String SEED_FAILURE = """
            {
              "status": "FAILED",
              "error_msg": "input file does not exist: /mnt/nas/movies/sample.mkv",
              "metrics": {
                "total_time_ms": 1250
              }
            }""";
    static final String SEED_OUTPUTS = """
            [{"resolution":"720p","bitrate":"2500k","codec":"h264","dest_path":"processed/sample/720p/"}]""";
    static final String SAMPLE_JOB = """
            {
              "input": "movies/sample_3840x2160.mkv",
              "outputs": %s,
              "hls_settings": {"master_playlist_name": "index.m3u8", "segment_time": 6},
              "labels": {"movie_id": "movie-456"}
            }""".formatted(SEED_OUTPUTS);

    @TempDir
    protected Path dataDir;
    private String dbUrl;
    private Coordinator coordinator;
    RawHttp http;
    String clientToken;
    String joinToken;

    /** The JDBC URL of a fresh database of this name, or null for SQLite in the data directory. */
    protected abstract String dbUrl(String name);

    @BeforeEach
    public void openDatabase(TestInfo test) {
        String method = test.getTestMethod().map(m -> m.getName()).orElse("test").toLowerCase(Locale.ROOT);
        String name = "api_" + method.replaceAll("[^a-z0-9_]", "_");
        name = name.substring(0, Math.min(name.length(), 50)) + "_" + DATABASES.incrementAndGet();
        dbUrl = dbUrl(name);
    }

    @AfterEach
    public void stopCoordinator() {
        if (coordinator != null) coordinator.close();
    }

    void start(Duration workerTimeout) {
        start(workerTimeout, Limits.DEFAULTS);
    }

    void start(Duration workerTimeout, Limits limits) {
        coordinator = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, dataDir, dbUrl, workerTimeout, HEARTBEAT,
                RETRY, REAPER_INTERVAL).withLimits(limits), Clock.systemUTC());
        if (http == null) http = new RawHttp(coordinator.port());
        else http.pointAt(coordinator.port());
        clientToken = token("SPOOL_TOKEN");
        joinToken = token("SPOOL_JOIN_TOKEN");
    }

    private String token(String name) {
        try {
            return Files.readAllLines(dataDir.resolve("tokens")).stream().filter(l -> l.startsWith(name + "="))
                    .map(l -> l.substring(name.length() + 1)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + name + " in " + dataDir.resolve("tokens")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // =====================================================================================
    // 1. seed 001, verbatim
    // =====================================================================================

    @Test
    public void aWorkerWrittenToTheSeedDocumentAloneRegistersTakesReportsAndFinishesAJob() throws IOException {
        start(WORKER_TIMEOUT);
        Reply registered = http.post("/api/v1/workers/register", joinToken, SEED_REGISTER);
        assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
        assertThat(registered.json().path("ack").asBoolean()).isTrue();
        assertThat(registered.json().path("worker_id").asText()).isEqualTo("desktop-gaming-pc");
        assertThat(registered.json().has("credential")).as("a seed worker keeps using the join token").isFalse();

        String jobId = submit(SAMPLE_JOB);
        Reply sync = http.post("/api/v1/workers/sync", joinToken, SEED_SYNC);
        assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
        assertThat(sync.json().path("ack").asBoolean()).isTrue();
        JsonNode job = sync.json().path("assigned_job");
        assertThat(job.path("job_id").asText()).isEqualTo(jobId);
        assertThat(job.path("movie_id").asText()).isEqualTo("movie-456");
        assertThat(job.at("/input/source_url").asText()).isEqualTo("movies/sample_3840x2160.mkv");
        assertThat(job.at("/input/format").asText()).isEqualTo("mkv");
        assertThat(job.path("outputs")).isEqualTo(RawHttp.JSON.readTree(SEED_OUTPUTS));
        assertThat(job.at("/hls_settings/master_playlist_name").asText()).isEqualTo("index.m3u8");
        assertThat(job.at("/hls_settings/segment_time").asInt()).isEqualTo(6);

        // the seed's serial model: a BUSY worker's sync is a heartbeat and takes nothing new
        submit(job("movies/other.mkv", ""));
        Reply busy = http.post("/api/v1/workers/sync", joinToken, SEED_SYNC.replace("\"IDLE\"", "\"BUSY\"")
                .replace("\"current_job_id\": \"\"", "\"current_job_id\": \"" + jobId + "\""));
        assertThat(busy.status()).as(busy.toString()).isEqualTo(200);
        assertThat(busy.json().has("assigned_job")).isFalse();

        Reply progress = http.patch("/api/v1/jobs/" + jobId, joinToken, SEED_PROGRESS);
        assertThat(progress.status()).as(progress.toString()).isEqualTo(200);
        JsonNode running = jobView(jobId);
        assertThat(running.path("state").asText()).isEqualTo("RUNNING");
        assertThat(running.path("progress").asDouble()).isEqualTo(45.8);

        Reply done = http.post("/api/v1/jobs/" + jobId + "/finalize", joinToken, SEED_SUCCESS);
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.json().path("state").asText()).isEqualTo("COMPLETED");

        JsonNode view = jobView(jobId);
        assertThat(view.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(view.path("progress").asDouble()).isEqualTo(100.0);
        assertThat(view.at("/outputs/manifest_url").asText()).isEqualTo("/processed/sample/720p/index.m3u8");
        assertThat(view.at("/tasks/0/worker").asText()).isEqualTo("desktop-gaming-pc");
        assertThat(view.at("/tasks/0/attempts").asInt()).isEqualTo(1);
        assertThat(eventTypes(view)).containsSubsequence("submitted", "leased", "completed");
        assertThat(eventTypes(view)).filteredOn("completed"::equals).hasSize(1);
        assertThat(view.has("result")).as("a seed-001 worker measures nothing; the job completes all the same").isFalse();
    }

    @Test
    public void aSeedFailurePayloadIsRetriedAndFinallyFailsTheJobWithItsMessage() {
        start(WORKER_TIMEOUT);
        assertThat(http.post("/api/v1/workers/register", joinToken, SEED_REGISTER).status()).isEqualTo(200);
        String jobId = submit(SAMPLE_JOB);
        List<String> states = new ArrayList<>();
        for (int attempt = 1; attempt <= RETRY.maxAttempts(); attempt++) {
            Reply sync = http.post("/api/v1/workers/sync", joinToken, SEED_SYNC);
            assertThat(sync.json().at("/assigned_job/job_id").asText()).as("attempt " + attempt + ": " + sync).isEqualTo(jobId);
            Reply failed = http.post("/api/v1/jobs/" + jobId + "/finalize", joinToken, SEED_FAILURE);
            assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
            states.add(failed.json().path("state").asText());
        }
        assertThat(states).containsExactly("QUEUED", "QUEUED", "FAILED");

        JsonNode view = jobView(jobId);
        assertThat(view.path("state").asText()).isEqualTo("FAILED");
        assertThat(view.path("error").asText()).contains("input file does not exist: /mnt/nas/movies/sample.mkv");
        assertThat(view.at("/tasks/0/attempts").asInt()).isEqualTo(3);
        assertThat(eventTypes(view)).filteredOn("failed"::equals).hasSize(3);
        assertThat(http.post("/api/v1/workers/sync", joinToken, SEED_SYNC).json().has("assigned_job"))
                .as("a failed job is not handed out again").isFalse();
    }

    // =====================================================================================
    // 2. long poll
    // =====================================================================================

    @Test
    public void aWaitingWorkerReceivesAJobSubmittedDuringItsLongPollInThatSameCall() throws InterruptedException {
        start(WORKER_TIMEOUT);
        Worker worker = registerSpoolWorker("gpu-box-1");

        Reply empty = http.post("/api/v1/workers/sync", worker.credential(), sync(worker, "IDLE", 300));
        assertThat(empty.status()).as(empty.toString()).isEqualTo(200);
        assertThat(empty.json().has("assigned_job")).isFalse();
        assertThat(empty.millis()).as("a poll with no work lasts about wait_ms").isBetween(280L, 3_000L);

        CompletableFuture<Reply> waiting = http.send("POST", "/api/v1/workers/sync", worker.credential(), """
                {"worker_id":"gpu-box-1","status":"IDLE","hardware_stats":{"cpu_percent":3.5},"wait_ms":10000}""");
        // the sync has recorded its heartbeat, so it is past the first claim and waiting
        Poll.until(Duration.ofSeconds(5), "the long poll has reached the coordinator",
                () -> workerView("gpu-box-1").path("hardware_stats").has("cpu_percent"));
        Thread.sleep(100);   // give the poll time to park: the claim below must come from a wake-up
        assertThat(waiting).as("a sync with wait_ms and no work keeps waiting").isNotDone();

        long submitted = System.nanoTime();
        String jobId = submit(job("movies/late.mkv", ""));
        Reply reply = waiting.join();
        long latencyMs = Duration.ofNanos(reply.receivedNanos() - submitted).toMillis();
        System.out.printf("long poll: job reached the waiting worker %d ms after submit (sync open %d ms, %s)%n",
                latencyMs, reply.millis(), getClass().getSimpleName());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().at("/assigned_job/job_id").asText()).isEqualTo(jobId);
        assertThat(reply.millis()).as("well before wait_ms ran out").isLessThan(5_000L);
        assertThat(latencyMs).isLessThan(5_000L);
    }

    @Test
    public void manyLongPollsWaitAsFuturesWithoutThreadsAndASubmitReachesExactlyOneOfThem() throws InterruptedException {
        start(WORKER_TIMEOUT);
        int polls = 40;
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < polls; i++) workers.add(registerSpoolWorker("idle-" + i));
        List<CompletableFuture<Reply>> waiting = new ArrayList<>();
        for (Worker w : workers) waiting.add(http.send("POST", "/api/v1/workers/sync", w.credential(), sync(w, "IDLE", 5_000)));
        // each parked poll is one future in the waiter: none holds a request thread while it waits
        Poll.until(Duration.ofSeconds(10), "every long poll is parked in the waiter", () -> coordinator.waiter().waiting() == polls);
        assertThat(waiting).noneMatch(CompletableFuture::isDone);

        String jobId = submit(job("movies/crowd.mkv", ""));
        Poll.until(Duration.ofSeconds(10), "one long poll got the job", () -> waiting.stream().anyMatch(CompletableFuture::isDone));
        List<Reply> replies = waiting.stream().map(CompletableFuture::join).toList();
        List<Reply> assigned = replies.stream().filter(r -> r.json().has("assigned_job")).toList();
        assertThat(replies).allMatch(r -> r.status() == 200, "every poll answered 200");
        assertThat(assigned).as("exactly one of %d idle workers got the job", polls).hasSize(1);
        assertThat(assigned.getFirst().json().at("/assigned_job/job_id").asText()).isEqualTo(jobId);
        long firstEmpty = replies.stream().filter(r -> !r.json().has("assigned_job")).mapToLong(Reply::receivedNanos).min().orElseThrow();
        assertThat(assigned.getFirst().receivedNanos()).as("the job came at the submit, not when the polls ran out").isLessThan(firstEmpty);
        assertThat(coordinator.waiter().waiting()).as("a poll that ran out is forgotten").isZero();
    }

    // =====================================================================================
    // 3. leases and fencing
    // =====================================================================================

    @Test
    public void reportsWithAWrongLeaseAreRefusedAndChangeNothing() {
        start(WORKER_TIMEOUT);
        Worker worker = registerSpoolWorker("fenced-1");
        String jobId = submit(job("movies/a.mkv", ""));
        JsonNode assigned = claim(worker);
        String lease = assigned.at("/lease/lease_id").asText();
        assertThat(lease).isNotBlank();
        assertThat(Instant.parse(assigned.at("/lease/expires_at").asText())).isAfter(Instant.now());

        Reply progress = http.patch("/api/v1/jobs/" + jobId, worker.credential(), progress(55, "lease_not_mine"));
        assertThat(progress.status()).as(progress.toString()).isEqualTo(409);
        assertThat(progress.error().path("field").asText()).isEqualTo("lease_id");
        Reply finalize = http.post("/api/v1/jobs/" + jobId + "/finalize", worker.credential(), completed("lease_not_mine"));
        assertThat(finalize.status()).as(finalize.toString()).isEqualTo(409);
        assertThat(finalize.error().path("field").asText()).isEqualTo("lease_id");

        JsonNode view = jobView(jobId);
        assertThat(view.path("state").asText()).isEqualTo("RUNNING");
        assertThat(view.path("progress").asDouble()).isZero();
        assertThat(eventTypes(view)).doesNotContain("completed");

        assertThat(http.patch("/api/v1/jobs/" + jobId, worker.credential(), progress(60, lease)).status()).isEqualTo(200);
        assertThat(jobView(jobId).path("progress").asDouble()).isEqualTo(60.0);
    }

    @Test
    public void aTaskWhoseWorkerStopsSyncingGoesToAnotherWorkerAndTheFirstCannotFinishIt() {
        start(SHORT_WORKER_TIMEOUT);
        Worker first = registerSpoolWorker("stalls-1");
        Worker second = registerSpoolWorker("steady-2");
        String jobId = submit(job("movies/a.mkv", ""));
        String firstLease = claim(first).at("/lease/lease_id").asText();
        assertThat(http.patch("/api/v1/jobs/" + jobId, first.credential(), progress(1, firstLease)).status()).isEqualTo(200);

        // first, which acknowledged the task by its progress, now goes silent; second long-polls and
        // gets the task once the reaper re-queues it
        Reply handedOver = http.post("/api/v1/workers/sync", second.credential(), sync(second, "IDLE", 10_000));
        assertThat(handedOver.json().at("/assigned_job/job_id").asText()).as(handedOver.toString()).isEqualTo(jobId);
        String secondLease = handedOver.json().at("/assigned_job/lease/lease_id").asText();
        assertThat(secondLease).isNotEqualTo(firstLease);
        JsonNode reassigned = jobView(jobId);
        assertThat(reassigned.at("/tasks/0/worker").asText()).isEqualTo("steady-2");
        assertThat(reassigned.at("/tasks/0/attempts").asInt()).isEqualTo(2);
        assertThat(eventTypes(reassigned)).contains("lease-expired");

        Reply late = http.post("/api/v1/jobs/" + jobId + "/finalize", first.credential(), completed(firstLease));
        assertThat(late.status()).as(late.toString()).isEqualTo(409);
        assertThat(late.error().path("field").asText()).isEqualTo("lease_id");
        Reply done = http.post("/api/v1/jobs/" + jobId + "/finalize", second.credential(), completed(secondLease));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.json().path("state").asText()).isEqualTo("COMPLETED");

        JsonNode view = jobView(jobId);
        assertThat(view.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(eventTypes(view)).filteredOn("completed"::equals).hasSize(1);
    }

    // =====================================================================================
    // 4. unknown workers
    // =====================================================================================

    @Test
    public void aSyncFromAnUnknownWorkerIsNotFoundUntilItRegisters() {
        start(WORKER_TIMEOUT);
        Reply unknown = http.post("/api/v1/workers/sync", joinToken, SEED_SYNC);
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.error().path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(unknown.error().path("field").asText()).isEqualTo("worker_id");

        assertThat(http.post("/api/v1/workers/register", joinToken, SEED_REGISTER).status()).isEqualTo(200);
        Reply known = http.post("/api/v1/workers/sync", joinToken, SEED_SYNC);
        assertThat(known.status()).as(known.toString()).isEqualTo(200);
        assertThat(known.json().path("ack").asBoolean()).isTrue();
    }

    @Test
    public void aSpoolWorkerThatLeftLosesItsCredentialAndMustRegisterAgain() {
        start(WORKER_TIMEOUT);
        Worker worker = registerSpoolWorker("forgotten-1");
        Reply left = http.post("/api/v1/workers/forgotten-1/deregister", worker.credential(), "{}");
        assertThat(left.status()).as(left.toString()).isEqualTo(200);

        Reply revoked = http.post("/api/v1/workers/sync", worker.credential(), sync(worker, "IDLE", 0));
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(401);
        assertThat(revoked.error().path("code").asText()).isEqualTo("UNAUTHORIZED");

        Worker again = registerSpoolWorker("forgotten-1");
        String jobId = submit(job("movies/a.mkv", ""));
        assertThat(claim(again).path("job_id").asText()).isEqualTo(jobId);
    }

    @Test
    public void anNvencJobFromTheSeedGoesOnlyToAWorkerWhoseNvencWorks() {
        start(WORKER_TIMEOUT);
        Worker cpuOnly = registerSpoolWorker("cpu-only");
        String jobId = submit("""
                {"input":"movies/a.mkv","outputs":[{"resolution":"720p","bitrate":"2500k","codec":"h264_nvenc",
                 "dest_path":"processed/a/720p/"}]}""");

        Reply nothing = http.post("/api/v1/workers/sync", cpuOnly.credential(), sync(cpuOnly, "IDLE", 0));
        assertThat(nothing.json().has("assigned_job")).as("libx264 alone does not fit an h264_nvenc job").isFalse();

        assertThat(http.post("/api/v1/workers/register", joinToken, SEED_REGISTER).status()).isEqualTo(200);
        Reply seed = http.post("/api/v1/workers/sync", joinToken, SEED_SYNC);
        assertThat(seed.json().path("assigned_job").path("job_id").asText()).isEqualTo(jobId);
        assertThat(seed.json().path("assigned_job").path("outputs").get(0).path("codec").asText()).isEqualTo("h264_nvenc");
    }

    // =====================================================================================
    // 5. auth
    // =====================================================================================

    @Test
    public void everyRouteButHealthNeedsAToken() {
        // 24 bad or missing tokens at once, past the per-address burst of 20 (LimitsApiTest answers those 429)
        start(WORKER_TIMEOUT, new Limits(Limits.DEFAULT_REQUESTS, Limits.DEFAULT_BYTES, null, Limits.DEFAULT_MAX_UPLOAD_BYTES));
        String jobId = submit(job("movies/a.mkv", ""));
        Reply health = http.get("/api/v1/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("ok");

        List<String[]> routes = List.of(
                new String[] {"GET", "/api/v1/jobs"}, new String[] {"POST", "/api/v1/jobs"},
                new String[] {"GET", "/api/v1/jobs/" + jobId}, new String[] {"POST", "/api/v1/jobs/" + jobId + "/cancel"},
                new String[] {"PATCH", "/api/v1/jobs/" + jobId}, new String[] {"POST", "/api/v1/jobs/" + jobId + "/finalize"},
                new String[] {"GET", "/api/v1/workers"}, new String[] {"POST", "/api/v1/workers/register"},
                new String[] {"POST", "/api/v1/workers/sync"}, new String[] {"POST", "/api/v1/workers/desktop-gaming-pc/deregister"},
                new String[] {"GET", "/api/v1/queue"}, new String[] {"GET", "/api/v1/openapi.json"});
        for (String[] route : routes) {
            String body = route[0].equals("GET") ? null : SEED_REGISTER;
            for (String token : new String[] {null, "spool_c_not-a-real-token"}) {
                Reply denied = http.send(route[0], route[1], token, body).join();
                assertThat(denied.status()).as(route[0] + " " + route[1] + " with token " + token + ": " + denied).isEqualTo(401);
                assertThat(denied.error().path("code").asText()).isEqualTo("UNAUTHORIZED");
                assertNoLeaks(denied);
            }
        }
        assertThat(jobView(jobId).path("state").asText()).as("nothing was changed").isEqualTo("QUEUED");
        assertThat(workers()).isEmpty();
    }

    @Test
    public void clientAndWorkerTokensAreRefusedOnEachOthersRoutes() {
        start(WORKER_TIMEOUT);
        Worker worker = registerSpoolWorker("w-1");
        Reply clientSync = http.post("/api/v1/workers/sync", clientToken, SEED_SYNC);
        assertThat(clientSync.status()).as(clientSync.toString()).isEqualTo(403);
        assertThat(clientSync.error().path("code").asText()).isEqualTo("FORBIDDEN");
        Reply clientRegister = http.post("/api/v1/workers/register", clientToken, SEED_REGISTER);
        assertThat(clientRegister.status()).isEqualTo(403);

        for (String workerToken : new String[] {joinToken, worker.credential()}) {
            Reply submit = http.post("/api/v1/jobs", workerToken, SAMPLE_JOB);
            assertThat(submit.status()).as(submit.toString()).isEqualTo(403);
            assertThat(submit.error().path("code").asText()).isEqualTo("FORBIDDEN");
            assertThat(http.get("/api/v1/jobs", workerToken).status()).isEqualTo(403);
            assertThat(http.get("/api/v1/workers", workerToken).status()).isEqualTo(403);
        }
        assertThat(jobs()).isEmpty();
        assertThat(workers()).extracting(w -> w.path("worker_id").asText()).containsExactly("w-1");
    }

    @Test
    public void aWorkersCredentialCannotSpeakForAnotherWorker() {
        start(WORKER_TIMEOUT);
        Worker a = registerSpoolWorker("worker-a");
        Worker b = registerSpoolWorker("worker-b");
        String jobId = submit(job("movies/a.mkv", ""));

        Reply impostor = http.post("/api/v1/workers/sync", a.credential(), """
                {"worker_id":"worker-b","status":"IDLE","hardware_stats":{"cpu_percent":99.0},"wait_ms":0}""");
        assertThat(impostor.status()).as(impostor.toString()).isBetween(400, 499);
        assertThat(impostor.error().path("field").asText()).isEqualTo("worker_id");
        assertThat(impostor.json().has("assigned_job")).isFalse();

        JsonNode bView = workerView("worker-b");
        assertThat(bView.path("status").asText()).isEqualTo("IDLE");
        assertThat(bView.has("hardware_stats")).as("b's heartbeat was not touched").isFalse();
        assertThat(jobView(jobId).path("state").asText()).as("nothing was claimed").isEqualTo("QUEUED");
        assertThat(claim(b).path("job_id").asText()).isEqualTo(jobId);
    }

    // =====================================================================================
    // 6. bad input
    // =====================================================================================

    @Test
    public void badJobsAreRefusedWithTheFieldNamedAndNothingIsStored() {
        start(WORKER_TIMEOUT);
        record Bad(String why, String body, String field) {}
        List<Bad> cases = List.of(
                new Bad("malformed JSON", "{\"input\": \"movies/a.mkv\",", "body"),
                new Bad("an empty body", "", "body"),
                new Bad("a JSON array", "[]", "body"),
                new Bad("an unknown field", job("movies/a.mkv", ", \"colour\": \"red\""), "colour"),
                new Bad("an unknown field in a rendition", """
                        {"input":"movies/a.mkv","output":"processed/a",
                         "outputs":[{"resolution":"720p","codec":"h264","colour":"red"}]}""", "outputs[0].colour"),
                new Bad("no input", """
                        {"output":"processed/a","outputs":[{"resolution":"720p","codec":"h264"}]}""", "input"),
                new Bad("an unknown resolution", """
                        {"input":"movies/a.mkv","output":"processed/a","outputs":[{"resolution":"999p","codec":"h264"}]}""",
                        "outputs[].resolution"),
                new Bad("an unknown codec", """
                        {"input":"movies/a.mkv","output":"processed/a","outputs":[{"resolution":"720p","codec":"mpeg2"}]}""",
                        "outputs[].codec"),
                new Bad("a misspelt priority", job("movies/a.mkv", ", \"priority\": \"HIHG\""), "priority"),
                new Bad("a zero segment time", job("movies/a.mkv", ", \"hls_settings\": {\"segment_time\": 0}"),
                        "hls_settings.segment_time"),
                new Bad("the input given twice (the second would win)", job("movies/a.mkv", ", \"input\": \"/etc/passwd\""), "input"),
                new Bad("a control character in a label", job("movies/a.mkv", ", \"labels\": {\"movie_id\": \"42\\u001b[2J\"}"),
                        "labels.movie_id"));
        for (Bad bad : cases) {
            Reply refused = http.post("/api/v1/jobs", clientToken, bad.body());
            assertThat(refused.status()).as(bad.why() + ": " + refused).isEqualTo(400);
            assertThat(refused.error().path("code").asText()).as(bad.why()).isEqualTo("INVALID");
            assertThat(refused.error().path("message").asText()).as(bad.why()).isNotBlank();
            assertThat(refused.error().path("field").asText()).as(bad.why() + ": " + refused).isEqualTo(bad.field());
            assertNoLeaks(refused);
        }
        assertThat(http.post("/api/v1/jobs", clientToken, job("movies/a.mkv", ", \"priority\": \"HIHG\""))
                .error().path("message").asText()).as("the message lists what is allowed").contains("HIGH", "NORMAL", "LOW");

        Reply huge = http.post("/api/v1/jobs", clientToken, "{\"input\":\"" + "a".repeat(1024 * 1024) + "\"}");
        assertThat(huge.status()).as("a body over 1 MiB").isEqualTo(413);
        assertNoLeaks(huge);

        assertThat(jobs()).as("no bad request stored a job").isEmpty();

        Reply malformedId = http.get("/api/v1/jobs/not-an-id", clientToken);
        assertThat(malformedId.status()).as(malformedId.toString()).isEqualTo(400);
        assertThat(malformedId.error().path("code").asText()).isEqualTo("INVALID");
        assertThat(malformedId.error().path("field").asText()).isEqualTo("job_id");
        Reply unknownId = http.get("/api/v1/jobs/job_0000000000abcdef", clientToken);
        assertThat(unknownId.status()).as(unknownId.toString()).isEqualTo(404);
        assertThat(unknownId.error().path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(unknownId.error().path("message").asText()).as("our own 404, not the no-route one").isEqualTo("no job job_0000000000abcdef");
        Reply unknownRetry = http.post("/api/v1/jobs/job_0000000000abcdef/retry", clientToken, "");
        assertThat(unknownRetry.error().path("message").asText()).isEqualTo("no job job_0000000000abcdef");
        Reply malformedPatch = http.patch("/api/v1/jobs/not-an-id", joinToken, SEED_PROGRESS);
        assertThat(malformedPatch.status()).as(malformedPatch.toString()).isEqualTo(400);
        for (Reply r : List.of(malformedId, unknownId, malformedPatch)) assertNoLeaks(r);

        assertThat(http.get("/api/v1/queue", clientToken).json().path("total").asInt()).isZero();
    }

    @Test
    public void seedZerosJobKnobsAreCheckedByFieldAndASeedWorkerGetsItsRenditionsCappedByVideoBitrate() {
        start(WORKER_TIMEOUT);
        record Bad(String why, String extra, String field) {}
        List<Bad> cases = List.of(
                new Bad("ts segments for an MP4 output", ", \"format\": \"mp4\", \"segment_format\": \"ts\"", "segment_format"),
                new Bad("opus in MPEG-TS", ", \"audio_codec\": \"opus\", \"segment_format\": \"ts\"", "audio_codec"),
                new Bad("an unknown audio codec", ", \"audio_codec\": \"mp3\"", "audio_codec"),
                new Bad("an audio bitrate that is not one", ", \"audio_bitrate\": \"loud\"", "audio_bitrate"),
                new Bad("an audio bitrate too high", ", \"audio_bitrate\": 1000000", "audio_bitrate"),
                new Bad("a video cap of ten bits per second", ", \"video_bitrate\": 10", "video_bitrate"));
        for (Bad bad : cases) {
            Reply refused = http.post("/api/v1/jobs", clientToken, job("movies/a.mkv", bad.extra()));
            assertThat(refused.status()).as(bad.why() + ": " + refused).isEqualTo(400);
            assertThat(refused.error().path("field").asText()).as(bad.why() + ": " + refused).isEqualTo(bad.field());
            assertThat(refused.error().path("message").asText()).as(bad.why()).startsWith(bad.field() + " ");
        }
        assertThat(jobs()).as("no bad request stored a job").isEmpty();

        // seed 000's own form: integers in bits per second
        String jobId = submit("""
                {"input":"movies/sample.mkv","labels":{"movie_id":"m-1"},"video_bitrate":1500000,"audio_codec":"opus",
                 "audio_bitrate":96000,"outputs":[{"resolution":"720p","bitrate":"2500k","dest_path":"processed/sample/720p/"},
                 {"resolution":"480p","dest_path":"processed/sample/480p/"}]}""");
        JsonNode spec = jobView(jobId).path("spec");
        assertThat(spec.path("audio_codec").asText()).isEqualTo("opus");
        assertThat(spec.path("video_bitrate").asText()).isEqualTo("1500000");

        assertThat(http.post("/api/v1/workers/register", joinToken, SEED_REGISTER).status()).isEqualTo(200);
        JsonNode job = http.post("/api/v1/workers/sync", joinToken, SEED_SYNC).json().path("assigned_job");
        assertThat(job.path("job_id").asText()).isEqualTo(jobId);
        assertThat(job.path("outputs").findValuesAsText("bitrate")).as("720p asked 2500k, 480p's ladder cap is 1400k")
                .containsExactly("1500k", "1400k");
    }

    @Test
    public void aBodyOverOneMebibyteIsRefusedEvenWhenItIsSentWithoutAContentLength() {
        start(WORKER_TIMEOUT);
        // a valid job padded with 2 MiB of JSON whitespace: only the size is wrong with it
        String padded = job("movies/a.mkv", "") + " ".repeat(2 * 1024 * 1024);
        Reply chunked = http.postChunked("/api/v1/jobs", clientToken, padded);
        assertThat(chunked.status()).as("a chunked body over 1 MiB: " + chunked).isEqualTo(413);
        assertThat(chunked.error().path("field").asText()).isEqualTo("body");
        assertNoLeaks(chunked);
        assertThat(jobs()).as("nothing was stored").isEmpty();
    }

    @Test
    public void aBodyThatNeverEndsIsAnsweredOnceItPassesTheLimitNotWhenItEnds() throws Exception {
        start(WORKER_TIMEOUT);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", coordinator.port())) {
            socket.setSoTimeout((int) RawHttp.REQUEST_TIMEOUT.toMillis());
            var out = socket.getOutputStream();
            out.write(("POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + clientToken
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes());
            String opening = "{\"input\":\"";
            out.write((Integer.toHexString(opening.length()) + "\r\n" + opening + "\r\n").getBytes());
            byte[] chunk = (Integer.toHexString(64 * 1024) + "\r\n" + "a".repeat(64 * 1024) + "\r\n").getBytes();
            for (int i = 0; i < 32; i++) out.write(chunk);   // 2 MiB, then nothing more and no last chunk: the body never ends
            out.flush();
            // a coordinator that read bodies whole before it checked them would wait here for the end
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream())).readLine();
            assertThat(status).as("the reply to a body that never ends").contains(" 413 ");
        }
        assertThat(jobs()).as("nothing was stored").isEmpty();
    }

    @Test
    public void aValueOfTheWrongKindIsNamedInJsonWordsNotJavaTypes() {
        start(WORKER_TIMEOUT);
        Reply list = http.post("/api/v1/jobs", clientToken, "{\"input\":\"/a.mp4\",\"output\":\"/o\",\"outputs\":\"360p\"}");
        assertThat(list.status()).isEqualTo(400);
        assertThat(list.error().path("field").asText()).isEqualTo("outputs");
        assertThat(list.error().path("message").asText()).isEqualTo("outputs must be a JSON array, not a string");
        Reply text = http.post("/api/v1/jobs", clientToken, "{\"input\":[\"/a.mp4\"],\"output\":\"/o\",\"outputs\":[{\"resolution\":\"360p\"}]}");
        assertThat(text.error().path("message").asText()).isEqualTo("input must be a string, not an array");
        assertNoLeaks(list);
        assertNoLeaks(text);
        Reply deep = http.post("/api/v1/jobs", clientToken, "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000));
        assertThat(deep.status()).isEqualTo(400);
        assertThat(deep.error().path("field").asText()).isEqualTo("body");
        assertThat(deep.error().path("message").asText()).contains("nested too deep").doesNotContain("StreamReadConstraints", "`");
    }

    @Test
    public void aPathJettyRefusesBeforeAnyRouteIsAnsweredInTheSameErrorShape() {
        start(WORKER_TIMEOUT);
        // Jetty refuses an encoded NUL itself; its own page was HTML, which no client of the API reads
        Reply nul = http.get("/api/v1/files/in/a%00b", clientToken);
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.error().path("code").asText()).as(nul.toString()).isEqualTo("INVALID");
        assertThat(nul.error().path("field").asText()).isEqualTo("key");
        assertThat(nul.error().path("message").asText()).contains("NUL");
        assertNoLeaks(nul);
        Reply padded = http.getWith("/api/v1/jobs", clientToken, "X-Padding", "p".repeat(64 * 1024));
        assertThat(padded.status()).isEqualTo(431);
        assertThat(padded.error().path("code").asText()).as(padded.toString()).isEqualTo("TOO_LARGE");
        assertThat(padded.error().path("message").asText()).contains("headers are too large");
    }

    @Test
    public void anUnknownRouteIsNotFoundInTheSameErrorShape() {
        start(WORKER_TIMEOUT);
        Reply missing = http.get("/api/v1/no-such-route", clientToken);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error().path("code").asText()).as("body: " + missing.body()).isEqualTo("NOT_FOUND");
        assertThat(missing.error().path("message").asText()).isNotBlank();
    }

    // =====================================================================================
    // 7. idempotency, cancel, queue, workers, listing
    // =====================================================================================

    @Test
    public void aRepeatedIdempotencyKeyReturnsTheFirstJob() {
        start(WORKER_TIMEOUT);
        String body = job("movies/a.mkv", ", \"idempotency_key\": \"upload-42\"");
        Reply first = http.post("/api/v1/jobs", clientToken, body);
        Reply again = http.post("/api/v1/jobs", clientToken, body);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().path("job_id").asText()).isEqualTo(first.json().path("job_id").asText());
        assertThat(jobs()).hasSize(1);
    }

    @Test
    public void cancellingALeasedJobTellsItsWorkerAndRefusesASecondCancel() {
        start(WORKER_TIMEOUT);
        Worker worker = registerSpoolWorker("cancel-me");
        String jobId = submit(job("movies/a.mkv", ""));
        String lease = claim(worker).at("/lease/lease_id").asText();

        Reply cancelled = http.post("/api/v1/jobs/" + jobId + "/cancel", clientToken, null);
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().path("state").asText()).isEqualTo("CANCELLED");

        Reply sync = http.post("/api/v1/workers/sync", worker.credential(), """
                {"worker_id":"cancel-me","status":"BUSY","current_job_id":"%s"}""".formatted(jobId));
        assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
        assertThat(sync.json().path("cancel")).isEqualTo(RawHttp.JSON.createArrayNode().add(jobId));

        Reply stopped = http.post("/api/v1/jobs/" + jobId + "/finalize", worker.credential(), """
                {"status":"FAILED","error_msg":"stopped: cancelled","lease_id":"%s"}""".formatted(lease));
        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        assertThat(stopped.json().path("state").asText()).isEqualTo("CANCELLED");
        assertThat(http.post("/api/v1/workers/sync", worker.credential(), sync(worker, "IDLE", 0)).json().has("cancel"))
                .as("the stop was acknowledged").isFalse();

        Reply again = http.post("/api/v1/jobs/" + jobId + "/cancel", clientToken, null);
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.error().path("code").asText()).isEqualTo("CONFLICT");
        JsonNode view = jobView(jobId);
        assertThat(view.path("state").asText()).isEqualTo("CANCELLED");
        assertThat(eventTypes(view)).doesNotContain("completed", "failed");
    }

    @Test
    public void theQueueCountsQueuedTasksByPoolAndPriorityAndWorkersAreListedWithTheirCapabilities() throws IOException {
        start(WORKER_TIMEOUT);
        submit(job("movies/1.mkv", ", \"priority\": \"HIGH\""));
        submit(job("movies/2.mkv", ", \"priority\": \"HIGH\""));
        submit(job("movies/3.mkv", ""));
        submit(job("movies/4.mkv", ", \"priority\": \"LOW\""));
        Reply queue = http.get("/api/v1/queue", clientToken);
        assertThat(queue.status()).as(queue.toString()).isEqualTo(200);
        assertThat(queue.json().path("total").asInt()).isEqualTo(4);
        assertThat(queue.json().path("depth")).isEqualTo(RawHttp.JSON.readTree("""
                [{"pool":"transcode","priority":"HIGH","count":2},
                 {"pool":"transcode","priority":"NORMAL","count":1},
                 {"pool":"transcode","priority":"LOW","count":1}]"""));

        assertThat(http.post("/api/v1/workers/register", joinToken, SEED_REGISTER).status()).isEqualTo(200);
        registerSpoolWorker("spool-2");
        List<JsonNode> workers = workers();
        assertThat(workers).extracting(w -> w.path("worker_id").asText()).containsExactlyInAnyOrder("desktop-gaming-pc", "spool-2");
        assertThat(workerView("desktop-gaming-pc").path("capabilities"))
                .isEqualTo(RawHttp.JSON.readTree(SEED_REGISTER).path("capabilities"));
        assertThat(workerView("desktop-gaming-pc").path("status").asText()).isEqualTo("IDLE");
        assertThat(workerView("spool-2").path("protocol").asInt()).isEqualTo(2);
    }

    @Test
    public void jobsAreListedByStateAndLabelOnePageAtATime() {
        start(WORKER_TIMEOUT);
        Worker worker = registerSpoolWorker("lister");
        Set<String> wanted = new HashSet<>();
        wanted.add(submit(job("movies/1.mkv", ", \"labels\": {\"movie_id\": \"456\"}")));
        submit(job("movies/2.mkv", ", \"labels\": {\"movie_id\": \"789\"}"));
        wanted.add(submit(job("movies/3.mkv", ", \"labels\": {\"movie_id\": \"456\"}")));
        for (int i = 0; i < 3; i++) {
            JsonNode assigned = claim(worker);
            Reply done = http.post("/api/v1/jobs/" + assigned.path("job_id").asText() + "/finalize", worker.credential(),
                    completed(assigned.at("/lease/lease_id").asText()));
            assertThat(done.status()).as(done.toString()).isEqualTo(200);
        }
        submit(job("movies/4.mkv", ", \"labels\": {\"movie_id\": \"456\"}"));   // queued: not COMPLETED

        Reply first = http.get("/api/v1/jobs?state=COMPLETED&label=movie_id=456&limit=1", clientToken);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().path("jobs")).hasSize(1);
        String cursor = first.json().path("next_cursor").asText();
        assertThat(cursor).isNotBlank();
        Reply second = http.get("/api/v1/jobs?state=COMPLETED&label=movie_id=456&limit=1&cursor="
                + URLEncoder.encode(cursor, StandardCharsets.UTF_8), clientToken);
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.json().path("jobs")).hasSize(1);
        assertThat(second.json().path("next_cursor").isNull() || second.json().path("next_cursor").isMissingNode())
                .as("the last page has no next_cursor: " + second).isTrue();

        Set<String> seen = new HashSet<>();
        for (Reply page : List.of(first, second)) {
            JsonNode listed = page.json().path("jobs").path(0);
            assertThat(listed.path("state").asText()).isEqualTo("COMPLETED");
            assertThat(listed.at("/labels/movie_id").asText()).isEqualTo("456");
            seen.add(listed.path("job_id").asText());
        }
        assertThat(seen).isEqualTo(wanted);
    }

    // =====================================================================================
    // 8. restart
    // =====================================================================================

    @Test
    public void aRestartedCoordinatorHonoursTheLeasesItGrantedBefore() {
        start(WORKER_TIMEOUT);
        Worker worker = registerSpoolWorker("survivor");
        String jobId = submit(job("movies/a.mkv", ""));
        String lease = claim(worker).at("/lease/lease_id").asText();
        assertThat(http.patch("/api/v1/jobs/" + jobId, worker.credential(), progress(30, lease)).status()).isEqualTo(200);

        coordinator.close();
        coordinator = null;
        start(WORKER_TIMEOUT);

        JsonNode view = jobView(jobId);
        assertThat(view.path("state").asText()).isEqualTo("RUNNING");
        assertThat(view.at("/tasks/0/state").asText()).isEqualTo("LEASED");
        assertThat(view.at("/tasks/0/worker").asText()).isEqualTo("survivor");
        assertThat(view.path("progress").asDouble()).isEqualTo(30.0);

        Reply heartbeat = http.post("/api/v1/workers/sync", worker.credential(), """
                {"worker_id":"survivor","status":"BUSY","current_job_id":"%s"}""".formatted(jobId));
        assertThat(heartbeat.status()).as("the worker and its credential survived: " + heartbeat).isEqualTo(200);
        assertThat(http.patch("/api/v1/jobs/" + jobId, worker.credential(), progress(90, "lease_forged")).status()).isEqualTo(409);
        Reply progress = http.patch("/api/v1/jobs/" + jobId, worker.credential(), progress(90, lease));
        assertThat(progress.status()).as(progress.toString()).isEqualTo(200);
        Reply done = http.post("/api/v1/jobs/" + jobId + "/finalize", worker.credential(), completed(lease));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.json().path("state").asText()).isEqualTo("COMPLETED");
        assertThat(jobView(jobId).at("/tasks/0/attempts").asInt()).isEqualTo(1);
    }

    @Test
    public void aFinalizeMayCarryTheOutputsStatisticsWhichTheJobThenShowsAsItsResult() throws IOException {
        start(WORKER_TIMEOUT);
        Worker worker = registerSpoolWorker("measurer");
        String jobId = submit(job("movies/a.mkv", ""));
        String lease = claim(worker).at("/lease/lease_id").asText();
        Reply negative = http.patch("/api/v1/jobs/" + jobId, worker.credential(), """
                {"progress":10,"frames_done":-1,"lease_id":"%s"}""".formatted(lease));
        assertThat(negative.status()).as(negative.toString()).isEqualTo(400);
        assertThat(negative.error().path("field").asText()).isEqualTo("frames_done");

        Reply progress = http.patch("/api/v1/jobs/" + jobId, worker.credential(), """
                {"progress":10,"current_fps":50,"speed":1.5,"eta_sec":30,"frames_done":300,"lease_id":"%s"}""".formatted(lease));
        assertThat(progress.status()).as(progress.toString()).isEqualTo(200);
        assertThat(jobView(jobId).path("speed").asDouble()).isEqualTo(1.5);
        assertThat(jobView(jobId).at("/tasks/0/frames_done").asLong()).isEqualTo(300);
        Reply done = http.post("/api/v1/jobs/" + jobId + "/finalize", worker.credential(), """
                {"status":"COMPLETED","manifest_url":"/processed/a/master.m3u8","lease_id":"%s",
                 "metrics":{"total_time_ms":1000,"frames_encoded":720,"duration_seconds":24.0,"output_size_bytes":123456}}""".formatted(lease));

        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(jobView(jobId).path("result")).isEqualTo(RawHttp.JSON.readTree(
                "{\"frames_encoded\":720,\"duration_seconds\":24.0,\"output_size_bytes\":123456}"));
    }

    @Test
    void aWorkerReadsAndWritesOnlyTheFilesOfTheJobsItHolds() {
        start(WORKER_TIMEOUT);
        Worker w = registerSpoolWorker("files-1");
        assertThat(http.put("/api/v1/files/uploads/u1/a.mp4", clientToken, "the input").status()).isEqualTo(201);
        assertThat(http.put("/api/v1/files/uploads/u2/b.mp4", clientToken, "someone else's").status()).isEqualTo(201);
        assertThat(http.get("/api/v1/files/uploads/u1/a.mp4", w.credential()).status()).as("holds no task yet").isEqualTo(403);
        submit("""
                {"input":"spool://uploads/u1/a.mp4","output":"spool://outputs/a","outputs":[{"resolution":"360p"}],"piece_seconds":0}""");
        Reply assigned = http.post("/api/v1/workers/sync", w.credential(), sync(w, "IDLE", 0));
        assertThat(assigned.json().path("assigned_job").path("kind").asText()).isEqualTo("transcode");

        Reply input = http.get("/api/v1/files/uploads/u1/a.mp4", w.credential());
        assertThat(input.status()).isEqualTo(200);
        assertThat(input.body()).isEqualTo("the input");
        assertThat(http.get("/api/v1/files/uploads/u2/b.mp4", w.credential()).status()).as("another job's input").isEqualTo(403);
        assertThat(http.put("/api/v1/files/uploads/u1/a.mp4", w.credential(), "overwritten").status()).as("inputs are read-only").isEqualTo(403);
        assertThat(http.put("/api/v1/files/outputs/a/index.m3u8", w.credential(), "#EXTM3U").status()).isEqualTo(201);
        assertThat(http.put("/api/v1/files/outputs/b/index.m3u8", w.credential(), "#EXTM3U").status()).as("another output").isEqualTo(403);
        assertThat(http.get("/api/v1/files?prefix=outputs/a", clientToken).json().path("keys").toString())
                .isEqualTo("[\"outputs/a/index.m3u8\"]");
        assertThat(http.get("/api/v1/files/uploads/u1/a.mp4", joinToken).status()).as("the shared join token").isEqualTo(403);
        assertThat(http.put("/api/v1/files/outputs/ab/x", w.credential(), "x").status()).as("outputs/a is not outputs/ab").isEqualTo(403);
        assertThat(http.put("/api/v1/files/outputs/.a.spool-pieces-" + jobId(assigned) + "/video-0.l/240p/index.m3u8",
                w.credential(), "#EXTM3U").status()).as("the job's pieces").isEqualTo(201);
        assertThat(http.get("/api/v1/files?prefix=", w.credential()).status()).as("the whole store").isEqualTo(403);
        assertThat(http.send("DELETE", "/api/v1/files/uploads/u1/a.mp4", w.credential(), null).join().status())
                .as("a worker never deletes an input").isEqualTo(403);
    }

    @Test
    void filesAreServedInRangesAndWholeUploadsOnly() {
        start(WORKER_TIMEOUT);
        assertThat(http.put("/api/v1/files/uploads/r/clip.bin", clientToken, "0123456789").status()).isEqualTo(201);

        Reply whole = http.get("/api/v1/files/uploads/r/clip.bin", clientToken);
        String etag = whole.headers().firstValue("etag").orElseThrow();
        Reply tail = http.getWith("/api/v1/files/uploads/r/clip.bin", clientToken, "Range", "bytes=4-", "If-Range", etag);
        Reply stale = http.getWith("/api/v1/files/uploads/r/clip.bin", clientToken, "Range", "bytes=4-", "If-Range", "\"other\"");
        Reply beyond = http.getWith("/api/v1/files/uploads/r/clip.bin", clientToken, "Range", "bytes=10-", "If-Range", etag);
        Reply gzip = http.getWith("/api/v1/files/uploads/r/clip.bin", clientToken, "Accept-Encoding", "gzip");

        assertThat(whole.body()).isEqualTo("0123456789");
        assertThat(tail.status()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo("456789");
        assertThat(tail.headers().firstValue("content-range")).contains("bytes 4-9/10");
        assertThat(stale.status()).as("another version: the whole file").isEqualTo(200);
        assertThat(stale.body()).isEqualTo("0123456789");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(gzip.headers().firstValue("content-encoding")).as("the length is the file's").isEmpty();
        assertThat(http.put("/api/v1/files/uploads/r", clientToken, "x").status()).as("a directory of files").isEqualTo(409);
        assertThat(http.put("/api/v1/files/uploads/r/clip.bin/inner", clientToken, "x").status()).as("under a file").isEqualTo(409);
    }

    static String jobId(Reply assigned) {
        return assigned.json().path("assigned_job").path("job_id").asText();
    }

    // =====================================================================================
    // 10. faults: dead and restarted workers, coordinator outages, escalation
    // =====================================================================================

    @Test
    public void anAssignmentItsWorkerNeverAcknowledgesGoesToALiveWorkerWithoutUsingAnAttempt() {
        start(Duration.ofSeconds(4));   // the ack timeout meets the lease: the unacknowledged rule wins
        Worker dead = registerSpoolWorker("parked-1");
        Worker live = registerSpoolWorker("alive-2");
        String jobId = submit(job("movies/a.mkv", ""));
        claim(dead);   // the reply reached no one: this worker was killed while its long poll was parked

        Reply handedOver = http.post("/api/v1/workers/sync", live.credential(), sync(live, "IDLE", 10_000));
        assertThat(jobId(handedOver)).as(handedOver.toString()).isEqualTo(jobId);
        JsonNode view = jobView(jobId);
        assertThat(view.at("/tasks/0/worker").asText()).isEqualTo("alive-2");
        assertThat(view.at("/tasks/0/attempts").asInt()).as("the unacknowledged lease used no attempt").isEqualTo(1);
        assertThat(eventTypes(view)).containsSubsequence("leased", "unacknowledged", "leased").doesNotContain("lease-expired");
    }

    @Test
    public void aSecondLiveRegistrationOfAnIdIsRefusedButARestartWithItsCredentialGetsItsWorkBackAtOnce() {
        start(WORKER_TIMEOUT);
        Worker first = registerSpoolWorker("twin");
        String jobId = submit(job("movies/a.mkv", ""));
        String lease = claim(first).at("/lease/lease_id").asText();
        assertThat(http.patch("/api/v1/jobs/" + jobId, first.credential(), progress(10, lease)).status()).isEqualTo(200);

        Reply other = http.post("/api/v1/workers/register", joinToken, """
                {"worker_id":"twin","protocol":2,"capabilities":{"supported_codecs":["libx264"]}}""");
        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(other.error().path("field").asText()).isEqualTo("worker_id");
        assertThat(other.error().path("message").asText()).contains("twin", "in use by a live worker", "--id");
        assertThat(jobView(jobId).at("/tasks/0/state").asText()).as("the live worker keeps its task").isEqualTo("LEASED");

        Reply restarted = http.post("/api/v1/workers/register", first.credential(), """
                {"worker_id":"twin","protocol":2,"capabilities":{"supported_codecs":["libx264"]}}""");
        assertThat(restarted.status()).as(restarted.toString()).isEqualTo(200);
        assertThat(restarted.json().has("credential")).as("it keeps the credential it proved itself with").isFalse();
        JsonNode view = jobView(jobId);
        assertThat(view.at("/tasks/0/state").asText()).isEqualTo("QUEUED");
        assertThat(eventTypes(view)).contains("worker-restarted").doesNotContain("lease-expired");
        JsonNode again = claim(first);
        assertThat(again.path("job_id").asText()).as("no backoff, no lease to wait for").isEqualTo(jobId);
        assertThat(http.patch("/api/v1/jobs/" + jobId, first.credential(), progress(20, lease)).status())
                .as("the previous run's lease is gone").isEqualTo(409);
    }

    @Test
    public void aCoordinatorStartingAfterAnOutageDoesNotExpireTheLeasesOfWorkersItCouldNotHear() throws InterruptedException {
        Duration lease = Duration.ofSeconds(4);
        start(lease);
        Worker worker = registerSpoolWorker("patient");
        String jobId = submit(job("movies/a.mkv", ""));
        String leaseId = claim(worker).at("/lease/lease_id").asText();
        assertThat(http.patch("/api/v1/jobs/" + jobId, worker.credential(), progress(40, leaseId)).status()).isEqualTo(200);

        coordinator.close();
        coordinator = null;
        Thread.sleep(CoordinatorConfig.OUTAGE_SILENCE.plusMillis(1_500).toMillis());   // the outage: longer than the lease too
        start(lease);

        Reply heard = http.patch("/api/v1/jobs/" + jobId, worker.credential(), progress(60, leaseId));
        assertThat(heard.status()).as("the lease got the grace: " + heard).isEqualTo(200);
        JsonNode view = jobView(jobId);
        assertThat(view.at("/tasks/0/attempts").asInt()).isEqualTo(1);
        assertThat(eventTypes(view)).contains("lease-grace").doesNotContain("lease-expired");
    }

    @Test
    public void aJobThatUsedUpItsRetriesNeedsAttentionInTheViewAndTheListUntilItIsRetried() {
        start(WORKER_TIMEOUT);
        Worker worker = registerSpoolWorker("unlucky");
        String jobId = submit(job("movies/a.mkv", ""));
        for (int attempt = 1; attempt <= RETRY.maxAttempts(); attempt++) {
            String lease = claim(worker).at("/lease/lease_id").asText();
            Reply failed = http.post("/api/v1/jobs/" + jobId + "/finalize", worker.credential(), """
                    {"status":"FAILED","error_msg":"ffmpeg exited 1","lease_id":"%s"}""".formatted(lease));
            assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
        }
        String healthy = submit(job("movies/b.mkv", ""));

        JsonNode view = jobView(jobId);
        assertThat(view.path("state").asText()).isEqualTo("FAILED");
        assertThat(view.path("needs_attention").asBoolean()).isTrue();
        assertThat(view.path("attention_reason").asText()).contains("retries used up", "ffmpeg exited 1");
        assertThat(jobView(healthy).path("needs_attention").asBoolean()).isFalse();
        assertThat(listed("?needs_attention=true")).containsExactly(jobId);
        assertThat(listed("?needs_attention=false")).containsExactlyInAnyOrder(jobId, healthy);
        Reply bad = http.get("/api/v1/jobs?needs_attention=yes", clientToken);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error().path("field").asText()).isEqualTo("needs_attention");

        assertThat(http.post("/api/v1/jobs/" + jobId + "/retry", clientToken, "{}").status()).isEqualTo(200);
        assertThat(jobView(jobId).path("needs_attention").asBoolean()).isFalse();
        assertThat(listed("?needs_attention=true")).isEmpty();
    }

    private List<String> listed(String query) {
        Reply r = http.get("/api/v1/jobs" + query, clientToken);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.json().path("jobs").forEach(j -> ids.add(j.path("job_id").asText()));
        return ids;
    }

    // =====================================================================================
    // raw JSON, and the calls the tests share
    // =====================================================================================

    /** A Spool worker (protocol 2) and the credential it received at registration. */
    record Worker(String id, String credential) {}

    Worker registerSpoolWorker(String id) {
        Reply r = http.post("/api/v1/workers/register", joinToken, """
                {"worker_id":"%s","protocol":2,"slots":1,
                 "capabilities":{"supported_codecs":["libx264"],"has_gpu":false,"max_resolution":"1080p"}}""".formatted(id));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String credential = r.json().path("credential").asText();
        assertThat(credential).as("a protocol-2 worker gets its own credential").isNotBlank().isNotEqualTo(joinToken);
        return new Worker(id, credential);
    }

    static String sync(Worker w, String status, long waitMs) {
        return """
                {"worker_id":"%s","status":"%s","hardware_stats":{"cpu_percent":5.0,"ram_percent":20.0,"is_busy":false},
                 "current_job_id":"","wait_ms":%d}""".formatted(w.id(), status, waitMs);
    }

    static String progress(double percent, String leaseId) {
        return """
                {"status":"PROCESSING","progress":%s,"current_fps":30.0,"eta_sec":10,"lease_id":"%s"}"""
                .formatted(percent, leaseId);
    }

    static String completed(String leaseId) {
        return """
                {"status":"COMPLETED","manifest_url":"/processed/a/master.m3u8","metrics":{"total_time_ms":1000},
                 "lease_id":"%s"}""".formatted(leaseId);
    }

    /**
     * A small valid job that runs whole (piece_seconds 0: one transcode task); {@code extra} is
     * spliced in as more top-level fields (", \"priority\": \"LOW\"").
     */
    static String job(String input, String extra) {
        return """
                {"input":"%s","output":"processed/%s","outputs":[{"resolution":"360p","codec":"h264"}],"piece_seconds":0%s}"""
                .formatted(input, input.replaceAll("[^a-z0-9]", "_"), extra);
    }

    /** An idle sync that must come back with an assignment; returns assigned_job. */
    JsonNode claim(Worker w) {
        Reply r = http.post("/api/v1/workers/sync", w.credential(), sync(w, "IDLE", 0));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().has("assigned_job")).as("an assignment for " + w.id() + ": " + r).isTrue();
        return r.json().path("assigned_job");
    }

    String submit(String body) {
        Reply r = http.post("/api/v1/jobs", clientToken, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().path("state").asText()).isEqualTo("QUEUED");
        return r.json().path("job_id").asText();
    }

    JsonNode jobView(String jobId) {
        Reply r = http.get("/api/v1/jobs/" + jobId, clientToken);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    List<JsonNode> jobs() {
        Reply r = http.get("/api/v1/jobs", clientToken);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> jobs = new ArrayList<>();
        r.json().path("jobs").forEach(jobs::add);
        return jobs;
    }

    List<JsonNode> workers() {
        Reply r = http.get("/api/v1/workers", clientToken);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> workers = new ArrayList<>();
        r.json().path("workers").forEach(workers::add);
        return workers;
    }

    JsonNode workerView(String id) {
        return workers().stream().filter(w -> w.path("worker_id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("worker " + id + " is not listed"));
    }

    static List<String> eventTypes(JsonNode jobView) {
        List<String> types = new ArrayList<>();
        jobView.path("events").forEach(e -> types.add(e.path("type").asText()));
        return types;
    }

    /** An error reply says what went wrong, never how the code fell over. */
    static void assertNoLeaks(Reply r) {
        assertThat(r.body()).as("response body").doesNotContain("Exception").doesNotContain("at dev.");
    }
}
