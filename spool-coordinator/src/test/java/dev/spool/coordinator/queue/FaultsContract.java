package dev.spool.coordinator.queue;

import static dev.spool.coordinator.queue.JobQueueContract.H264;
import static dev.spool.coordinator.queue.JobQueueContract.LEASE;
import static dev.spool.coordinator.queue.JobQueueContract.RETRY;
import static dev.spool.coordinator.queue.JobQueueContract.T0;
import static dev.spool.coordinator.queue.JobQueueContract.W1;
import static dev.spool.coordinator.queue.JobQueueContract.W2;
import static dev.spool.coordinator.queue.JobQueueContract.lease;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.model.job.JobState;
import dev.spool.model.job.Priority;
import dev.spool.model.job.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queue's rules for faults, on every database, with time passed in: an assignment nobody
 * acknowledged goes back without using an attempt, a worker's restart ends its previous run's
 * attempts at once, no lease expires for a silence of every coordinator, and a job that used up
 * its retries is marked as needing a person until it is retried.
 */
abstract class FaultsContract extends QueueContract {
    static final Duration ACK = Duration.ofSeconds(10);
    static final Duration SILENCE = Duration.ofSeconds(5);
    static final WorkerFit W3 = new WorkerFit("w3", Set.of("libx264"), 1080, Set.of("transcode"));

    @BeforeEach
    void setUp() {
        for (WorkerFit w : List.of(W1, W2, W3)) queue.saveWorker(JobQueueContract.worker(w.workerId(), T0));
    }

    // ---------------------------------------------------------------- unacknowledged assignments

    @Test
    void anAssignmentNobodyAcknowledgesGoesBackToTheQueueWithoutUsingAnAttempt() {
        String jobId = submit("a", T0);
        Claim parked = claim(W1, T0);   // the reply went to a worker that is gone

        assertThat(queue.handBackUnacknowledged(ACK, LEASE, T0.plus(ACK).minusMillis(1))).isEmpty();
        assertThat(queue.handBackUnacknowledged(ACK, LEASE, T0.plus(ACK))).extracting(Task::id)
                .containsExactly(parked.task().id());

        Task back = only(jobId);
        assertThat(back.state()).isEqualTo(TaskState.QUEUED);
        assertThat(back.attempt()).as("not counted").isZero();
        assertThat(back.workerId()).isNull();
        assertThat(back.notBefore()).as("claimable at once").isEqualTo(T0.plus(ACK));
        assertThat(queue.job(jobId).orElseThrow().state()).as("nothing is leased: QUEUED again").isEqualTo(JobState.QUEUED);
        Event event = queue.events(jobId).getLast();
        assertThat(event.type()).isEqualTo(EventType.UNACKNOWLEDGED);
        assertThat(event.workerId()).isEqualTo("w1");
        assertThat(event.detail()).contains("did not acknowledge", parked.task().leaseId(), "attempt not counted");

        Claim live = claim(W2, T0.plus(ACK));
        assertThat(live.task().attempt()).isEqualTo(1);
        JobQueueContract.assertConflict(() -> queue.progress(jobId, lease(parked), 5, 1, 1, T0.plus(ACK), LEASE));
    }

    @Test
    void aSyncListingTheLeaseASyncNamingTheJobOrProgressAcknowledgesTheAssignment() {
        String byLease = submit("by-lease", T0);
        String byJob = submit("by-job", T0.plusMillis(1));
        String byProgress = submit("by-progress", T0.plusMillis(2));
        Claim one = claim(W1, T0.plusSeconds(1));
        claim(W2, T0.plusSeconds(1));
        Claim three = claim(W3, T0.plusSeconds(1));

        queue.heartbeat("w1", "BUSY", null, byLease, List.of(one.task().leaseId()), T0.plusSeconds(2), LEASE);   // Spool's worker
        queue.heartbeat("w2", "BUSY", null, byJob, null, T0.plusSeconds(2), LEASE);                               // seed 001's
        queue.progress(byProgress, lease(three), 3, 30, 60, T0.plusSeconds(2), LEASE);

        assertThat(queue.handBackUnacknowledged(ACK, LEASE, T0.plusSeconds(25))).isEmpty();
        for (String job : List.of(byLease, byJob, byProgress)) assertThat(only(job).state()).isEqualTo(TaskState.LEASED);
    }

