package dev.spool.coordinator.queue;

import dev.spool.model.protocol.Api;
import dev.spool.model.job.TaskKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.model.job.JobState;
import dev.spool.model.job.Priority;
import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Commit grants, on every database: no output is made visible unless the coordinator granted this
 * lease the commit, atomically with the checks of the lease, the job's state and earlier grants.
 */
abstract class CommitGrantContract extends QueueContract {
    static final Instant T0 = JobQueueContract.T0;
    static final Duration LEASE = JobQueueContract.LEASE;
    static final RetryPolicy RETRY = JobQueueContract.RETRY;
    static final WorkerFit W1 = new WorkerFit("w1", Set.of("libx264"), 1080, Set.of("transcode"));
    static final WorkerFit W2 = new WorkerFit("w2", Set.of("libx264"), 1080, Set.of("transcode"));
    static final String STAGED = "/out/.a.spool-staging-host-1-0123abcd";

    @BeforeEach
    void setUp() {
        for (String id : List.of("w1", "w2"))
            queue.saveWorker(new WorkerRecord(id, Api.COMMIT_PROTOCOL, "{\"encoders\":[\"libx264\"]}", List.of("transcode"), 1,
                    "IDLE", null, null, T0, T0));
    }

    @Test
    void theLiveLeaseIsGrantedTheCommitAndTheCompletedJobNamesIt() {
        Claim claim = claimed(W1, T0);

        JobQueue.CommitGrant grant = queue.grantCommit(claim.job().id(), lease(claim), STAGED, null, T0.plusSeconds(5), LEASE);
        queue.complete(claim.job().id(), lease(claim), "/out/a/index.m3u8", 10, T0.plusSeconds(6));

        assertThat(grant.leaseId()).isEqualTo(claim.task().leaseId());
        Task task = queue.tasks(claim.job().id()).get(0);
        assertThat(task.commitLease()).isEqualTo(claim.task().leaseId());
        assertThat(task.commitIntent()).isEqualTo(STAGED);
        assertThat(queue.job(claim.job().id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(types(claim.job().id())).containsSubsequence("leased", "commit-granted", "completed");
    }

    @Test
    void theGrantRenewsTheLease() {
        Claim claim = claimed(W1, T0);

        queue.grantCommit(claim.job().id(), lease(claim), STAGED, null, T0.plusSeconds(25), LEASE);

        assertThat(queue.requeueExpired(T0.plusSeconds(40), RETRY)).as("the lease now runs to 25 + 30 s").isEmpty();
        assertThat(queue.tasks(claim.job().id()).get(0).state()).isEqualTo(TaskState.LEASED);
    }

    @Test
    void aLeaseThatExpiredIsRefusedTheCommitAndTheNextHolderIsGrantedIt() {
        Claim stale = claimed(W1, T0);
        queue.requeueExpired(T0.plus(LEASE).plusSeconds(1), RETRY);
        Claim winner = claimed(W2, T0.plus(LEASE).plusSeconds(20));

        assertConflict(() -> queue.grantCommit(stale.job().id(), lease(stale), STAGED, null, T0.plusSeconds(55), LEASE), "lease_id");
        queue.grantCommit(winner.job().id(), lease(winner), STAGED + "2", null, T0.plusSeconds(56), LEASE);
        queue.complete(winner.job().id(), lease(winner), "/out/a/index.m3u8", 10, T0.plusSeconds(57));

        assertThat(queue.tasks(stale.job().id()).get(0).commitLease()).isEqualTo(winner.task().leaseId());
    }

    @Test
    void aCancelledJobIsRefusedTheCommit() {
        Claim claim = claimed(W1, T0);
        assertThat(queue.cancel(claim.job().id(), T0.plusSeconds(1))).isTrue();

        assertThatThrownBy(() -> queue.grantCommit(claim.job().id(), lease(claim), STAGED, null, T0.plusSeconds(2), LEASE))
                .isInstanceOfSatisfying(SpoolError.class, e -> {
                    assertThat(e.code()).isEqualTo(SpoolError.Code.CONFLICT);
                    assertThat(e.getMessage()).contains("CANCELLED");
                });
        assertThat(queue.tasks(claim.job().id()).get(0).commitLease()).isNull();
    }

    @Test
    void aJobWhoseOutputIsBeingCommittedCannotBeCancelled() {
        Claim claim = claimed(W1, T0);
        queue.grantCommit(claim.job().id(), lease(claim), STAGED, null, T0.plusSeconds(1), LEASE);

        assertConflict(() -> queue.cancel(claim.job().id(), T0.plusSeconds(2)), "job_id");
        queue.complete(claim.job().id(), lease(claim), "/out/a/index.m3u8", 10, T0.plusSeconds(3));

        assertThat(queue.job(claim.job().id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void aWorkerThatKnowsGrantsCannotCompleteWithoutOne() {
        Claim claim = claimed(W1, T0);

        assertConflict(() -> queue.complete(claim.job().id(), lease(claim), "/out/a/index.m3u8", 10, T0.plusSeconds(3)), "lease_id");
        assertThat(queue.job(claim.job().id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void aWorkerOfAnOlderProtocolStillCompletesWithoutAGrant() {
        queue.saveWorker(new WorkerRecord("w1", 3, "{\"encoders\":[\"libx264\"]}", List.of("transcode"), 1, "IDLE", null, null, T0, T0));
        Claim claim = claimed(W1, T0);

        queue.complete(claim.job().id(), lease(claim), "/out/a/index.m3u8", 10, T0.plusSeconds(3));

        assertThat(queue.job(claim.job().id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void theNextAttemptIsHandedAPendingCommitAndFinishesItUnderTheFirstLease() {
        Claim first = claimed(W1, T0);
        queue.grantCommit(first.job().id(), lease(first), STAGED, null, T0.plusSeconds(1), LEASE);
        queue.requeueExpired(T0.plusSeconds(1).plus(LEASE).plusSeconds(1), RETRY);   // its worker died after the grant

        Claim next = claimed(W2, T0.plusSeconds(60));
        assertThat(next.task().commitLease()).as("the pending commit travels with the task").isEqualTo(first.task().leaseId());
        assertThat(next.task().commitIntent()).isEqualTo(STAGED);
        assertConflict(() -> queue.grantCommit(next.job().id(), lease(next), STAGED, "lease_other", T0.plusSeconds(61), LEASE), "adopt");
        JobQueue.CommitGrant adopted = queue.grantCommit(next.job().id(), lease(next), STAGED, first.task().leaseId(), T0.plusSeconds(61), LEASE);
        queue.complete(next.job().id(), lease(next), "/out/a/index.m3u8", 10, T0.plusSeconds(62));

        assertThat(adopted.leaseId()).isEqualTo(first.task().leaseId());
        assertThat(queue.tasks(next.job().id()).get(0).commitLease()).as("the output is still the first lease's").isEqualTo(first.task().leaseId());
        assertThat(types(next.job().id())).containsSubsequence("commit-granted", "lease-expired", "leased", "commit-adopted", "completed");
        assertConflict(() -> queue.grantCommit(first.job().id(), lease(first), STAGED, null, T0.plusSeconds(63), LEASE), "job_id");
    }

    @Test
    void aPendingCommitWhoseStagingIsGoneIsReplacedByTheNextAttemptsOwn() {
        Claim first = claimed(W1, T0);
        queue.grantCommit(first.job().id(), lease(first), STAGED, null, T0.plusSeconds(1), LEASE);
        queue.requeueExpired(T0.plusSeconds(1).plus(LEASE).plusSeconds(1), RETRY);
        Claim next = claimed(W2, T0.plusSeconds(60));

        queue.grantCommit(next.job().id(), lease(next), STAGED + "-new", null, T0.plusSeconds(61), LEASE);

        Task task = queue.tasks(next.job().id()).get(0);
        assertThat(task.commitLease()).isEqualTo(next.task().leaseId());
        assertThat(task.commitIntent()).isEqualTo(STAGED + "-new");
        assertThat(queue.events(next.job().id())).anySatisfy(e -> assertThat(e.detail()).contains("replacing the unfinished commit of lease "
                + first.task().leaseId()));
    }

    @Test
    void aTaskThatCommitsNothingCannotBeGrantedACommit() {
        var splittable = new dev.spool.model.job.JobSpec("/in/long.mp4", "/out/long", List.of(), null, null, null, Priority.NORMAL, Map.of(),
                null, null, null);
        Job job = queue.submit(splittable, JobQueueContract.H264, T0, RETRY).job();
        Claim probe = queue.claim(W1, T0, LEASE).orElseThrow();
        assertThat(probe.task().kind()).isEqualTo(TaskKind.PROBE);

        assertThatThrownBy(() -> queue.grantCommit(job.id(), lease(probe), STAGED, null, T0.plusSeconds(1), LEASE))
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.code()).isEqualTo(SpoolError.Code.INVALID));
    }

    private Claim claimed(WorkerFit worker, Instant at) {
        if (queue.jobs(java.util.Optional.empty(), java.util.Optional.empty(), 1, java.util.Optional.empty()).jobs().isEmpty())
            queue.submit(JobQueueContract.spec("a", Priority.NORMAL, Map.of(), null), JobQueueContract.H264, T0, RETRY);
        return queue.claim(worker, at, LEASE).orElseThrow(() -> new AssertionError(worker.workerId() + " got no task at " + at));
    }

    private static JobQueue.LeaseRef lease(Claim claim) {
        return new JobQueue.LeaseRef(claim.task().workerId(), claim.task().leaseId());
    }

    private List<String> types(String jobId) {
        return queue.events(jobId).stream().map(e -> e.type().wire()).toList();
    }

    private static void assertConflict(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SpoolError.class, e -> {
            assertThat(e.code()).isEqualTo(SpoolError.Code.CONFLICT);
            assertThat(e.field()).isEqualTo(field);
        });
    }
}
