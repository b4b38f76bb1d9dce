package dev.spool.coordinator.queue;

import static dev.spool.coordinator.queue.JobQueueContract.H264;
import static dev.spool.coordinator.queue.JobQueueContract.LEASE;
import static dev.spool.coordinator.queue.JobQueueContract.RETRY;
import static dev.spool.coordinator.queue.JobQueueContract.T0;
import static dev.spool.coordinator.queue.JobQueueContract.W1;
import static dev.spool.coordinator.queue.JobQueueContract.W2;
import static dev.spool.coordinator.queue.JobQueueContract.lease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.model.encode.Ratio;
import dev.spool.model.job.JobSpec;
import dev.spool.model.job.JobState;
import dev.spool.model.job.Priority;
import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskKind;
import dev.spool.model.job.TaskState;
import dev.spool.model.protocol.WorkerMessages;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A split job's DAG in the queue, on every database: probe, then pieces and audio, then package;
 * retries of one piece, a job that fails and resumes, pieces found missing, build pinning.
 */
abstract class SplitJobContract extends QueueContract {
    /** 95 s of 30 fps video with audio: pieces of 30 s -> 0-30, 30-60, 60-90, 90-95. */
    static final WorkerMessages.Probed LONG = new WorkerMessages.Probed(95, new Ratio(30, 1), true);