    // ---------------------------------------------------------------- a worker restarts

    @Test
    void aWorkerThatRegistersAgainEndsItsPreviousRunsAttemptAndTheTaskCanBeClaimedAtOnce() {
        String jobId = submit("a", T0);
        Claim before = claim(W1, T0);
        String other = submit("b", T0.plusSeconds(1));
        Claim bystander = claim(W2, T0.plusSeconds(1));

        Instant restart = T0.plusSeconds(5);
        assertThat(queue.releasePreviousRun("w1", restart)).extracting(Task::id).containsExactly(before.task().id());

        Task back = only(jobId);
        assertThat(back.state()).isEqualTo(TaskState.QUEUED);
        assertThat(back.attempt()).as("the attempt ended with the run that held it").isEqualTo(1);
        assertThat(back.notBefore()).as("no backoff: the cause is known").isEqualTo(restart);
        assertThat(queue.events(jobId).getLast().type()).isEqualTo(EventType.WORKER_RESTARTED);
        assertThat(queue.events(jobId).getLast().detail()).contains("registered again", before.task().leaseId());
        assertThat(only(other).leaseId()).as("another worker's lease is untouched").isEqualTo(bystander.task().leaseId());

        Claim again = claim(W1, restart);
        assertThat(again.job().id()).isEqualTo(jobId);
        assertThat(again.task().attempt()).isEqualTo(2);
        JobQueueContract.assertConflict(() -> queue.complete(jobId, lease(before), "/out/a/index.m3u8", 1, restart));
    }

    // ---------------------------------------------------------------- coordinator outages

    @Test
    void theFirstBeatOnADatabaseNoCoordinatorWasHeardOnExtendsEveryLease() {
        String jobId = submit("a", T0);
        Claim claim = claim(W1, T0);
        Instant restart = T0.plusSeconds(100);   // the lease ran out during the outage

        JobQueue.Beat beat = queue.coordinatorBeat("c1", restart, SILENCE, LEASE);

        assertThat(beat.lastHeard()).isNull();
        assertThat(beat.extended()).extracting(Task::id).containsExactly(claim.task().id());
        assertThat(only(jobId).leaseExpiresAt()).isEqualTo(restart.plus(LEASE));
        assertThat(queue.requeueExpired(restart.plus(LEASE).minusMillis(1), RETRY)).isEmpty();
        assertThat(queue.events(jobId).getLast().type()).isEqualTo(EventType.LEASE_GRACE);
        queue.progress(jobId, lease(claim), 50, 30, 10, restart.plusSeconds(3), LEASE);   // the worker is heard again
        assertThat(only(jobId).state()).isEqualTo(TaskState.LEASED);
    }

    @Test
    void aCoordinatorThatStartsWhileAnotherKeepsBeatingChangesNoLease() {
        queue.coordinatorBeat("c1", T0, SILENCE, LEASE);
        String jobId = submit("a", T0);
        claim(W1, T0);
        for (int s = 1; s <= 31; s++) queue.coordinatorBeat("c1", T0.plusSeconds(s), SILENCE, LEASE);

        JobQueue.Beat starting = queue.coordinatorBeat("c2", T0.plusSeconds(31), SILENCE, LEASE);

        assertThat(starting.lastHeard()).isEqualTo(T0.plusSeconds(31));
        assertThat(starting.extended()).isEmpty();
        assertThat(queue.requeueExpired(T0.plusSeconds(31), RETRY)).as("the worker really was silent").hasSize(1);
        assertThat(only(jobId).state()).isEqualTo(TaskState.QUEUED);
    }

