package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.model.job.JobSpec;
import dev.spool.model.job.JobState;
import dev.spool.model.job.Priority;
import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * What every JobQueue must do, whatever database is under it: one subclass per database supplies a
 * fresh, empty queue per test. Time is always passed in, so nothing here sleeps.
 */
abstract class JobQueueContract extends QueueContract {
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(30);
    /** Four attempts: retries wait 10 s, 20 s, 40 s. */
    static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(10), 2.0);
    static final Requirements H264 = new Requirements("libx264", 0, "transcode");
    static final WorkerFit W1 = new WorkerFit("w1", Set.of("libx264"), 1080, Set.of("transcode"));
    static final WorkerFit W2 = new WorkerFit("w2", Set.of("libx264", "libx265"), 2160, Set.of("transcode"));

    // ---------------------------------------------------------------- submit

    @Test
    void submittingCreatesAQueuedJobWithOneQueuedTaskAndASubmittedEvent() {
        JobQueue.Submission submission = queue.submit(spec("a", Priority.HIGH, Map.of("movie_id", "1"), null), H264, T0, RETRY);

        assertThat(submission.created()).isTrue();
        Job job = submission.job();
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.priority()).isEqualTo(Priority.HIGH);
        assertThat(job.createdAt()).isEqualTo(T0);
        assertThat(job.startedAt()).isNull();
        assertThat(job.spec()).isEqualTo(spec("a", Priority.HIGH, Map.of("movie_id", "1"), null).record());
        assertThat(queue.job(job.id())).contains(job);

        List<Task> tasks = queue.tasks(job.id());
        assertThat(tasks).singleElement().satisfies(t -> {
            assertThat(t.state()).isEqualTo(TaskState.QUEUED);
            assertThat(t.jobId()).isEqualTo(job.id());
            assertThat(t.kind()).isEqualTo(TaskKind.TRANSCODE);
            assertThat(t.attempt()).isZero();
            assertThat(t.maxAttempts()).isEqualTo(RETRY.maxAttempts());
            assertThat(t.workerId()).isNull();
            assertThat(t.leaseId()).isNull();
            assertThat(t.notBefore()).isEqualTo(T0);
        });
        assertThat(queue.events(job.id())).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.SUBMITTED);
            assertThat(e.taskId()).isEqualTo(tasks.get(0).id());
            assertThat(e.at()).isEqualTo(T0);
        });
    }

    @Test
    void submittingTheSameIdempotencyKeyAgainReturnsTheFirstJobAndAddsNoTask() {
        JobQueue.Submission first = queue.submit(spec("a", Priority.NORMAL, Map.of(), "upload-42"), H264, T0, RETRY);
        JobQueue.Submission again = queue.submit(spec("b", Priority.HIGH, Map.of(), "upload-42"), H264, T0.plusSeconds(5), RETRY);

        assertThat(again.created()).isFalse();
        assertThat(again.job()).isEqualTo(first.job());
        assertThat(queue.tasks(first.job().id())).hasSize(1);
        assertThat(queue.jobs(Optional.empty(), Optional.empty(), 10, Optional.empty()).jobs()).hasSize(1);
        assertThat(queue.queueDepth()).containsExactly(new JobQueue.QueueDepth("transcode", "NORMAL", 1));
        assertThat(eventTypes(first.job().id())).containsExactly("submitted");
    }

    @Test
    void anUnknownJobIsEmpty() {
        assertThat(queue.job("job_none")).isEmpty();
        assertThat(queue.tasks("job_none")).isEmpty();
        assertThat(queue.events("job_none")).isEmpty();
    }

    // ---------------------------------------------------------------- claim

    @Test
    void claimsTakeHighBeforeNormalBeforeLowThenTheOldestFirst() {
        String low = submit("low", Priority.LOW, T0).id();
        String olderNormal = submit("normal-1", Priority.NORMAL, T0.plusSeconds(1)).id();
        String high = submit("high", Priority.HIGH, T0.plusSeconds(2)).id();
        String newerNormal = submit("normal-2", Priority.NORMAL, T0.plusSeconds(3)).id();
        Instant now = T0.plusSeconds(10);

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) order.add(claim(W1, now).job().id());

        assertThat(order).containsExactly(high, olderNormal, newerNormal, low);
        assertThat(queue.claim(W1, now, LEASE)).isEmpty();
    }

    @Test
    void aClaimedJobRunsAndItsTaskHoldsTheFirstAttemptUnderAFreshLease() {
        String jobId = submit("a", T0).id();
        Instant now = T0.plusSeconds(5);

        Claim claim = claim(W1, now);

        assertThat(claim.job().id()).isEqualTo(jobId);
        assertThat(claim.job().state()).isEqualTo(JobState.RUNNING);
        assertThat(claim.job().startedAt()).isEqualTo(now);
        assertThat(claim.task().state()).isEqualTo(TaskState.LEASED);
        assertThat(claim.task().attempt()).isEqualTo(1);
        assertThat(claim.task().workerId()).isEqualTo("w1");
        assertThat(claim.task().leaseId()).isNotBlank();
        assertThat(claim.task().leaseExpiresAt()).isEqualTo(now.plus(LEASE));
        assertThat(queue.job(jobId).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        assertThat(task(jobId)).isEqualTo(claim.task());
        assertThat(eventTypes(jobId)).containsExactly("submitted", "leased");
        assertThat(queue.claim(W2, now, LEASE)).as("a leased task is not leased twice").isEmpty();
    }

    @Test
    void aWorkerThatLacksTheEncoderGetsNothing() {
        submit("a", T0);
        WorkerFit hevcOnly = new WorkerFit("w-hevc", Set.of("libx265"), 2160, Set.of("transcode"));

        assertThat(queue.claim(hevcOnly, T0, LEASE)).isEmpty();
        assertThat(queue.claim(W1, T0, LEASE)).isPresent();
    }

    @Test
    void aWorkerWhoseMaxHeightIsBelowTheTasksMinHeightGetsNothing() {
        String jobId = queue.submit(spec("a", Priority.NORMAL, Map.of(), null),
                new Requirements("libx264", 1080, "transcode"), T0, RETRY).job().id();
        WorkerFit small = new WorkerFit("w-small", Set.of("libx264"), 720, Set.of("transcode"));

        assertThat(queue.claim(small, T0, LEASE)).isEmpty();
        assertThat(queue.claim(W1, T0, LEASE)).as("maxHeight equal to min_height fits")
                .hasValueSatisfying(c -> assertThat(c.job().id()).isEqualTo(jobId));
    }

    @Test
    void aWorkerThatServesAnotherPoolGetsNothing() {
        submit("a", T0);
        WorkerFit thumbnails = new WorkerFit("w-thumbs", Set.of("libx264"), 2160, Set.of("thumbnails"));

        assertThat(queue.claim(thumbnails, T0, LEASE)).isEmpty();
        assertThat(queue.claim(W1, T0, LEASE)).isPresent();
    }

    @Test
    void aTaskWaitingOutItsBackoffIsNotClaimableUntilItsNotBefore() {
        String jobId = submit("a", T0).id();
        Claim first = claim(W1, T0);
        Instant failedAt = T0.plusSeconds(3);
        queue.fail(jobId, lease(first), "ffmpeg exited 1", true, failedAt, RETRY);
        Instant due = failedAt.plusSeconds(10);

        assertThat(queue.hasDueTasks(due.minusMillis(1))).isFalse();
        assertThat(queue.claim(W1, due.minusMillis(1), LEASE)).isEmpty();
        assertThat(queue.hasDueTasks(due)).isTrue();
        assertThat(queue.claim(W1, due, LEASE)).hasValueSatisfying(c -> assertThat(c.task().attempt()).isEqualTo(2));
    }

    // ---------------------------------------------------------------- progress

    @Test
    void progressOnTheLiveLeaseUpdatesTaskAndJobAndRenewsTheLease() {
        String jobId = submit("a", T0).id();
        Claim claim = claim(W1, T0);
        Instant now = T0.plusSeconds(20);

        queue.progress(jobId, lease(claim), 42.5, 61.0, 90, now, LEASE);

        Task task = task(jobId);
        assertThat(task.progress()).isEqualTo(42.5);
        assertThat(task.fps()).isEqualTo(61.0);
        assertThat(task.etaSec()).isEqualTo(90);
        assertThat(task.leaseExpiresAt()).isEqualTo(now.plus(LEASE));
        assertThat(task.leaseId()).isEqualTo(claim.task().leaseId());
        Job job = queue.job(jobId).orElseThrow();
        assertThat(job.progress()).isEqualTo(42.5);
        assertThat(job.fps()).isEqualTo(61.0);
        assertThat(job.etaSec()).isEqualTo(90);

        // past the first lease's end, within the renewed one
        Instant later = T0.plus(LEASE).plusSeconds(5);
        assertThat(queue.requeueExpired(later, RETRY)).isEmpty();
        queue.progress(jobId, lease(claim), 80, 60.0, 20, later, LEASE);
        assertThat(task(jobId).progress()).isEqualTo(80);
    }

    @Test
    void progressWithAWrongLeaseIdIsRefusedAndChangesNothing() {
        String jobId = submit("a", T0).id();
        claim(W1, T0);

        assertRefusedAndNothingChanges(jobId, () -> queue.progress(jobId, new JobQueue.LeaseRef("w1", "lease_forged"),
                50, 30.0, 10, T0.plusSeconds(1), LEASE));
    }

    @Test
    void progressFromAnotherWorkerIsRefusedAndChangesNothing() {
        String jobId = submit("a", T0).id();
        Claim claim = claim(W1, T0);

        assertRefusedAndNothingChanges(jobId, () -> queue.progress(jobId, new JobQueue.LeaseRef("w2", claim.task().leaseId()),
                50, 30.0, 10, T0.plusSeconds(1), LEASE));
    }

    @Test
    void progressAfterTheLeaseExpiredIsRefusedAndChangesNothing() {
        String jobId = submit("a", T0).id();
        Claim claim = claim(W1, T0);

        assertRefusedAndNothingChanges(jobId, () -> queue.progress(jobId, lease(claim),
                50, 30.0, 10, T0.plus(LEASE), LEASE));
    }

    @Test
    void renewingExtendsOnlyTheLeasesTheWorkerStillNames() {
        String a = submit("a", T0).id();
        String b = submit("b", T0.plusSeconds(1)).id();
        String other = submit("c", T0.plusSeconds(2)).id();
        claim(W1, T0.plusSeconds(5));
        claim(W1, T0.plusSeconds(5));
        claim(W2, T0.plusSeconds(5));
        Instant now = T0.plusSeconds(20);
        queue.saveWorker(worker("w1", T0));

        queue.heartbeat("w1", "BUSY", null, null, List.of(task(a).leaseId()), now, LEASE).orElseThrow();

        assertThat(task(a).leaseExpiresAt()).isEqualTo(now.plus(LEASE));
        assertThat(task(b).leaseExpiresAt()).as("a lease the worker no longer names is left to expire")
                .isEqualTo(T0.plusSeconds(5).plus(LEASE));
        assertThat(task(other).leaseExpiresAt()).isEqualTo(T0.plusSeconds(5).plus(LEASE));
        queue.heartbeat("w1", "BUSY", null, null, List.of(task(other).leaseId()), now.plusSeconds(1), LEASE).orElseThrow();
        assertThat(task(other).leaseExpiresAt()).as("another worker's lease").isEqualTo(T0.plusSeconds(5).plus(LEASE));
        assertThat(queue.heartbeat("nobody", "IDLE", null, null, List.of(), now, LEASE)).as("an unknown worker").isEmpty();
    }

    @Test
    void aSeedWorkerRenewsTheLeaseOfTheJobItReportsAsCurrent() {
        String a = submit("a", T0).id();
        claim(W1, T0.plusSeconds(5));
        Instant now = T0.plusSeconds(20);
        queue.saveWorker(worker("w1", T0));

        queue.heartbeat("w1", "BUSY", null, a, null, now, LEASE).orElseThrow();
        assertThat(task(a).leaseExpiresAt()).isEqualTo(now.plus(LEASE));
        queue.heartbeat("w1", "IDLE", null, null, null, now.plusSeconds(1), LEASE).orElseThrow();
        assertThat(task(a).leaseExpiresAt()).as("an idle sync renews nothing").isEqualTo(now.plus(LEASE));
    }

    // ---------------------------------------------------------------- complete

    @Test
    void aCompletedJobKeepsTheResultStatisticsItsWorkerMeasured() {
        String jobId = submit("a", T0).id();
        Claim claim = claim(W1, T0);
        queue.progress(jobId, lease(claim), new JobQueue.Report(40, 60, 2.5, 8, 300L), List.of(), T0.plusSeconds(5), LEASE);
        assertThat(queue.job(jobId).orElseThrow().speed()).isEqualTo(2.5);

        Job job = queue.complete(jobId, lease(claim), new JobQueue.Outcome("/out/a/master.m3u8", 12_000, null,
                new JobResult(720L, 24.0, 1_234_567L)), T0.plusSeconds(12));

        assertThat(job.result()).isEqualTo(new JobResult(720L, 24.0, 1_234_567L));
        assertThat(job.speed()).isZero();
        assertThat(queue.job(jobId).orElseThrow().result()).isEqualTo(job.result());
    }

    @Test
    void completeCommitsOnceAndASecondCompleteIsRefused() {
        String jobId = submit("a", T0).id();
        Claim claim = claim(W1, T0);
        Instant done = T0.plusSeconds(12);

        Job job = queue.complete(jobId, lease(claim), "/out/a/master.m3u8", 12_000, done);

        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.manifestUrl()).isEqualTo("/out/a/master.m3u8");
        assertThat(job.progress()).isEqualTo(100);
        assertThat(job.finishedAt()).isEqualTo(done);
        assertThat(queue.job(jobId)).contains(job);
        assertThat(task(jobId).state()).isEqualTo(TaskState.DONE);

        assertThat(job.result()).as("a worker that measured nothing (seed 001): no statistics").isNull();

        assertConflict(() -> queue.complete(jobId, lease(claim), "/out/a/other.m3u8", 1, done.plusSeconds(1)));
        assertThat(queue.job(jobId)).contains(job);
        assertThat(eventTypes(jobId)).containsOnlyOnce("completed").containsExactly("submitted", "leased", "completed");
    }

    @Test
    void completeWithAStaleLeaseIsRefused() {
        String jobId = submit("a", T0).id();
        Claim claim = claim(W1, T0);

        assertConflict(() -> queue.complete(jobId, new JobQueue.LeaseRef("w1", "lease_old"), "/out/a/m.m3u8", 1, T0.plusSeconds(1)));
        assertConflict(() -> queue.complete(jobId, new JobQueue.LeaseRef("w2", claim.task().leaseId()), "/out/a/m.m3u8", 1,
                T0.plusSeconds(1)));
        assertConflict(() -> queue.complete(jobId, lease(claim), "/out/a/m.m3u8", 1, T0.plus(LEASE)));

        assertThat(queue.job(jobId).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        assertThat(task(jobId).state()).isEqualTo(TaskState.LEASED);
        assertThat(eventTypes(jobId)).doesNotContain("completed");
    }

    // ---------------------------------------------------------------- lease expiry

    @Test
    void anExpiredLeaseIsRequeuedWithItsAttemptKeptAfterTheRetryDelay() {
        String jobId = submit("a", T0).id();
        Claim first = claim(W1, T0);
        Instant expiry = T0.plus(LEASE);

        assertThat(queue.requeueExpired(expiry.minusMillis(1), RETRY)).isEmpty();
        assertThat(queue.requeueExpired(expiry, RETRY)).extracting(Task::id).containsExactly(first.task().id());

        Task queued = task(jobId);
        assertThat(queued.state()).isEqualTo(TaskState.QUEUED);
        assertThat(queued.attempt()).isEqualTo(1);
        assertThat(queued.workerId()).isNull();
        assertThat(queued.leaseId()).isNull();
        assertThat(queued.lastError()).contains("lease expired");
        assertThat(queued.notBefore()).isEqualTo(expiry.plusSeconds(10));
        assertThat(queue.requeueExpired(expiry.plusSeconds(1), RETRY)).as("re-queued once").isEmpty();

        Instant second = expiry.plusSeconds(10);
        claim(W2, second);
        Instant secondExpiry = second.plus(LEASE);
        assertThat(queue.requeueExpired(secondExpiry, RETRY)).hasSize(1);
        assertThat(task(jobId).attempt()).isEqualTo(2);
        assertThat(task(jobId).notBefore()).isEqualTo(secondExpiry.plusSeconds(20));
        assertThat(eventTypes(jobId)).containsExactly("submitted", "leased", "lease-expired", "leased", "lease-expired");
    }

    @Test
    void aLateCompleteOnALeaseThatWasRequeuedIsRefusedAndOnlyTheNewLeaseCommits() {
        String jobId = submit("a", T0).id();
        Claim stale = claim(W1, T0);
        Instant expiry = T0.plus(LEASE);
        queue.requeueExpired(expiry, RETRY);

        assertConflict(() -> queue.complete(jobId, lease(stale), "/out/a/late.m3u8", 1, expiry.plusSeconds(1)));

        Claim fresh = claim(W1, expiry.plusSeconds(10));   // the same worker, a new lease
        assertThat(fresh.task().leaseId()).isNotEqualTo(stale.task().leaseId());
        assertConflict(() -> queue.complete(jobId, lease(stale), "/out/a/late.m3u8", 1, expiry.plusSeconds(11)));
        assertConflict(() -> queue.progress(jobId, lease(stale), 99, 1, 1, expiry.plusSeconds(11), LEASE));

        Job job = queue.complete(jobId, lease(fresh), "/out/a/master.m3u8", 5, expiry.plusSeconds(12));
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.manifestUrl()).isEqualTo("/out/a/master.m3u8");

        assertConflict(() -> queue.complete(jobId, lease(stale), "/out/a/late.m3u8", 1, expiry.plusSeconds(13)));
        assertThat(queue.job(jobId).orElseThrow().manifestUrl()).isEqualTo("/out/a/master.m3u8");
        assertThat(eventTypes(jobId)).containsOnlyOnce("completed");
    }

    // ---------------------------------------------------------------- failure

    @Test
    void afterTheLastAttemptTheJobFailsWithTheLastErrorAndTheEventsListEveryAttempt() {
        String jobId = submit("a", T0).id();
        Instant t = T0;

        Claim one = claim(W1, t);
        queue.fail(jobId, lease(one), "ffmpeg exited 1 on attempt 1", true, t = t.plusSeconds(1), RETRY);
        claim(W1, t = t.plusSeconds(10));                                      // attempt 2 is abandoned
        queue.requeueExpired(t = t.plus(LEASE), RETRY);
        Claim three = claim(W2, t = t.plusSeconds(20));
        queue.fail(jobId, lease(three), "ffmpeg exited 1 on attempt 3", true, t = t.plusSeconds(1), RETRY);
        Claim four = claim(W1, t = t.plusSeconds(40));
        Instant end = t.plusSeconds(1);
        Job job = queue.fail(jobId, lease(four), "ffmpeg exited 1 on attempt 4", true, end, RETRY);

        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.error()).isEqualTo("ffmpeg exited 1 on attempt 4 (after 4 attempts)");
        assertThat(job.finishedAt()).isEqualTo(end);
        assertThat(task(jobId).state()).isEqualTo(TaskState.FAILED);
        assertThat(task(jobId).attempt()).isEqualTo(4);
        assertThat(queue.hasDueTasks(end.plusSeconds(3600))).isFalse();
        assertThat(queue.claim(W1, end.plusSeconds(3600), LEASE)).isEmpty();

        List<Event> events = queue.events(jobId);
        assertThat(events).extracting(e -> e.type().wire()).containsExactly("submitted",
                "leased", "failed", "leased", "lease-expired", "leased", "failed", "leased", "failed");
        List<Event> ends = events.stream().filter(e -> e.type() != EventType.SUBMITTED && e.type() != EventType.LEASED).toList();
        assertThat(ends.get(0).detail()).startsWith("attempt 1: ffmpeg exited 1 on attempt 1");
        assertThat(ends.get(1).detail()).startsWith("attempt 2: lease expired");
        assertThat(ends.get(2).detail()).startsWith("attempt 3: ffmpeg exited 1 on attempt 3");
        assertThat(ends.get(3).detail()).isEqualTo("attempt 4, final: ffmpeg exited 1 on attempt 4");
    }

    @Test
    void aLeaseThatExpiresOnTheLastAttemptFailsTheJob() {
        RetryPolicy once = new RetryPolicy(0, Duration.ofSeconds(10), 2.0);
        String jobId = queue.submit(spec("a", Priority.NORMAL, Map.of(), null), H264, T0, once).job().id();
        claim(W1, T0);

        queue.requeueExpired(T0.plus(LEASE), once);

        Job job = queue.job(jobId).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.error()).startsWith("lease expired").endsWith("(after 1 attempt)");
        assertThat(task(jobId).state()).isEqualTo(TaskState.FAILED);
    }

    @Test
    void aNonRetryableFailureIsRetriedOnceAndTheSameErrorAgainFailsTheJobAtOnce() {
        String jobId = submit("a", T0).id();
        Claim first = claim(W1, T0);

        Job afterFirst = queue.fail(jobId, lease(first), "/in/a.mp4: no such file", false, T0.plusSeconds(1), RETRY);

        assertThat(afterFirst.state()).as("maybe only w1 lacks the mount").isNotEqualTo(JobState.FAILED);
        assertThat(task(jobId).state()).isEqualTo(TaskState.QUEUED);
        assertThat(task(jobId).notBefore()).isEqualTo(T0.plusSeconds(11));

        Claim second = claim(W2, T0.plusSeconds(11));
        Job afterSecond = queue.fail(jobId, lease(second), "/in/a.mp4: no such file", false, T0.plusSeconds(12), RETRY);

        assertThat(afterSecond.state()).isEqualTo(JobState.FAILED);
        assertThat(afterSecond.error()).isEqualTo("/in/a.mp4: no such file (after 2 attempts)");
        assertThat(task(jobId).state()).isEqualTo(TaskState.FAILED);
        assertThat(queue.claim(W1, T0.plusSeconds(3600), LEASE)).isEmpty();
    }

    @Test
    void aRetryableFailureIsRequeuedWithBackoff() {
        String jobId = submit("a", T0).id();

        Claim first = claim(W1, T0);
        Job job = queue.fail(jobId, lease(first), "ffmpeg exited 1", true, T0.plusSeconds(1), RETRY);
        assertThat(job.state()).isNotEqualTo(JobState.FAILED);
        assertThat(task(jobId).state()).isEqualTo(TaskState.QUEUED);
        assertThat(task(jobId).lastError()).isEqualTo("ffmpeg exited 1");
        assertThat(task(jobId).notBefore()).isEqualTo(T0.plusSeconds(11));

        Claim second = claim(W1, T0.plusSeconds(11));
        queue.fail(jobId, lease(second), "ffmpeg exited 1", true, T0.plusSeconds(12), RETRY);
        assertThat(task(jobId).state()).isEqualTo(TaskState.QUEUED);
        assertThat(task(jobId).notBefore()).isEqualTo(T0.plusSeconds(32));
        assertThat(queue.job(jobId).orElseThrow().state()).isNotEqualTo(JobState.FAILED);
    }

    @Test
    void aFailureOnAStaleLeaseIsRefused() {
        String jobId = submit("a", T0).id();
        Claim claim = claim(W1, T0);

        assertConflict(() -> queue.fail(jobId, new JobQueue.LeaseRef("w1", "lease_old"), "boom", true, T0.plusSeconds(1), RETRY));
        assertConflict(() -> queue.fail(jobId, lease(claim), "boom", true, T0.plus(LEASE), RETRY));
        assertThat(task(jobId).state()).isEqualTo(TaskState.LEASED);
        assertThat(task(jobId).lastError()).isNull();
    }

    // ---------------------------------------------------------------- cancel

    @Test
    void cancellingAQueuedJobCancelsItsTaskAndLeavesNothingToClaim() {
        String jobId = submit("a", T0).id();

        assertThat(queue.cancel(jobId, T0.plusSeconds(1))).isTrue();

        Job job = queue.job(jobId).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.CANCELLED);
        assertThat(job.finishedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(task(jobId).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(queue.claim(W1, T0.plusSeconds(2), LEASE)).isEmpty();
        assertThat(queue.hasDueTasks(T0.plusSeconds(2))).isFalse();
        assertThat(queue.queueDepth()).isEmpty();
        assertThat(cancelledAtSync(queue, "w1")).isEmpty();
        assertThat(eventTypes(jobId)).containsExactly("submitted", "cancelled");
    }

    @Test
    void cancellingARunningJobTellsItsWorkerUntilTheWorkerReleasesIt() {
        String jobId = submit("a", T0).id();
        claim(W1, T0);

        assertThat(queue.cancel(jobId, T0.plusSeconds(5))).isTrue();

        Job job = queue.job(jobId).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.CANCELLED);
        assertThat(task(jobId).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(cancelledAtSync(queue, "w1")).containsExactly(jobId);
        assertThat(cancelledAtSync(queue, "w2")).isEmpty();
        assertThat(queue.requeueExpired(T0.plusSeconds(10), RETRY)).as("a cancelled task is not re-queued").isEmpty();
        assertThat(cancelledAtSync(queue, "w1")).as("told until it stops, while its lease lasts").containsExactly(jobId);

        queue.releaseCancelled(jobId, "w1");

        assertThat(cancelledAtSync(queue, "w1")).isEmpty();
        assertThat(task(jobId).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(queue.claim(W1, T0.plusSeconds(3600), LEASE)).isEmpty();
    }

    @Test
    void aCancelNoticeForAWorkerThatNeverCameBackLapsesWithItsLease() {
        String jobId = submit("a", T0).id();
        claim(W1, T0);
        queue.cancel(jobId, T0.plusSeconds(5));

        assertThat(queue.requeueExpired(T0.plusSeconds(3600), RETRY)).isEmpty();

        assertThat(cancelledAtSync(queue, "w1")).as("a new worker of the same name is not told about it").isEmpty();
        assertThat(task(jobId).state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void progressCompleteAndFailOnACancelledJobAreRefused() {
        String jobId = submit("a", T0).id();
        Claim claim = claim(W1, T0);
        queue.cancel(jobId, T0.plusSeconds(5));

        assertConflict(() -> queue.progress(jobId, lease(claim), 50, 30, 10, T0.plusSeconds(6), LEASE));
        assertConflict(() -> queue.complete(jobId, lease(claim), "/out/a/master.m3u8", 1, T0.plusSeconds(6)));
        assertConflict(() -> queue.fail(jobId, lease(claim), "killed", false, T0.plusSeconds(6), RETRY));

        assertThat(queue.job(jobId).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(queue.job(jobId).orElseThrow().manifestUrl()).isNull();
        assertThat(eventTypes(jobId)).containsExactly("submitted", "leased", "cancelled");
    }

    @Test
    void cancellingAJobThatEndedReturnsFalse() {
        String completed = submit("a", T0).id();
        queue.complete(completed, lease(claim(W1, T0)), "/out/a/master.m3u8", 1, T0.plusSeconds(1));
        String failed = queue.submit(spec("b", Priority.NORMAL, Map.of(), null), H264, T0.plusSeconds(2),
                new RetryPolicy(0, Duration.ofSeconds(10), 2.0)).job().id();
        queue.fail(failed, lease(claim(W1, T0.plusSeconds(2))), "boom", true, T0.plusSeconds(3), RETRY);
        String cancelled = submit("c", T0.plusSeconds(4)).id();
        queue.cancel(cancelled, T0.plusSeconds(5));

        assertThat(queue.cancel(completed, T0.plusSeconds(10))).isFalse();
        assertThat(queue.cancel(failed, T0.plusSeconds(10))).isFalse();
        assertThat(queue.cancel(cancelled, T0.plusSeconds(10))).isFalse();
        assertThat(queue.cancel("job_none", T0.plusSeconds(10))).isFalse();

        assertThat(queue.job(completed).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(queue.job(failed).orElseThrow().state()).isEqualTo(JobState.FAILED);
        assertThat(queue.job(cancelled).orElseThrow().finishedAt()).isEqualTo(T0.plusSeconds(5));
    }

    // ---------------------------------------------------------------- workers

    @Test
    void removingAWorkerHandsItsTaskBackWithoutUsingUpAnAttempt() {
        queue.saveWorker(worker("w1", T0));
        String jobId = submit("a", T0).id();
        Claim first = claim(W1, T0);
        queue.fail(jobId, lease(first), "ffmpeg exited 1", true, T0.plusSeconds(1), RETRY);
        Claim second = claim(W1, T0.plusSeconds(11));
        assertThat(second.task().attempt()).isEqualTo(2);

        queue.removeWorker("w1", T0.plusSeconds(12));

        Task task = task(jobId);
        assertThat(task.state()).isEqualTo(TaskState.QUEUED);
        assertThat(task.attempt()).isEqualTo(1);
        assertThat(task.workerId()).isNull();
        assertThat(task.leaseId()).isNull();
        assertThat(queue.worker("w1")).isEmpty();
        assertThat(queue.hasDueTasks(T0.plusSeconds(12))).as("handed back at once, no backoff").isTrue();
        assertConflict(() -> queue.complete(jobId, lease(second), "/out/a/master.m3u8", 1, T0.plusSeconds(13)));
        assertThat(claim(W2, T0.plusSeconds(12)).task().attempt()).isEqualTo(2);
        assertThat(eventTypes(jobId)).contains("handed-back");
    }

    @Test
    void removingAWorkerLeavesOtherWorkersTasksAlone() {
        queue.saveWorker(worker("w1", T0));
        queue.saveWorker(worker("w2", T0));
        String mine = submit("a", T0).id();
        String theirs = submit("b", T0.plusSeconds(1)).id();
        claim(W1, T0.plusSeconds(2));
        claim(W2, T0.plusSeconds(2));

        queue.removeWorker("w1", T0.plusSeconds(3));

        assertThat(task(mine).state()).isEqualTo(TaskState.QUEUED);
        assertThat(task(theirs).state()).isEqualTo(TaskState.LEASED);
        assertThat(task(theirs).workerId()).isEqualTo("w2");
        assertThat(queue.workers()).extracting(WorkerRecord::id).containsExactly("w2");
    }

    @Test
    void aSyncFromAnUnknownWorkerFindsNothing() {
        assertThat(queue.heartbeat("ghost", "IDLE", null, null, List.of(), T0, LEASE)).isEmpty();
        assertThat(queue.worker("ghost")).isEmpty();
    }

    @Test
    void aSyncFromAKnownWorkerRecordsItsHeartbeat() {
        queue.saveWorker(worker("w1", T0));

        assertThat(queue.heartbeat("w1", "BUSY", "{\"cpu\":0.5}", "job_x", List.of(), T0.plusSeconds(15), LEASE)).isPresent();

        WorkerRecord w = queue.worker("w1").orElseThrow();
        assertThat(w.status()).isEqualTo("BUSY");
        assertThat(w.hardwareJson()).isEqualTo("{\"cpu\":0.5}");
        assertThat(w.currentJobId()).isEqualTo("job_x");
        assertThat(w.lastSeenAt()).isEqualTo(T0.plusSeconds(15));
        assertThat(w.registeredAt()).isEqualTo(T0);
    }

    @Test
    void savingAWorkerTwiceUpdatesIt() {
        WorkerRecord first = worker("w1", T0);
        queue.saveWorker(first);
        assertThat(queue.worker("w1")).contains(first);

        WorkerRecord again = new WorkerRecord("w1", 2, "{\"encoders\":[\"libx264\",\"libx265\"]}",
                List.of("transcode", "gpu"), 4, "DRAINING", null, null, T0.plusSeconds(60), T0.plusSeconds(60));
        queue.saveWorker(again);

        WorkerRecord stored = queue.worker("w1").orElseThrow();
        assertThat(stored.protocol()).isEqualTo(2);
        assertThat(stored.capabilitiesJson()).isEqualTo(again.capabilitiesJson());
        assertThat(stored.pools()).containsExactly("transcode", "gpu");
        assertThat(stored.slots()).isEqualTo(4);
        assertThat(stored.status()).isEqualTo("DRAINING");
        assertThat(stored.lastSeenAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(queue.workers()).hasSize(1);
    }

    /**
     * A worker that restarts registers again with no current job and no hardware yet; the record
     * must not keep its previous life's values (the cluster view shows current_job_id).
     */
    @Test
    void savingAWorkerAgainReplacesItsCurrentJobAndHardware() {
        queue.saveWorker(worker("w1", T0));
        queue.heartbeat("w1", "BUSY", "{\"cpu\":0.9}", "job_before_restart", List.of(), T0.plusSeconds(10), LEASE);

        queue.saveWorker(new WorkerRecord("w1", 2, "{}", List.of("transcode"), 1, "IDLE", null, null,
                T0.plusSeconds(60), T0.plusSeconds(60)));

        WorkerRecord stored = queue.worker("w1").orElseThrow();
        assertThat(stored.currentJobId()).isNull();
        assertThat(stored.hardwareJson()).isNull();
    }

    @Test
    void workersAreListedById() {
        queue.saveWorker(worker("w-b", T0));
        queue.saveWorker(worker("w-a", T0));

        assertThat(queue.workers()).extracting(WorkerRecord::id).containsExactly("w-a", "w-b");
        assertThat(queue.worker("w-a")).contains(worker("w-a", T0));
    }

    // ---------------------------------------------------------------- tokens

    @Test
    void tokensAreFoundByHashAndOnlyClientAndJoinTokensCount() {
        assertThat(queue.hasTokens()).isFalse();
        assertThat(queue.token("h-none")).isEmpty();

        queue.saveToken("h-worker", "worker", "w1", T0);
        assertThat(queue.token("h-worker")).contains(new JobQueue.TokenRecord("worker", "w1"));
        assertThat(queue.hasTokens()).as("a worker's own credential does not count").isFalse();

        queue.saveToken("h-join", "join", null, T0);
        assertThat(queue.hasTokens()).isTrue();
        assertThat(queue.token("h-join")).contains(new JobQueue.TokenRecord("join", null));

        queue.saveToken("h-worker", "client", null, T0.plusSeconds(1));   // an existing hash is kept as it was
        assertThat(queue.token("h-worker")).contains(new JobQueue.TokenRecord("worker", "w1"));
    }

    @Test
    void aClientTokenAloneCounts() {
        queue.saveToken("h-client", "client", null, T0);

        assertThat(queue.hasTokens()).isTrue();
        assertThat(queue.token("h-client")).contains(new JobQueue.TokenRecord("client", null));
    }

    // ---------------------------------------------------------------- listing

    @Test
    void jobsAreListedNewestFirst() {
        String a = submit("a", T0).id();
        String b = submit("b", T0.plusSeconds(1)).id();
        String c = submit("c", T0.plusSeconds(2)).id();

        JobQueue.Page page = queue.jobs(Optional.empty(), Optional.empty(), 10, Optional.empty());

        assertThat(page.jobs()).extracting(Job::id).containsExactly(c, b, a);
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void jobsAreFilteredByStateAndByLabel() {
        String queued = queue.submit(spec("a", Priority.NORMAL, Map.of("movie_id", "1", "team", "red"), null),
                H264, T0, RETRY).job().id();
        String running = queue.submit(spec("b", Priority.HIGH, Map.of("movie_id", "2", "team", "red"), null),
                H264, T0.plusSeconds(1), RETRY).job().id();
        String blue = queue.submit(spec("c", Priority.NORMAL, Map.of("movie_id", "3", "team", "blue"), null),
                H264, T0.plusSeconds(2), RETRY).job().id();
        assertThat(claim(W1, T0.plusSeconds(3)).job().id()).isEqualTo(running);

        assertThat(ids(queue.jobs(Optional.of(JobState.QUEUED), Optional.empty(), 10, Optional.empty())))
                .containsExactly(blue, queued);
        assertThat(ids(queue.jobs(Optional.of(JobState.RUNNING), Optional.empty(), 10, Optional.empty())))
                .containsExactly(running);
        assertThat(ids(queue.jobs(Optional.empty(), Optional.of(Map.entry("team", "red")), 10, Optional.empty())))
                .containsExactly(running, queued);
        assertThat(ids(queue.jobs(Optional.of(JobState.QUEUED), Optional.of(Map.entry("team", "red")), 10, Optional.empty())))
                .containsExactly(queued);
        assertThat(ids(queue.jobs(Optional.empty(), Optional.of(Map.entry("movie_id", "3")), 10, Optional.empty())))
                .containsExactly(blue);
        assertThat(ids(queue.jobs(Optional.empty(), Optional.of(Map.entry("team", "green")), 10, Optional.empty())))
                .isEmpty();
        assertThat(ids(queue.jobs(Optional.of(JobState.COMPLETED), Optional.empty(), 10, Optional.empty()))).isEmpty();
    }

    @Test
    void pagingWithNextCursorVisitsEveryJobExactlyOnce() {
        // ties in created_at are on purpose: the cursor must still split them cleanly
        Instant[] at = {T0, T0, T0.plusSeconds(1), T0.plusSeconds(1), T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(3)};
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < at.length; i++) submitted.add(submit("j" + i, at[i]).id());

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        for (int pages = 0; pages < 10; pages++) {
            JobQueue.Page page = queue.jobs(Optional.empty(), Optional.empty(), 3, cursor);
            sizes.add(page.jobs().size());
            seen.addAll(ids(page));
            if (page.nextCursor() == null) break;
            cursor = Optional.of(page.nextCursor());
        }

        assertThat(sizes).containsExactly(3, 3, 1);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(submitted);
        assertThat(seen).as("newest first across pages")
                .isEqualTo(ids(queue.jobs(Optional.empty(), Optional.empty(), 100, Optional.empty())));
        assertThat(seen.get(0)).isEqualTo(submitted.get(6));
    }

    @Test
    void aPageThatEndsExactlyAtTheLastJobHasNoNextCursor() {
        for (int i = 0; i < 3; i++) submit("j" + i, T0.plusSeconds(i));

        assertThat(queue.jobs(Optional.empty(), Optional.empty(), 3, Optional.empty()).nextCursor()).isNull();
    }

    @Test
    void aGarbageCursorIsRefused() {
        submit("a", T0);

        for (String garbage : List.of("garbage", "12345", "abc:job_x", ":"))
            assertThatThrownBy(() -> queue.jobs(Optional.empty(), Optional.empty(), 3, Optional.of(garbage)))
                    .as("cursor %s", garbage)
                    .isInstanceOfSatisfying(SpoolError.class, e -> {
                        assertThat(e.code()).isEqualTo(SpoolError.Code.INVALID);
                        assertThat(e.field()).isEqualTo("cursor");
                    });
    }

    // ---------------------------------------------------------------- queue

    @Test
    void queueDepthCountsQueuedTasksByPoolAndPriority() {
        submit("a", Priority.HIGH, T0);
        submit("b", Priority.NORMAL, T0);
        submit("c", Priority.NORMAL, T0);
        submit("d", Priority.LOW, T0);
        Requirements thumbs = new Requirements("libx264", 0, "thumbs");
        queue.submit(spec("e", Priority.LOW, Map.of(), null), thumbs, T0, RETRY);
        queue.submit(spec("f", Priority.LOW, Map.of(), null), thumbs, T0, RETRY);

        assertThat(queue.queueDepth()).containsExactly(
                new JobQueue.QueueDepth("thumbs", "LOW", 2),
                new JobQueue.QueueDepth("transcode", "HIGH", 1),
                new JobQueue.QueueDepth("transcode", "NORMAL", 2),
                new JobQueue.QueueDepth("transcode", "LOW", 1));

        claim(W1, T0);   // takes the HIGH one: leased tasks are not queued
        assertThat(queue.queueDepth()).containsExactly(
                new JobQueue.QueueDepth("thumbs", "LOW", 2),
                new JobQueue.QueueDepth("transcode", "NORMAL", 2),
                new JobQueue.QueueDepth("transcode", "LOW", 1));
    }

    @Test
    void hasDueTasksRespectsNotBefore() {
        assertThat(queue.hasDueTasks(T0)).isFalse();
        String jobId = submit("a", T0.plusSeconds(5)).id();
        assertThat(queue.hasDueTasks(T0.plusSeconds(4))).as("not before its submission").isFalse();
        assertThat(queue.hasDueTasks(T0.plusSeconds(5))).isTrue();

        Claim claim = claim(W1, T0.plusSeconds(5));
        assertThat(queue.hasDueTasks(T0.plusSeconds(5))).as("a leased task is not due").isFalse();
        queue.fail(jobId, lease(claim), "boom", true, T0.plusSeconds(6), RETRY);
        assertThat(queue.hasDueTasks(T0.plusSeconds(15))).isFalse();
        assertThat(queue.hasDueTasks(T0.plusSeconds(16))).isTrue();
    }

    // ---------------------------------------------------------------- helpers

    /** A job that runs whole (piece_seconds 0): one transcode task. */
    static JobSpec spec(String name, Priority priority, Map<String, String> labels, String idempotencyKey) {
        return new JobSpec("/in/" + name + ".mp4", "/out/" + name, List.of(), null, null, null, priority, labels, null,
                idempotencyKey, 0);
    }

    Job submit(String name, Instant at) {
        return submit(name, Priority.NORMAL, at);
    }

    Job submit(String name, Priority priority, Instant at) {
        return queue.submit(spec(name, priority, Map.of("movie_id", name), null), H264, at, RETRY).job();
    }

    Claim claim(WorkerFit worker, Instant at) {
        return queue.claim(worker, at, LEASE).orElseThrow(() -> new AssertionError(worker.workerId() + " got no task at " + at));
    }

    static JobQueue.LeaseRef lease(Claim claim) {
        return new JobQueue.LeaseRef(claim.task().workerId(), claim.task().leaseId());
    }

    Task task(String jobId) {
        List<Task> tasks = queue.tasks(jobId);
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }

    List<String> eventTypes(String jobId) {
        return queue.events(jobId).stream().map(e -> e.type().wire()).toList();
    }

    static List<String> ids(JobQueue.Page page) {
        return page.jobs().stream().map(Job::id).toList();
    }

    /** The cancelled jobs a worker's sync tells it to stop (the worker is registered first when unknown). */
    static List<String> cancelledAtSync(JobQueue queue, String workerId) {
        if (queue.worker(workerId).isEmpty()) queue.saveWorker(worker(workerId, T0));
        return queue.heartbeat(workerId, "BUSY", null, null, List.of(), T0, LEASE).orElseThrow().cancelled();
    }

    static WorkerRecord worker(String id, Instant at) {
        return new WorkerRecord(id, 2, "{\"encoders\":[\"libx264\"]}", List.of("transcode"), 1, "IDLE", null, null, at, at);
    }

    static void assertConflict(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SpoolError.class, e -> {
            assertThat(e.code()).isEqualTo(SpoolError.Code.CONFLICT);
            assertThat(e.field()).isEqualTo("lease_id");
        });
    }

    void assertRefusedAndNothingChanges(String jobId, ThrowingCallable call) {
        Task taskBefore = task(jobId);
        Job jobBefore = queue.job(jobId).orElseThrow();
        List<Event> eventsBefore = queue.events(jobId);

        assertConflict(call);

        assertThat(task(jobId)).isEqualTo(taskBefore);
        assertThat(queue.job(jobId)).contains(jobBefore);
        assertThat(queue.events(jobId)).isEqualTo(eventsBefore);
    }
}
