package dev.spool.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.coordinator.api.RawHttp.Reply;
import dev.spool.coordinator.testing.Promtool;
import dev.spool.model.testing.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} on a real coordinator, once per database: seed 000's six names present and
 * moving as a job runs, the exposition accepted by Prometheus's own promtool, OpenMetrics on request,
 * and scraping behind a client token.
 */
public abstract class MetricsContract {
    static final Duration SETTLE = Duration.ofSeconds(15);
    private static final java.util.List<String> SEED_NAMES = java.util.List.of("transcode_jobs_total", "transcode_jobs_completed",
            "transcode_jobs_failed", "transcode_tasks_active", "transcode_worker_count", "transcode_queue_depth");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?) (\\S+)$");

    @TempDir protected Path dataDir;
    protected Coordinator coordinator;
    protected RawHttp http;
    protected String clientToken;
    protected String joinToken;

    /** The JDBC URL of a fresh database of this name, or null for SQLite in the data directory. */
    protected abstract String dbUrl(String name);

    protected Coordinator start(Path data, String dbUrl) {
        return Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, data, dbUrl, CoordinatorApiContract.WORKER_TIMEOUT,
                CoordinatorApiContract.HEARTBEAT, CoordinatorApiContract.RETRY, CoordinatorApiContract.REAPER_INTERVAL),
                Clock.systemUTC());
    }

    private void start(String name) {
        coordinator = start(dataDir, dbUrl(name));
        http = new RawHttp(coordinator.port());
        clientToken = token("SPOOL_TOKEN");
        joinToken = token("SPOOL_JOIN_TOKEN");
    }

    @AfterEach
    void stop() {
        if (coordinator != null) coordinator.close();
    }

    @Test
    void theSeedNamesAreServedAndMoveAsAJobIsClaimedRetriedAndFails() {
        start("metrics_seed_names");
        Map<String, Double> before = scrape(http, clientToken);
        assertThat(before).containsEntry("transcode_jobs_total", 0.0).containsEntry("transcode_jobs_completed", 0.0)
                .containsEntry("transcode_jobs_failed", 0.0).containsEntry("transcode_tasks_active", 0.0)
                .containsEntry("transcode_worker_count", 0.0).containsEntry("transcode_queue_depth", 0.0);

        String jobId = http.post("/api/v1/jobs", clientToken, CoordinatorApiContract.SAMPLE_JOB).json().path("job_id").asText();
        assertThat(jobId).isNotEmpty();
        settle("a queued job", m -> m.get("transcode_jobs_total") == 1 && m.get("transcode_queue_depth") == 1
                && m.get("spool_queue_depth{pool=\"transcode\",priority=\"normal\"}") == 1);

        assertThat(http.post("/api/v1/workers/register", joinToken, CoordinatorApiContract.SEED_REGISTER).status()).isEqualTo(200);
        assertThat(http.post("/api/v1/workers/sync", joinToken, CoordinatorApiContract.SEED_SYNC).json()
                .at("/assigned_job/job_id").asText()).isEqualTo(jobId);
        Map<String, Double> running = settle("a claimed job", m -> m.get("transcode_tasks_active") == 1
                && m.get("transcode_queue_depth") == 0 && m.get("transcode_worker_count") == 1);
        assertThat(running).containsEntry("spool_tasks_leased{kind=\"transcode\",pool=\"transcode\"}", 1.0)
                .containsEntry("spool_jobs{state=\"running\"}", 1.0);

        // three attempts, each failed by the worker: two retries, then the job fails and needs a person
        for (int attempt = 1; attempt <= CoordinatorApiContract.RETRY.maxAttempts(); attempt++) {
            if (attempt > 1) http.post("/api/v1/workers/sync", joinToken, CoordinatorApiContract.SEED_SYNC);
            assertThat(http.post("/api/v1/jobs/" + jobId + "/finalize", joinToken, CoordinatorApiContract.SEED_FAILURE).status())
                    .isEqualTo(200);
        }
        Map<String, Double> failed = settle("a failed job", m -> m.get("transcode_jobs_failed") == 1
                && m.get("transcode_tasks_active") == 0 && m.getOrDefault("spool_job_duration_seconds_count{outcome=\"failed\"}", 0.0) == 1);
        assertThat(failed).containsEntry("transcode_jobs_completed", 0.0).containsEntry("transcode_jobs_total", 1.0)
                .containsEntry("spool_jobs_escalated", 1.0)
                .containsEntry("spool_task_attempts_ended_total{reason=\"failed\"}", 3.0)
                .containsEntry("spool_task_attempts_ended_total{reason=\"lease_expired\"}", 0.0)
                .containsEntry("spool_events_total{type=\"submitted\"}", 1.0)
                .containsEntry("spool_job_queue_wait_seconds_count", 1.0);
        assertThat(failed.get("spool_job_duration_seconds_sum{outcome=\"failed\"}")).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void aCompletedEncodeIsObservedByItsEncoderAndEveryClaimIsTimed() {
        start("metrics_completed");
        assertThat(http.post("/api/v1/workers/register", joinToken, CoordinatorApiContract.SEED_REGISTER).status()).isEqualTo(200);
        assertThat(http.post("/api/v1/workers/sync", joinToken, CoordinatorApiContract.SEED_SYNC).json().has("assigned_job"))
                .as("an empty queue: a claim that finds nothing").isFalse();
        String jobId = http.post("/api/v1/jobs", clientToken, CoordinatorApiContract.SAMPLE_JOB).json().path("job_id").asText();
        assertThat(http.post("/api/v1/workers/sync", joinToken, CoordinatorApiContract.SEED_SYNC).json().at("/assigned_job/job_id").asText())
                .isEqualTo(jobId);
        assertThat(http.patch("/api/v1/jobs/" + jobId, joinToken, """
                {"worker_id": "desktop-gaming-pc", "status": "PROCESSING", "progress": 50, "current_fps": 60, "speed": 2.5}""").status())
                .isEqualTo(200);
        assertThat(http.post("/api/v1/jobs/" + jobId + "/finalize", joinToken, CoordinatorApiContract.SEED_SUCCESS).status()).isEqualTo(200);

        // the job's times and the task's speed are read after the commit, off its thread: both arrive a moment later
        Map<String, Double> done = settle("a completed job", m -> m.get("transcode_jobs_completed") == 1
                && m.getOrDefault("spool_encode_speed_ratio_count{encoder=\"libx264\",kind=\"transcode\"}", 0.0) == 1
                && m.getOrDefault("spool_job_duration_seconds_count{outcome=\"completed\"}", 0.0) == 1);
        assertThat(done).containsEntry("spool_encode_speed_ratio_sum{encoder=\"libx264\",kind=\"transcode\"}", 2.5)
                .containsEntry("spool_job_queue_wait_seconds_count", 1.0)
                .containsEntry("spool_claim_duration_seconds_count{found=\"yes\"}", 1.0);
        assertThat(done.get("spool_claim_duration_seconds_count{found=\"no\"}")).isEqualTo(1.0);
    }

    @Test
    void promtoolAcceptsTheTextExpositionAndOpenMetricsIsServedWhenAsked() throws Exception {
        start("metrics_promtool");
        http.post("/api/v1/jobs", clientToken, CoordinatorApiContract.SAMPLE_JOB);
        Reply text = http.get("/metrics", clientToken);
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(Promtool.check(text.body())).isEmpty();

        Reply open = http.getWith("/metrics", clientToken, "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
        // promtool parses only the Prometheus text format (OpenMetrics' info type is "unknown" to it)
        assertThat(open.body()).contains("# TYPE transcode_jobs counter", "transcode_jobs_total 1.0",
                "# TYPE transcode_queue_depth gauge").endsWith("# EOF\n");
    }

    @Test
    void theStatsEndpointTellsTheQueueAndTheWorkersAsOneObject() {
        start("metrics_stats");
        http.post("/api/v1/jobs", clientToken, CoordinatorApiContract.SAMPLE_JOB);
        http.post("/api/v1/jobs", clientToken, CoordinatorApiContract.SAMPLE_JOB.replace("sample_", "other_").replace("\"labels\"",
                "\"priority\": \"HIGH\", \"labels\""));
        assertThat(http.post("/api/v1/workers/register", joinToken, CoordinatorApiContract.SEED_REGISTER).status()).isEqualTo(200);
        com.fasterxml.jackson.databind.JsonNode stats = Poll.until(SETTLE, Duration.ofMillis(200), "two queued jobs and a worker",
                () -> http.get("/api/v1/stats", clientToken).json(),
                j -> j.at("/jobs/queued").asLong() == 2 && j.at("/workers/online").asInt() == 1);
        assertThat(stats.at("/queue/total").asInt()).isEqualTo(2);
        assertThat(stats.at("/queue/depth").toString()).contains("\"priority\":\"HIGH\"", "\"priority\":\"NORMAL\"");
        assertThat(stats.at("/workers/idle").asInt()).isEqualTo(1);
        assertThat(stats.at("/workers/slots").asInt()).isEqualTo(1);
        assertThat(stats.at("/tasks_leased").asLong()).isZero();
        assertThat(stats.at("/last_hour/completed").asLong()).isZero();
        assertThat(stats.at("/oldest_queued_seconds").asDouble()).isGreaterThanOrEqualTo(0.0);
        assertThat(stats.at("/output_bytes").asLong()).isZero();
        assertThat(stats.at("/queued_work_seconds").asDouble()).as("two jobs not yet probed, 60 s each").isEqualTo(120.0);
        // the autoscaler decides every 2 s: two queued jobs and one idle worker with a free slot keep that worker, ask no new one
        com.fasterxml.jackson.databind.JsonNode scaled = Poll.until(SETTLE, Duration.ofMillis(200), "a desired count",
                () -> http.get("/api/v1/stats", clientToken).json(), j -> j.at("/desired_workers").asInt() > 0);
        assertThat(scaled.at("/desired_workers").asInt()).isEqualTo(1);
        assertThat(scaled.at("/desired_workers_by_pool/transcode").asInt()).isEqualTo(1);
        assertThat(http.get("/metrics", clientToken).body()).contains("spool_desired_workers{pool=\"transcode\"}");
        assertThat(stats.has("at")).isTrue();
        assertThat(http.get("/api/v1/stats", joinToken).status()).isEqualTo(403);
    }

    @Test
    void withMetricsOpenAScrapeNeedsNoTokenAndTheRestStillDoes() {
        coordinator = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, dataDir, dbUrl("metrics_open"),
                CoordinatorApiContract.WORKER_TIMEOUT, CoordinatorApiContract.HEARTBEAT, CoordinatorApiContract.RETRY,
                CoordinatorApiContract.REAPER_INTERVAL).withOpenMetrics(true), Clock.systemUTC());
        http = new RawHttp(coordinator.port());
        Reply open = http.get("/metrics", null);
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.body()).contains("transcode_jobs_total 0");
        assertThat(http.get("/api/v1/stats", null).status()).isEqualTo(401);
    }

    @Test
    void scrapingNeedsAClientToken() {
        start("metrics_tokens");
        assertThat(http.get("/metrics", null).status()).isEqualTo(401);
        assertThat(http.get("/metrics", "spool_c_not-a-token").status()).isEqualTo(401);
        Reply worker = http.get("/metrics", joinToken);
        assertThat(worker.status()).isEqualTo(403);
        assertThat(worker.body()).doesNotContain("transcode_");
    }

    @Test
    void twoCoordinatorsOnOneDatabaseReportTheSameCountsWhicheverTookTheJobs(@TempDir Path secondDataDir) {
        String url = dbUrl("metrics_two_coordinators");
        Assumptions.assumeTrue(url != null, "several coordinators share PostgreSQL, not SQLite");
        coordinator = start(dataDir, url);
        http = new RawHttp(coordinator.port());
        clientToken = token("SPOOL_TOKEN");
        try (Coordinator second = start(secondDataDir, url)) {
            RawHttp other = new RawHttp(second.port());
            for (int i = 0; i < 3; i++) http.post("/api/v1/jobs", clientToken, CoordinatorApiContract.SAMPLE_JOB.replace("sample_", "sample_" + i));
            other.post("/api/v1/jobs", clientToken, CoordinatorApiContract.SAMPLE_JOB);
            Map<String, Double> a = settle("four jobs on the first", m -> m.get("transcode_jobs_total") == 4);
            Map<String, Double> b = Poll.until(SETTLE, Duration.ofMillis(200), "four jobs on the second",
                    () -> scrape(other, clientToken), m -> m.getOrDefault("transcode_jobs_total", 0.0) == 4);
            for (String name : SEED_NAMES) assertThat(b.get(name)).as(name).isEqualTo(a.get(name));
            assertThat(b).containsEntry("transcode_queue_depth", 4.0)
                    .containsEntry("spool_queue_depth{pool=\"transcode\",priority=\"normal\"}", 4.0);
        }
    }

    /** Polls until the scraped values pass, past the stats cache; returns them. */
    protected Map<String, Double> settle(String what, java.util.function.Predicate<Map<String, Double>> ok) {
        return Poll.until(SETTLE, Duration.ofMillis(200), what, () -> scrape(http, clientToken),
                m -> { try { return ok.test(m); } catch (NullPointerException missing) { return false; } });
    }

    /** The samples of a Prometheus text exposition: "name{labels}" to value. */
    static Map<String, Double> scrape(RawHttp http, String token) {
        Reply reply = http.get("/metrics", token);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        Map<String, Double> samples = new TreeMap<>();
        for (String line : reply.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) samples.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return samples;
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