    @Test
    void aBeatAfterEveryCoordinatorWasSilentGivesTheLeasesTheGrace() {
        queue.coordinatorBeat("c1", T0, SILENCE, LEASE);
        String jobId = submit("a", T0);
        claim(W1, T0);
        queue.coordinatorBeat("c1", T0.plusSeconds(4), SILENCE, LEASE);
        assertThat(queue.coordinatorBeat("c1", T0.plusSeconds(8), SILENCE, LEASE).extended()).as("4 s apart: no outage").isEmpty();

        Instant back = T0.plusSeconds(40);   // c1 was stopped (or cut off from the database) for 32 s
        assertThat(queue.coordinatorBeat("c1", back, SILENCE, LEASE).extended()).hasSize(1);

        assertThat(queue.requeueExpired(back.plusSeconds(5), RETRY)).isEmpty();
        assertThat(queue.requeueExpired(back.plus(LEASE), RETRY)).as("silence after the outage still counts").hasSize(1);
    }

    // ---------------------------------------------------------------- escalation

    @Test
    void aJobThatUsedUpItsRetriesFailsNeedingAttentionWithEveryAttemptsWorkerAndErrorUntilItIsRetried() {
        String jobId = submit("a", T0);
        String fine = submit("b", T0.plusSeconds(1));
        Instant t = T0.plusSeconds(2);
        List<WorkerFit> workers = List.of(W1, W2, W1, W3);
        for (int attempt = 1; attempt <= RETRY.maxAttempts(); attempt++) {
            Claim c = claimJob(workers.get(attempt - 1), t, jobId);
            if (attempt == 2) queue.requeueExpired(t = t.plus(LEASE), RETRY);   // this one's worker died
            else queue.fail(jobId, lease(c), "ffmpeg exited 1 on attempt " + attempt, true, t = t.plusSeconds(1), RETRY);
            t = t.plusSeconds(100);
        }

        Job failed = queue.job(jobId).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.needsAttention()).isTrue();
        assertThat(failed.attention()).contains("retries used up", "all 4 attempts", "ffmpeg exited 1 on attempt 4");
        List<Event> ends = queue.events(jobId).stream().filter(e -> e.type() == EventType.FAILED || e.type() == EventType.LEASE_EXPIRED).toList();
        assertThat(ends).extracting(Event::workerId).containsExactly("w1", "w2", "w1", "w3");
        assertThat(ends).extracting(Event::detail).allSatisfy(d -> assertThat(d).containsPattern("attempt [1-4]"));
        assertThat(ends.get(1).detail()).contains("lease expired");
        assertThat(ends.get(3).detail()).contains("final: ffmpeg exited 1 on attempt 4");
        assertThat(queue.job(fine).orElseThrow().needsAttention()).isFalse();
        assertThat(JobQueueContract.ids(queue.jobs(Optional.empty(), Optional.empty(), true, 10, Optional.empty()))).containsExactly(jobId);
        assertThat(JobQueueContract.ids(queue.jobs(Optional.of(JobState.QUEUED), Optional.empty(), true, 10, Optional.empty()))).isEmpty();

        Job retried = queue.retry(jobId, t);
        assertThat(retried.needsAttention()).isFalse();
        assertThat(retried.attention()).isNull();
        assertThat(queue.jobs(Optional.empty(), Optional.empty(), true, 10, Optional.empty()).jobs()).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    String submit(String name, Instant at) {
        return queue.submit(JobQueueContract.spec(name, Priority.NORMAL, Map.of(), null), H264, at, RETRY).job().id();
    }

    Claim claim(WorkerFit worker, Instant at) {
        return queue.claim(worker, at, LEASE).orElseThrow(() -> new AssertionError(worker.workerId() + " got no task at " + at));
    }

    /** Claims until this job's task is the one leased (other jobs' claims are handed back). */
    Claim claimJob(WorkerFit worker, Instant at, String jobId) {
        Claim c = claim(worker, at);
        assertThat(c.job().id()).as("the oldest job first").isEqualTo(jobId);
        return c;
    }

    Task only(String jobId) {
        List<Task> tasks = queue.tasks(jobId);
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }
}