    @Test
    void aSplittableJobStartsAsOneProbeTask() {
        String jobId = submit("a", null);

        assertThat(queue.tasks(jobId)).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TaskKind.PROBE);
            assertThat(t.state()).isEqualTo(TaskState.QUEUED);
        });
    }

    @Test
    void theProbeCutsALongJobIntoPiecesTheAudioAndABlockedPackage() {
        String jobId = submit("a", null);

        Job job = probe(jobId, W1, LONG);

        List<Task> tasks = queue.tasks(jobId);
        assertThat(kindsAndStates(tasks)).containsExactlyInAnyOrder("probe DONE", "encode-audio QUEUED",
                "encode-video 0 QUEUED", "encode-video 1 QUEUED", "encode-video 2 QUEUED", "encode-video 3 QUEUED",
                "package BLOCKED");
        assertThat(job.split().pieces().pieces()).hasSize(4);
        assertThat(job.split().frameRate()).isEqualTo(new Ratio(30, 1));
        assertThat(job.split().pieces().pieces().get(1).firstFrame()).isEqualTo(900);
        assertThat(eventTypes(jobId)).containsSubsequence("submitted", "leased", "probed", "planned");
    }

    @Test
    void aJobShorterThanOnePieceRunsWholeAfterItsProbe() {
        String jobId = submit("short", null);

        probe(jobId, W1, new WorkerMessages.Probed(20, new Ratio(30, 1), true));

        assertThat(kindsAndStates(queue.tasks(jobId))).containsExactlyInAnyOrder("probe DONE", "transcode QUEUED");
        Claim whole = claim(W2, T0.plusSeconds(2));
        assertThat(whole.task().kind()).isEqualTo(TaskKind.TRANSCODE);
        assertThat(whole.job().split()).isNull();
    }

    @Test
    void aWorkerThatKnowsOnlySeed001TakesTheProbeAsTheWholeJob() {
        String jobId = submit("a", null);
        WorkerFit seedWorker = new WorkerFit("seed", Set.of("libx264"), 2160, Set.of("transcode"), TaskKind.WHOLE_JOB, null);

        Claim claim = claim(seedWorker, T0);

        assertThat(claim.task().kind()).isEqualTo(TaskKind.TRANSCODE);
        queue.complete(jobId, lease(claim), "/out/a/master.m3u8", 10, T0.plusSeconds(1));
        assertThat(queue.job(jobId).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void aSeed001WorkerGetsNoPieces() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        WorkerFit seedWorker = new WorkerFit("seed", Set.of("libx264"), 2160, Set.of("transcode"), TaskKind.WHOLE_JOB, null);

        assertThat(queue.claim(seedWorker, T0.plusSeconds(5), LEASE)).isEmpty();
    }

    @Test
    void theLastPieceQueuesThePackageWhichCompletesTheJob() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);

        Instant at = T0.plusSeconds(2);
        for (int i = 0; i < 5; i++) {   // the audio, then the pieces in order
            assertThat(taskOfKind(jobId, "package").state()).isEqualTo(TaskState.BLOCKED);
            Claim c = claim(i % 2 == 0 ? W1 : W2, at);
            assertThat(c.task().kind()).isEqualTo(i == 0 ? TaskKind.ENCODE_AUDIO : TaskKind.ENCODE_VIDEO);
            if (i > 0) assertThat(c.task().piece()).isEqualTo(i - 1);
            queue.complete(jobId, lease(c), pieceDone(c), at.plusSeconds(1));
        }

        assertThat(taskOfKind(jobId, "package").state()).isEqualTo(TaskState.QUEUED);
        assertThat(queue.job(jobId).orElseThrow().state()).as("between its steps a job is still running").isEqualTo(JobState.RUNNING);
        Claim pack = claim(W2, at.plusSeconds(2));
        assertThat(pack.task().kind()).isEqualTo(TaskKind.PACKAGE);
        assertThat(pack.job().split()).isNotNull();
        assertThatThrownBy(() -> queue.complete(jobId, lease(pack), new JobQueue.Outcome(null, 1, null), at.plusSeconds(3)))
                .as("a package step must name the master it wrote")
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.field()).isEqualTo("manifest_url"));
        Job done = queue.complete(jobId, lease(pack), "/out/a/master.m3u8", 500, at.plusSeconds(3));

        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.progress()).isEqualTo(100);
        assertThat(done.manifestUrl()).isEqualTo("/out/a/master.m3u8");
        assertThat(eventTypes(jobId)).containsSubsequence("planned", "encoded", "ready", "leased", "completed");
    }

    @Test
    void thePackageStepIsToldWhichAttemptOfEachPieceToStitch() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        Claim first = claim(W1, T0.plusSeconds(2));   // the audio
        assertThatThrownBy(() -> queue.complete(jobId, lease(first), new JobQueue.Outcome("../../etc", 1, null), T0.plusSeconds(3)))
                .as("a piece's directory is a plain name").isInstanceOfSatisfying(SpoolError.class,
                        e -> assertThat(e.field()).isEqualTo("manifest_url"));
        queue.complete(jobId, lease(first), pieceDone(first), T0.plusSeconds(3));
        finishAudioAndPieces(jobId, Set.of(0, 1, 2, 3), T0.plusSeconds(4));

        Claim pack = claim(W2, T0.plusSeconds(5));

        assertThat(pack.pieceOutputs()).containsOnlyKeys(-1, 0, 1, 2, 3);
        assertThat(pack.pieceOutputs().get(-1)).isEqualTo("audio." + first.task().leaseId());
        assertThat(pack.pieceOutputs().get(2)).startsWith("video-2.lease_");
    }

    @Test
    void aJobCannotBeRetriedWhileAStoppedTaskStillRunsOnItsWorker() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        claim(W1, T0.plusSeconds(2));
        queue.cancel(jobId, T0.plusSeconds(3));

        assertConflictOnRetry(() -> queue.retry(jobId, T0.plusSeconds(4)), SpoolError.Code.CONFLICT);
        queue.releaseCancelled(jobId, "w1");
        assertThat(queue.retry(jobId, T0.plusSeconds(5)).state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void aPackageNamingPiecesThatDoNotExistIsRefusedAndChangesNothing() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        finishAudioAndPieces(jobId, Set.of(0, 1, 2, 3), T0.plusSeconds(2));
        Claim pack = claim(W2, T0.plusSeconds(20));

        assertThatThrownBy(() -> queue.missingPieces(jobId, lease(pack), List.of(99), T0.plusSeconds(21), RETRY))
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.field()).isEqualTo("missing_pieces"));
        assertThat(taskOfKind(jobId, "package").state()).isEqualTo(TaskState.LEASED);
    }

    @Test
    void jobProgressWeighsEachPieceByItsLength() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        Claim audio = claim(W1, T0.plusSeconds(2));
        queue.complete(jobId, lease(audio), pieceDone(audio), T0.plusSeconds(3));
        Claim first = claim(W1, T0.plusSeconds(3));

        queue.progress(jobId, lease(first), 50, 120, 10, T0.plusSeconds(4), LEASE);

        // weights: probe 95 x 0.01, audio 95 x 0.03, pieces 30/30/30/5, package 95 x 0.02
        double total = 95 * 0.01 + 95 * 0.03 + 95 + 95 * 0.02;
        double expected = (100 * 95 * 0.01 + 100 * 95 * 0.03 + 50 * 30) / total;
        Job job = queue.job(jobId).orElseThrow();
        assertThat(job.progress()).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.01));
        assertThat(job.fps()).isEqualTo(120);
        assertThat(job.etaSec()).as("a worker that gives no speed: no ETA for the job").isEqualTo(-1);
    }

    @Test
    void aSplitJobsProgressIsItsPiecesFramesDoneOverTheirFramesWithTheirSpeedsAddedUp() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        Claim audio = claim(W1, T0.plusSeconds(2));
        queue.complete(jobId, lease(audio), pieceDone(audio), T0.plusSeconds(3));
        Claim first = claim(W1, T0.plusSeconds(3));
        Claim second = claim(W2, T0.plusSeconds(3));

        // piece 0 is frames 0-900, piece 1 frames 900-1800: the workers' own percents are ignored for frames
        queue.progress(jobId, lease(first), new JobQueue.Report(5, 60, 2.0, 99, 450L), List.of(), T0.plusSeconds(4), LEASE);
        queue.progress(jobId, lease(second), new JobQueue.Report(5, 30, 1.0, 99, 225L), List.of(), T0.plusSeconds(4), LEASE);

        assertThat(taskOfPiece(jobId, 0).progress()).isEqualTo(50);
        assertThat(taskOfPiece(jobId, 1).progress()).isEqualTo(25);
        assertThat(taskOfPiece(jobId, 1).framesDone()).isEqualTo(225);
        double total = 95 * 0.01 + 95 * 0.03 + 95 + 95 * 0.02;
        double done = 95 * 0.01 + 95 * 0.03 + 0.50 * 30 + 0.25 * 30;
        Job job = queue.job(jobId).orElseThrow();
        assertThat(job.progress()).isCloseTo(100 * done / total, org.assertj.core.data.Offset.offset(0.01));
        assertThat(job.fps()).isEqualTo(90);
        assertThat(job.speed()).as("media seconds per wall second of both pieces").isEqualTo(3.0);
        // video left: 15 s + 22.5 s + 30 s + 5 s, at 3 media seconds per second
        assertThat(job.etaSec()).isEqualTo(Math.round((15 + 22.5 + 30 + 5) / 3.0));
    }

    @Test
    void theLastPiecesFramesAreCountedToTheEndOfTheVideo() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        finishAudioAndPieces(jobId, Set.of(0, 1, 2), T0.plusSeconds(2));
        Claim last = claim(W2, T0.plusSeconds(5));
        assertThat(last.task().piece()).isEqualTo(3);

        // 90-95 s at 30 fps: 150 frames
        queue.progress(jobId, lease(last), new JobQueue.Report(0, 30, 1.0, 3, 75L), List.of(), T0.plusSeconds(6), LEASE);

        assertThat(taskOfPiece(jobId, 3).progress()).isEqualTo(50);
    }

    @Test
    void aJobsProgressNeverGoesBackWhileAPieceIsEncodedAgain() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        Claim audio = claim(W1, T0.plusSeconds(2));
        queue.complete(jobId, lease(audio), pieceDone(audio), T0.plusSeconds(3));
        Claim first = claim(W1, T0.plusSeconds(3));
        queue.progress(jobId, lease(first), new JobQueue.Report(0, 30, 1.0, 10, 800L), List.of(), T0.plusSeconds(4), LEASE);
        double before = queue.job(jobId).orElseThrow().progress();

        queue.fail(jobId, lease(first), "ffmpeg crashed", true, T0.plusSeconds(5), RETRY);
        Claim again = claim(W2, T0.plusSeconds(60));
        queue.progress(jobId, lease(again), new JobQueue.Report(0, 30, 1.0, 10, 90L), List.of(), T0.plusSeconds(61), LEASE);

        assertThat(again.task().piece()).isZero();
        assertThat(taskOfPiece(jobId, 0).progress()).isEqualTo(10);
        assertThat(queue.job(jobId).orElseThrow().progress()).isEqualTo(before);
    }

    @Test
    void aSplitJobsTasksAreListedProbeThenPiecesByIndexThenAudioThenPackage() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);

        assertThat(kindsAndStates(queue.tasks(jobId))).containsExactly("probe DONE", "encode-video 0 QUEUED",
                "encode-video 1 QUEUED", "encode-video 2 QUEUED", "encode-video 3 QUEUED", "encode-audio QUEUED",
                "package BLOCKED");
    }

    @Test
    void thePackageStepsResultStatisticsAreTheJobsResult() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        finishAudioAndPieces(jobId, Set.of(0, 1, 2, 3), T0.plusSeconds(2));
        Claim pack = claim(W2, T0.plusSeconds(20));

        Job done = queue.complete(jobId, lease(pack), new JobQueue.Outcome("/out/a/master.m3u8", 500, null,
                new JobResult(2850L, 95.0, 12_345_678L)), T0.plusSeconds(21));

        assertThat(done.result()).isEqualTo(new JobResult(2850L, 95.0, 12_345_678L));
        assertThat(queue.job(jobId).orElseThrow().result()).isEqualTo(new JobResult(2850L, 95.0, 12_345_678L));
    }

    @Test
    void aFailedPieceIsRetriedAloneWhileTheOthersStayDone() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        finishAudioAndPieces(jobId, Set.of(0, 2, 3), T0.plusSeconds(2));
        Claim one = claim(W2, T0.plusSeconds(10));
        assertThat(one.task().piece()).isEqualTo(1);

        queue.fail(jobId, lease(one), "ffmpeg crashed", true, T0.plusSeconds(11), RETRY);

        assertThat(kindsAndStates(queue.tasks(jobId))).contains("encode-video 0 DONE", "encode-video 1 QUEUED",
                "encode-video 2 DONE", "encode-video 3 DONE", "package BLOCKED");
        Claim again = claim(W1, T0.plusSeconds(30));
        assertThat(again.task().piece()).isEqualTo(1);
        assertThat(again.task().attempt()).isEqualTo(2);
    }

    @Test
    void aPieceOutOfAttemptsFailsTheJobAndStopsEveryOtherTask() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        Claim audio = claim(W1, T0.plusSeconds(2));   // still running when the job fails
        Instant at = T0.plusSeconds(3);
        for (int attempt = 1; attempt <= RETRY.maxAttempts(); attempt++) {
            Claim piece = claim(W2, at);
            assertThat(piece.task().piece()).isZero();
            queue.fail(jobId, lease(piece), "corrupt frame at 12 s", true, at.plusSeconds(1), RETRY);
            at = at.plusSeconds(600);
        }

        Job job = queue.job(jobId).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.error()).contains("piece 0").contains("corrupt frame at 12 s");
        assertThat(kindsAndStates(queue.tasks(jobId))).contains("encode-video 0 FAILED", "encode-video 1 CANCELLED",
                "encode-audio CANCELLED", "package CANCELLED");
        assertThat(JobQueueContract.cancelledAtSync(queue, "w1")).as("the audio's worker is told to stop").containsExactly(jobId);
        assertThat(queue.claim(W2, at, LEASE)).isEmpty();
        assertThat(audio.task().kind()).isEqualTo(TaskKind.ENCODE_AUDIO);
    }

    @Test
    void aRetriedJobRedoesOnlyWhatItHadNotFinished() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        finishAudioAndPieces(jobId, Set.of(1, 3), T0.plusSeconds(2));
        queue.cancel(jobId, T0.plusSeconds(20));
        assertConflictOnRetry(() -> queue.retry(jobId.replace("job_", "job_x"), T0), SpoolError.Code.NOT_FOUND);

        Job retried = queue.retry(jobId, T0.plusSeconds(30));

        assertThat(retried.state()).isEqualTo(JobState.QUEUED);
        assertThat(retried.error()).isNull();
        assertThat(kindsAndStates(queue.tasks(jobId))).containsExactlyInAnyOrder("probe DONE", "encode-audio DONE",
                "encode-video 0 QUEUED", "encode-video 1 DONE", "encode-video 2 QUEUED", "encode-video 3 DONE",
                "package BLOCKED");
        assertThat(queue.events(jobId).getLast().detail()).isEqualTo("3 finished pieces kept");
        assertConflictOnRetry(() -> queue.retry(jobId, T0.plusSeconds(31)), SpoolError.Code.CONFLICT);

        finishAudioAndPieces(jobId, Set.of(0, 2), T0.plusSeconds(40));
        assertThat(taskOfKind(jobId, "package").state()).isEqualTo(TaskState.QUEUED);
        long encoded = queue.events(jobId).stream().filter(e -> e.type() == EventType.ENCODED).count();
        assertThat(encoded).as("the audio and four pieces: each encoded once").isEqualTo(5);
    }

    @Test
    void aPackageThatFindsPiecesMissingHasThemEncodedAgainAndWaits() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        finishAudioAndPieces(jobId, Set.of(0, 1, 2, 3), T0.plusSeconds(2));
        Claim pack = claim(W2, T0.plusSeconds(20));

        queue.missingPieces(jobId, lease(pack), List.of(2, -1), T0.plusSeconds(21), RETRY);

        assertThat(kindsAndStates(queue.tasks(jobId))).contains("encode-audio QUEUED", "encode-video 1 DONE",
                "encode-video 2 QUEUED", "package BLOCKED");
        assertThat(eventTypes(jobId)).contains("pieces-missing");
        Claim audio = claim(W1, T0.plusSeconds(22));
        Claim two = claim(W1, T0.plusSeconds(22));
        assertThat(two.task().piece()).isEqualTo(2);
        queue.complete(jobId, lease(audio), pieceDone(audio), T0.plusSeconds(23));
        queue.complete(jobId, lease(two), pieceDone(two), T0.plusSeconds(23));
        assertThat(claim(W2, T0.plusSeconds(24)).task().kind()).isEqualTo(TaskKind.PACKAGE);
    }

    @Test
    void piecesComeFromTheFfmpegBuildThatEncodedTheFirstOne() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        WorkerFit a = new WorkerFit("a", Set.of("libx264"), 2160, Set.of("transcode"), TaskKind.ALL, "build-1");
        WorkerFit b = new WorkerFit("b", Set.of("libx264"), 2160, Set.of("transcode"), TaskKind.ALL, "build-2");
        WorkerFit c = new WorkerFit("c", Set.of("libx264"), 2160, Set.of("transcode"), TaskKind.ALL, "build-1");
        Claim audio = claim(b, T0.plusSeconds(2));
        assertThat(audio.task().kind()).as("the audio is no piece: any build").isEqualTo(TaskKind.ENCODE_AUDIO);

        Claim first = claim(a, T0.plusSeconds(2));

        assertThat(first.task().piece()).isZero();
        assertThat(queue.claim(b, T0.plusSeconds(3), LEASE)).as("another build gets no piece of this job").isEmpty();
        assertThat(claim(c, T0.plusSeconds(3)).task().piece()).isEqualTo(1);
        assertThat(queue.job(jobId).orElseThrow().encoderBuild()).isEqualTo("build-1");
        assertThat(eventTypes(jobId)).contains("pinned");
    }

    @Test
    void aPinLapsesWhenNoPieceWasEncodedUnderIt() {
        String jobId = submit("a", null);
        probe(jobId, W1, LONG);
        WorkerFit a = new WorkerFit("a", Set.of("libx264"), 2160, Set.of("transcode"), TaskKind.ALL, "build-1");
        WorkerFit b = new WorkerFit("b", Set.of("libx264"), 2160, Set.of("transcode"), TaskKind.ALL, "build-2");
        claim(b, T0.plusSeconds(2));   // the audio
        Claim first = claim(a, T0.plusSeconds(2));

        queue.fail(jobId, lease(first), "worker out of memory", true, T0.plusSeconds(3), RETRY);

        assertThat(queue.job(jobId).orElseThrow().encoderBuild()).isNull();
        assertThat(claim(b, T0.plusSeconds(60)).task().kind()).isEqualTo(TaskKind.ENCODE_VIDEO);
    }

    // ---------------------------------------------------------------- helpers

    String submit(String name, Integer pieceSeconds) {
        JobSpec spec = new JobSpec("/in/" + name + ".mp4", "/out/" + name, List.of(), null, null, null, Priority.NORMAL,
                Map.of(), null, null, pieceSeconds);
        return queue.submit(spec, H264, T0, RETRY).job().id();
    }

    /** A piece's success: it names the directory it wrote (the attempt's lease makes it unique). */
    static JobQueue.Outcome pieceDone(Claim c) {
        String base = c.task().piece() == null ? "audio" : "video-" + c.task().piece();
        return new JobQueue.Outcome(base + "." + c.task().leaseId(), 1000, null);
    }

    Job probe(String jobId, WorkerFit worker, WorkerMessages.Probed probed) {
        Claim probe = claim(worker, T0);
        assertThat(probe.task().kind()).isEqualTo(TaskKind.PROBE);
        return queue.complete(jobId, lease(probe), new JobQueue.Outcome(null, 200, probed), T0.plusSeconds(1));
    }

    /** Leases and completes the audio (if queued) and the given pieces, skipping the others. */
    void finishAudioAndPieces(String jobId, Set<Integer> pieces, Instant at) {
        List<Claim> skipped = new java.util.ArrayList<>();
        while (true) {
            var next = queue.claim(W1, at, LEASE);
            if (next.isEmpty()) break;
            Claim c = next.get();
            boolean finish = c.task().piece() == null ? c.task().kind() == TaskKind.ENCODE_AUDIO : pieces.contains(c.task().piece());
            if (finish) queue.complete(jobId, lease(c), pieceDone(c), at);
            else skipped.add(c);
        }
        for (Claim c : skipped) queue.removeWorker(c.task().workerId(), at);   // hands them back, not a failed attempt
    }

    Claim claim(WorkerFit worker, Instant at) {
        return queue.claim(worker, at, LEASE).orElseThrow(() -> new AssertionError(worker.workerId() + " got no task at " + at));
    }

    Task taskOfKind(String jobId, String kind) {
        return queue.tasks(jobId).stream().filter(t -> t.kind().wire().equals(kind)).findFirst().orElseThrow();
    }

    Task taskOfPiece(String jobId, int piece) {
        return queue.tasks(jobId).stream().filter(t -> Integer.valueOf(piece).equals(t.piece())).findFirst().orElseThrow();
    }

    List<String> eventTypes(String jobId) {
        return queue.events(jobId).stream().map(e -> e.type().wire()).toList();
    }

    static List<String> kindsAndStates(List<Task> tasks) {
        return tasks.stream().map(t -> t.kind().wire() + (t.piece() != null ? " " + t.piece() : "") + " " + t.state()).toList();
    }

    static void assertConflictOnRetry(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, SpoolError.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
