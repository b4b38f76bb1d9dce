package dev.spool.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.coordinator.api.RawHttp.Reply;
import dev.spool.model.protocol.Api;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's worker and job-detail routes over real HTTP on a real SQLite coordinator:
 * drain/pause/resume and what a sync then says, a worker's detail, log tails (capped and
 * redacted), the timeline, and a completed job's output served to a player, hostile paths refused.
 */
class WorkerDashboardApiTest {
    @TempDir Path dataDir;
    @TempDir Path served;
    private Coordinator coordinator;
    private RawHttp http;
    private String client;
    private String join;

    @AfterEach
    void stop() {
        if (coordinator != null) coordinator.close();
    }

    private void start() throws IOException {
        coordinator = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, dataDir, null, Duration.ofSeconds(30),
                Duration.ofSeconds(1), CoordinatorApiContract.RETRY, Duration.ofMillis(200)).withServeOutputs(List.of(served)),
                Clock.systemUTC());
        http = new RawHttp(coordinator.port());
        client = token("SPOOL_TOKEN");
        join = token("SPOOL_JOIN_TOKEN");
    }

    /** Registers a worker of this protocol; returns its credential. */
    private String register(String id, int protocol) {
        Reply r = http.post(Api.WORKER_REGISTER, join, """
                {"worker_id":"%s","protocol":%d,"slots":1,
                 "capabilities":{"supported_codecs":["libx264"],"has_gpu":false,"max_resolution":"1080p"}}""".formatted(id, protocol));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().path("credential").asText();
    }

    private JsonNode sync(String id, String credential, String status, String leases) {
        Reply r = http.post(Api.WORKER_SYNC, credential, """
                {"worker_id":"%s","status":"%s","current_job_id":"","leases":[%s]}""".formatted(id, status, leases));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private String submit(String output) {
        Reply r = http.post(Api.JOBS, client, """
                {"input":"movies/a.mkv","output":"%s","outputs":[{"resolution":"360p","codec":"h264"}],"piece_seconds":0}"""
                .formatted(output));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().path("job_id").asText();
    }

    @Test
    void aWorkerParkedInALongPollHearsItsDrainAtOnceNotWhenThePollEnds() throws Exception {
        start();
        String w = register("w-1", Api.PROTOCOL);
        RawHttp parked = new RawHttp(coordinator.port());
        long asked = System.nanoTime();
        var poll = java.util.concurrent.CompletableFuture.supplyAsync(() -> parked.post(Api.WORKER_SYNC, w, """
                {"worker_id":"w-1","status":"IDLE","current_job_id":"","leases":[],"wait_ms":20000}"""));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (coordinator.waiter().waiting() == 0) {
            assertThat(System.nanoTime()).as("the sync parks for work").isLessThan(deadline);
            Thread.sleep(10);
        }

        assertThat(http.post(Api.WORKERS + "/w-1/drain", client, null).status()).isEqualTo(200);
        Reply answered = poll.get(10, java.util.concurrent.TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - asked) / 1_000_000;

        assertThat(answered.status()).isEqualTo(200);
        assertThat(answered.json().path("control").asText()).as(answered.toString()).isEqualTo("drain");
        assertThat(answered.json().has("assigned_job")).isFalse();
        assertThat(tookMs).as("answered by the drain, not by the 20 s poll's end").isLessThan(15_000);
        assertThat(coordinator.waiter().waiting()).as("the poll left the waiter").isZero();
    }

    @Test
    void aPausedWorkerIsToldSoAndGetsNothingUntilResumedAndAnUnknownOneIs404() throws IOException {
        start();
        String w = register("w-1", Api.PROTOCOL);
        String job = submit("processed/a");

        Reply unknown = http.post(Api.WORKERS + "/nobody/pause", client, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error().path("field").asText()).isEqualTo("worker_id");
        assertThat(http.get(Api.worker("nobody"), client).status()).isEqualTo(404);

        Reply paused = http.post(Api.WORKERS + "/w-1/pause", client, null);
        assertThat(paused.json().path("control").asText()).isEqualTo("PAUSED");
        JsonNode reply = sync("w-1", w, "IDLE", "");
        assertThat(reply.path("control").asText()).isEqualTo("pause");
        assertThat(reply.has("assigned_job")).as(reply.toString()).isFalse();
        assertThat(http.get(Api.WORKERS, client).json().at("/workers/0/control").asText()).isEqualTo("PAUSED");

        assertThat(http.post(Api.WORKERS + "/w-1/resume", client, null).json().path("control").asText()).isEqualTo("ACTIVE");
        JsonNode assigned = sync("w-1", w, "IDLE", "");
        assertThat(assigned.has("control")).isFalse();
        assertThat(assigned.at("/assigned_job/job_id").asText()).isEqualTo(job);
        String lease = assigned.at("/assigned_job/lease/lease_id").asText();

        // the worker's view: what it runs now, and its attempts
        JsonNode detail = http.get(Api.worker("w-1"), client).json();
        assertThat(detail.at("/current_task/job_id").asText()).isEqualTo(job);
        assertThat(detail.at("/current_task/kind").asText()).isEqualTo("transcode");
        assertThat(detail.at("/recent_tasks/0/outcome").asText()).isEqualTo("running");
        assertThat(detail.path("control").asText()).isEqualTo("ACTIVE");

        assertThat(http.post(Api.WORKERS + "/w-1/drain", client, null).json().path("control").asText()).isEqualTo("DRAINING");
        JsonNode draining = sync("w-1", w, "BUSY", "\"" + lease + "\"");
        assertThat(draining.path("control").asText()).isEqualTo("drain");
        // a seed-001 worker is not sent the word (it refuses unknown fields), but gets nothing all the same
        http.post(Api.WORKER_REGISTER, join, CoordinatorApiContract.SEED_REGISTER);
        http.post(Api.WORKERS + "/desktop-gaming-pc/pause", client, null);
        submit("processed/b");
        Reply seed = http.post(Api.WORKER_SYNC, join, CoordinatorApiContract.SEED_SYNC);
        assertThat(seed.json().has("control")).isFalse();
        assertThat(seed.json().has("assigned_job")).as(seed.toString()).isFalse();
    }

    @Test
    void logTailsAreCappedRedactedStoredPerTaskAndTheTimelineShowsTheAttempts() throws IOException {
        start();
        String w = register("w-1", 3);
        String job = submit("processed/a");
        String lease = sync("w-1", w, "IDLE", "").at("/assigned_job/lease/lease_id").asText();

        List<String> tooMany = new ArrayList<>(Collections.nCopies(21, "\"x\""));
        Reply refused = http.patch(Api.job(job), w, """
                {"worker_id":"w-1","progress":10,"lease_id":"%s","log_tail":[%s]}""".formatted(lease, String.join(",", tooMany)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error().path("field").asText()).isEqualTo("log_tail");
        Reply tooLong = http.patch(Api.job(job), w, """
                {"worker_id":"w-1","progress":10,"lease_id":"%s","log_tail":["%s"]}""".formatted(lease, "y".repeat(301)));
        assertThat(tooLong.error().path("field").asText()).isEqualTo("log_tail");

        Reply ok = http.patch(Api.job(job), w, """
                {"worker_id":"w-1","progress":10,"lease_id":"%s","log_tail":["Input #0, from 'https://alice:pw@cdn/in.mkv?X-Amz-Signature=s3cr3t':","frame=10"]}"""
                .formatted(lease));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        JsonNode task = http.get(Api.job(job), client).json().at("/tasks/0");
        assertThat(task.path("log_tail").toString()).doesNotContain("pw@").doesNotContain("s3cr3t").contains("frame=10")
                .contains("https://***@cdn/in.mkv?***");

        Reply failed = http.post(Api.jobFinalize(job), w, """
                {"status":"FAILED","error_msg":"ffmpeg exited 1","lease_id":"%s","worker_id":"w-1","log_tail":["Conversion failed!"]}"""
                .formatted(lease));
        assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
        JsonNode view = http.get(Api.job(job), client).json();
        assertThat(view.at("/tasks/0/log_tail/0").asText()).isEqualTo("Conversion failed!");
        assertThat(view.at("/timeline/0/outcome").asText()).isEqualTo("retried");
        assertThat(view.at("/timeline/0/worker").asText()).isEqualTo("w-1");
        assertThat(view.at("/timeline/0/error").asText()).isEqualTo("ffmpeg exited 1");
        assertThat(view.at("/timeline/0/end").isTextual()).isTrue();
        assertThat(http.get(Api.worker("w-1"), client).json().at("/recent_tasks/0/outcome").asText()).isEqualTo("retried");
    }

    @Test
    void aCompletedSpoolOutputIsServedToThePlayerAndHostilePathsAreRefused() throws IOException {
        start();
        String w = register("w-1", 3);
        String job = submit("spool://outputs/movie");
        Path out = dataDir.resolve("files/outputs/movie");
        Files.createDirectories(out.resolve("360p"));
        Files.writeString(out.resolve("master.m3u8"), "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n360p/index.m3u8\n");
        Files.write(out.resolve("360p/seg_000.m4s"), new byte[] {0, 0, 0, 8, 'm', 'o', 'o', 'f'});
        Files.writeString(out.resolve("notes.txt"), "not media");
        String outputPath = Api.jobOutput(job, "master.m3u8");
        assertThat(http.get(outputPath, client).status()).as("not completed yet").isEqualTo(404);

        String lease = sync("w-1", w, "IDLE", "").at("/assigned_job/lease/lease_id").asText();
        Reply done = http.post(Api.jobFinalize(job), w, """
                {"status":"COMPLETED","manifest_url":"spool://outputs/movie/master.m3u8","lease_id":"%s","worker_id":"w-1"}"""
                .formatted(lease));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);

        JsonNode summary = http.get(Api.job(job), client).json();
        assertThat(summary.at("/outputs/playback_url").asText()).isEqualTo(outputPath);
        assertThat(http.get(Api.JOBS, client).json().at("/jobs/0/outputs/playback_url").asText()).isEqualTo(outputPath);
        Reply master = http.get(outputPath, token("SPOOL_TOKEN"));
        assertThat(master.status()).isEqualTo(200);
        assertThat(master.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(master.body()).startsWith("#EXTM3U");
        Reply segment = http.get(Api.jobOutput(job, "360p/seg_000.m4s"), client);
        assertThat(segment.headers().firstValue("Content-Type")).hasValue("video/iso.segment");
        assertThat(http.get(Api.jobOutput(job, "360p/none.m4s"), client).status()).isEqualTo(404);

        for (String hostile : List.of("notes.txt", "..%2F..%2Ftokens", "%2e%2e/%2e%2e/tokens.m3u8", "360p/..%2f..%2f..%2ftokens.m3u8",
                "%2Fetc%2Fpasswd.m3u8", "master.m3u8%00.txt", "360p%5C..%5Cmaster.m3u8", ".hidden.m3u8")) {
            Reply r = http.get(Api.job(job) + "/output/" + hostile, client);
            assertThat(r.status()).as(hostile + ": " + r).isIn(400, 404);
            assertThat(r.body()).as(hostile).doesNotContain("SPOOL_TOKEN").doesNotContain("#EXTM3U");
        }
    }

    @Test
    void aLocalOutputIsServedOnlyUnderServeOutputsAndNoSymlinkLeadsOutOfIt() throws IOException {
        start();
        String w = register("w-1", 3);
        Path outside = Files.createDirectories(dataDir.resolve("outside"));
        Files.writeString(outside.resolve("secret.m3u8"), "#EXTM3U secret");
        Path movie = Files.createDirectories(served.resolve("movie"));
        Files.writeString(movie.resolve("master.m3u8"), "#EXTM3U\n");
        Files.createSymbolicLink(movie.resolve("escape.m3u8"), outside.resolve("secret.m3u8"));
        Files.createSymbolicLink(movie.resolve("up"), outside);
        String job = submit(movie.toString());
        String lease = sync("w-1", w, "IDLE", "").at("/assigned_job/lease/lease_id").asText();
        http.post(Api.jobFinalize(job), w, """
                {"status":"COMPLETED","manifest_url":"%s/master.m3u8","lease_id":"%s","worker_id":"w-1"}""".formatted(movie, lease));

        assertThat(http.get(Api.job(job), client).json().at("/outputs/playback_url").asText()).isEqualTo(Api.jobOutput(job, "master.m3u8"));
        assertThat(http.get(Api.jobOutput(job, "master.m3u8"), client).body()).isEqualTo("#EXTM3U\n");
        assertThat(http.get(Api.jobOutput(job, "escape.m3u8"), client).status()).isEqualTo(404);
        assertThat(http.get(Api.jobOutput(job, "up/secret.m3u8"), client).status()).isEqualTo(404);

        // outside every --serve-outputs root: no playback_url, nothing served
        String other = submit(outside.toString());
        String lease2 = sync("w-1", w, "IDLE", "").at("/assigned_job/lease/lease_id").asText();
        http.post(Api.jobFinalize(other), w, """
                {"status":"COMPLETED","manifest_url":"%s/secret.m3u8","lease_id":"%s","worker_id":"w-1"}""".formatted(outside, lease2));
        assertThat(http.get(Api.job(other), client).json().at("/outputs").has("playback_url")).isFalse();
        assertThat(http.get(Api.jobOutput(other, "secret.m3u8"), client).status()).isEqualTo(404);
    }

    @Test
    void onlyPlainRelativeMediaPathsPassTheCheck() {
        assertThat(OutputRoutes.checkedPath("master.m3u8")).isPresent();
        assertThat(OutputRoutes.checkedPath("720p/seg_001.m4s")).isPresent();
        for (String bad : List.of("../x.m3u8", "/etc/x.m3u8", "a/../../x.m3u8", "x.m3u8\u0000", "a\\b.m3u8", "x.sh", "a//b.ts", "./x.ts", ""))
            assertThat(OutputRoutes.checkedPath(bad)).as(bad).isEmpty();
    }

    private String token(String name) throws IOException {
        return Files.readAllLines(dataDir.resolve("tokens"), StandardCharsets.UTF_8).stream().filter(l -> l.startsWith(name + "="))
                .map(l -> l.substring(name.length() + 1)).findFirst().orElseThrow();
    }
}
