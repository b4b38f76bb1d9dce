package dev.spool.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.media.ffmpeg.Progress;
import dev.spool.model.SpoolError;
import dev.spool.model.client.CoordinatorUrls;
import dev.spool.model.job.TaskKind;
import dev.spool.model.testing.Poll;
import dev.spool.model.testing.PrometheusSamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real worker loop against a real coordinator in the same JVM (SQLite, loopback HTTP), running
 * real ffmpeg on a tiny lavfi source. ffmpeg is made to read its input at real time
 * ({@code -readrate 1}), so a task lasts as long as its source and the test can act while it runs.
 */
class WorkerLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String WORKER = "in-process";

    @TempDir Path dir;
    private InProcessCoordinator coordinator;
    private FfmpegTools tools;
    private WorkerLoop loop;
    private CompletableFuture<Integer> exit;
    private final WorkerMetrics metrics = new WorkerMetrics();

    @BeforeEach
    void startCoordinator() throws Exception {
        coordinator = InProcessCoordinator.start(Files.createDirectories(dir.resolve("coordinator")));
        tools = FfmpegTools.locate(null);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (loop != null) {
            loop.drain();
            loop.abandonRunning();
            exit.get(30, TimeUnit.SECONDS);
        }
        coordinator.close();
    }

    @Test
    void aDrainedWorkerFinishesItsTaskTakesNoOtherAndLeaves() throws Exception {
        startWorker();
        String running = coordinator.submit(source(4), dir.resolve("out"));
        awaitEncoding(running);
        String waiting = coordinator.submit(source(4), dir.resolve("out-waiting"));

        loop.drain();

        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        JsonNode done = coordinator.job(running);
        assertThat(done.path("state").asText()).as(done.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(dir.resolve("out/index.m3u8")).isRegularFile();
        JsonNode queued = coordinator.job(waiting);
        assertThat(queued.path("state").asText()).as("a draining worker takes no new work").isEqualTo("QUEUED");
        assertThat(InProcessCoordinator.eventTypes(queued)).doesNotContain("leased");
        assertThat(coordinator.worker(WORKER).path("status").asText()).as("it deregistered").isNotIn("IDLE", "BUSY");
        loop = null;
    }

    @Test
    void aWorkerRunMovesItsMetricsTasksTransfersEncodeSpeedAndTheInputCache() throws Exception {
        startWorker(TaskHandlers.standard(), tools);
        Path clip = source(2);
        String input = coordinator.upload(clip, "clip.mp4");
        String id = coordinator.submit(input, "spool://outputs/ladder");
        JsonNode job = Poll.until(WAIT, Duration.ofMillis(100), "job " + id + " ends", () -> coordinator.job(id),
                j -> j.path("state").asText().matches("COMPLETED|FAILED"));
        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");

        PrometheusSamples m = Poll.until(WAIT, Duration.ofMillis(50), "the transcode is counted", this::scrape,
                s -> s.get("spool_worker_task_duration_seconds_count", "kind", "transcode", "outcome", "completed") != null
                        && s.get("spool_worker_task_duration_seconds_count", "kind", "transcode", "outcome", "completed") == 1);
        assertThat(m.get("spool_worker_task_duration_seconds_sum", "kind", "transcode", "outcome", "completed")).as(m.toString()).isPositive();
        assertThat(m.get("spool_worker_task_duration_seconds_count", "kind", "transcode", "outcome", "failed")).isNull();
        assertThat(m.get("spool_worker_tasks_running")).isZero();
        assertThat(m.get("spool_worker_ffmpeg_fps")).as("no encode runs now").isZero();
        assertThat(m.get("spool_worker_encode_speed_ratio_count", "kind", "transcode", "encoder", "libx264")).isEqualTo(1);
        // one task of a new job: one download into the cache, of the file's size (the pieces of a split job would hit)
        assertThat(m.get("spool_worker_input_cache_total", "result", "miss")).isEqualTo(1);
        assertThat(m.get("spool_worker_input_cache_total", "result", "hit")).isZero();
        assertThat(m.get("spool_worker_transfer_bytes_total", "store", "coordinator", "direction", "in")).isEqualTo(Files.size(clip));
        assertThat(m.get("spool_worker_transfer_seconds_total", "store", "coordinator", "direction", "in")).isPositive();
        assertThat(m.get("spool_worker_transfer_bytes_total", "store", "coordinator", "direction", "out")).as("the ladder uploaded")
                .isGreaterThan(1000);
        assertThat(m.get("spool_worker_transfer_bytes_total", "store", "s3", "direction", "in")).isZero();
        assertThat(m.get("jvm_threads_current")).as("JVM metrics too").isPositive();
    }

    @Test
    void aJobCancelledMidTaskStopsItsFfmpegAndTheWorkerReportsNothingAfter() throws Exception {
        startWorker();
        String id = coordinator.submit(source(30), dir.resolve("out"));
        awaitEncoding(id);
        assertThat(ffmpegRunning()).isTrue();

        coordinator.cancel(id);
        double atCancel = coordinator.job(id).path("progress").asDouble();

        Poll.until(Duration.ofSeconds(20), "the cancelled job's ffmpeg has stopped", () -> !ffmpegRunning());
        Poll.until(WAIT, "the worker is idle again", () -> coordinator.worker(WORKER).path("status").asText().equals("IDLE"));
        JsonNode job = coordinator.job(id);
        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("CANCELLED");
        assertThat(InProcessCoordinator.eventTypes(job)).doesNotContain("completed");
        assertThat(dir.resolve("out/index.m3u8")).doesNotExist();
        assertThat(atCancel).as("the encode was stopped part way").isLessThan(100);
        assertThat(job.path("progress").asDouble()).as("nothing the worker sent after the cancel changed the job").isEqualTo(atCancel);
        PrometheusSamples m = scrape();
        assertThat(m.get("spool_worker_task_duration_seconds_count", "kind", "transcode", "outcome", "cancelled")).as(m.toString()).isEqualTo(1);
        assertThat(m.get("spool_worker_task_duration_seconds_count", "kind", "transcode", "outcome", "failed")).isNull();
    }

    @Test
    void aWorkerWhoseLeaseWasTakenBackStopsWithoutCommitting() throws Exception {
        startWorker();
        String id = coordinator.submit(source(30), dir.resolve("out"));
        awaitEncoding(id);

        // the reaper's step as it runs once the lease has run out: this worker's lease is taken back
        var expired = coordinator.coordinator().queue().requeueExpired(Instant.now().plus(Duration.ofHours(1)),
                InProcessCoordinator.RETRY_AN_HOUR_LATER);
        assertThat(expired).hasSize(1);

        Poll.until(Duration.ofSeconds(20), "the worker has stopped the ffmpeg of the lost lease", () -> !ffmpegRunning());
        Poll.until(WAIT, "the worker is idle again", () -> coordinator.worker(WORKER).path("status").asText().equals("IDLE"));
        JsonNode job = coordinator.job(id);
        assertThat(dir.resolve("out/index.m3u8")).as("nothing was committed").doesNotExist();
        assertThat(InProcessCoordinator.eventTypes(job)).as(job.toPrettyString()).contains("lease-expired").doesNotContain("completed");
        JsonNode task = InProcessCoordinator.task(job, "transcode");
        assertThat(task.path("state").asText()).as("back in the queue, for a later attempt").isEqualTo("QUEUED");
        PrometheusSamples m = Poll.until(WAIT, Duration.ofMillis(50), "the lost task is counted", this::scrape,
                s -> s.get("spool_worker_tasks_running") == 0);
        assertThat(m.get("spool_worker_task_duration_seconds_count", "kind", "transcode", "outcome", "lost")).as(m.toString()).isEqualTo(1);
    }

    @Test
    void aDrainingWorkerToldToStopNowHandsItsTaskBackUnfinished() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        TaskHandler held = new TaskHandler() {   // a transcode that runs until it is stopped
            @Override public TaskKind kind() { return TaskKind.TRANSCODE; }

            @Override
            public TaskRunner.Result run(TaskRunner steps, TaskRunner.Task task, Consumer<Progress> progress) {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw SpoolError.interrupted("the held task was stopped");
            }
        };
        startWorker(TaskHandlers.standard().with(held), tools);
        String id = coordinator.submit(source(2), dir.resolve("out"));
        assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the transcode started").isTrue();

        loop.drain();            // the first SIGTERM
        loop.abandonRunning();   // and the second

        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        loop = null;
        JsonNode job = coordinator.job(id);
        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("QUEUED");
        assertThat(InProcessCoordinator.eventTypes(job)).contains("handed-back").doesNotContain("failed", "retrying");
        assertThat(InProcessCoordinator.task(job, "transcode").path("attempts").asInt()).as("a hand-back uses no attempt").isZero();
    }

    @Test
    void aWorkerThatCannotReachItsCoordinatorRetriesWithBackoffDoublingUpTo15Seconds() throws Exception {
        List<Duration> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
        WorkerLoop[] self = new WorkerLoop[1];
        Sleeper recording = (wake, d) -> {
            waits.add(d);
            if (waits.size() == 6) self[0].drain();
            return false;
        };
        int closedPort;
        try (var s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        self[0] = worker("http://127.0.0.1:" + closedPort, recording, tools, TaskHandlers.standard());

        assertThat(self[0].run()).as("drained before it ever registered").isZero();
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(15), Duration.ofSeconds(15));
    }

    private void startWorker() throws Exception {
        startWorker(TaskHandlers.standard(), realTime(tools));
    }

    private void startWorker(TaskHandlers handlers, FfmpegTools ffmpeg) throws Exception {
        loop = worker(coordinator.url(), Sleeper.REAL, ffmpeg, handlers);
        exit = CompletableFuture.supplyAsync(() -> {
            try {
                return loop.run();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofPlatform().name("worker-loop").start(r));
    }

    private WorkerLoop worker(String url, Sleeper sleeper, FfmpegTools ffmpeg, TaskHandlers handlers) throws Exception {
        WorkerConfig config = new WorkerConfig(CoordinatorUrls.parse(url), WORKER, coordinator.joinToken(), 1, null, null,
                Duration.ofMillis(200), Duration.ofSeconds(2), List.of(dir), null, Files.createDirectories(dir.resolve("cache")),
                64L << 20, false, null);
        CoordinatorLink link = new CoordinatorLink(config, capabilities());
        WorkerStorage storage = WorkerLoop.storageFor(config, link, metrics);
        return new WorkerLoop(config, link, storage, new TaskRunner(ffmpeg, storage, 0, handlers), sleeper, metrics);
    }

    /** The worker's metrics as Prometheus reads them from --metrics-port. */
    private PrometheusSamples scrape() {
        var out = new java.io.ByteArrayOutputStream();
        try {
            io.prometheus.metrics.expositionformats.ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, metrics.registry().scrape());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return PrometheusSamples.parse(out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Capabilities capabilities() {
        return new Capabilities(List.of("libx264"), false, Capabilities.NO_GPU, Capabilities.RESOLUTION_1080P, "x86_64", 2, 4L << 30,
                "linux", "8.1.2", "test-build");
    }

    /** 160x90 test pattern of this many seconds. */
    private Path source(int seconds) {
        return SampleMedia.generate(tools, SampleMedia.Spec.video(160, 90, 25, seconds), dir.resolve("source-" + seconds + ".mp4"));
    }

    /** The job's encode is under way on the worker: it has reported progress. */
    private void awaitEncoding(String id) {
        Poll.until(WAIT, "job " + id + " reports progress", () -> coordinator.job(id), j -> j.path("progress").asDouble() > 0);
    }

    /** ffmpeg (not ffprobe) running as a child of this JVM. */
    private static boolean ffmpegRunning() {
        return ProcessHandle.current().descendants().anyMatch(p -> p.isAlive()
                && p.info().command().map(c -> Path.of(c).getFileName().toString().equals("ffmpeg")).orElse(false));
    }

    /** The same ffmpeg, reading its first input no faster than real time, so an encode lasts as long as its source. */
    private FfmpegTools realTime(FfmpegTools real) throws Exception {
        Path script = dir.resolve("realtime/ffmpeg");
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\nexec '" + real.ffmpeg() + "' -readrate 1 \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new FfmpegTools(script, real.ffprobe(), real.libraryDir(), "real time", real.stallTimeout());
    }
}
