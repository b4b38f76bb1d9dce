package dev.spool.coordinator.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.model.SpoolError;
import dev.spool.model.job.JobState;
import dev.spool.model.job.Priority;
import dev.spool.model.job.TaskState;
import dev.spool.model.protocol.Api;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every lease is bound to the kind of credential that claimed it (tasks.claimed_with), on every
 * database: a report, renewal or release with the other kind changes nothing, so the join token,
 * which all workers share, cannot act on a lease a worker claimed with its own credential.
 */
abstract class LeaseOwnershipContract extends QueueContract {
    static final Instant T0 = JobQueueContract.T0;
    static final Duration LEASE = JobQueueContract.LEASE;
    static final RetryPolicy RETRY = JobQueueContract.RETRY;
    static final WorkerFit W1 = JobQueueContract.W1;

    /** The JDBC URL of the store {@link #newStore} opened, for statements the queue does not offer. */
    abstract String url();

    /** The same database opened again (migrated by Flyway first, as at a coordinator's start). */
    abstract JobQueue reopen();

    @BeforeEach
    void setUp() {
        // protocol 2: leases, no commit grants, so a completion needs no grant first
        queue.saveWorker(new WorkerRecord("w1", Api.LEASE_PROTOCOL, "{\"encoders\":[\"libx264\"]}", List.of("transcode"), 1,
                "IDLE", null, null, T0, T0));
    }

    @Test
    void aClaimRecordsTheKindOfCredentialItCameWithAndALeaseIdOf128RandomBits() {
        Job first = submit("a");
        Job second = submit("b");

        Claim byCredential = queue.claim(W1, T0, LEASE, ClaimedWith.WORKER).orElseThrow();
        Claim byJoinToken = queue.claim(W1, T0, LEASE, ClaimedWith.JOIN).orElseThrow();

        assertThat(byCredential.task().claimedWith()).isEqualTo(ClaimedWith.WORKER);
        assertThat(byJoinToken.task().claimedWith()).isEqualTo(ClaimedWith.JOIN);
        assertThat(queue.tasks(first.id()).get(0).claimedWith()).as("as stored").isEqualTo(ClaimedWith.WORKER);
        assertThat(queue.tasks(second.id()).get(0).claimedWith()).isEqualTo(ClaimedWith.JOIN);
        Set<String> ids = new HashSet<>();
        for (Claim c : List.of(byCredential, byJoinToken)) {
            assertThat(c.task().leaseId()).matches("lease_[A-Za-z0-9_-]{22}");
            ids.add(c.task().leaseId());
        }
        assertThat(ids).hasSize(2);
        assertThat(queue.tasks(first.id()).get(0).leaseId()).isEqualTo(byCredential.task().leaseId());
    }

    @Test
    void theJoinTokenCannotReportOnALeaseClaimedWithAWorkersCredentialAndTheWorkerThenFinishes() {
        Job job = submit("a");
        Claim claim = queue.claim(W1, T0, LEASE, ClaimedWith.WORKER).orElseThrow();
        String leaseId = claim.task().leaseId();
        var forged = new JobQueue.LeaseRef("w1", leaseId, ClaimedWith.JOIN);
        var seedStyle = new JobQueue.LeaseRef("w1", null, ClaimedWith.JOIN);   // seed 001 names no lease

        for (JobQueue.LeaseRef lease : List.of(forged, seedStyle)) {
            assertForbidden(() -> queue.complete(job.id(), lease, new JobQueue.Outcome("/forged/index.m3u8", 1, null),
                    T0.plusSeconds(1)), leaseId, "was claimed with worker w1's own credential; the join token cannot act for it");
            assertForbidden(() -> queue.progress(job.id(), lease, 55, 1, 1, T0.plusSeconds(1), LEASE), leaseId, "join token");
            assertForbidden(() -> queue.fail(job.id(), lease, "forged", false, T0.plusSeconds(1), RETRY), leaseId, "join token");
            assertForbidden(() -> queue.grantCommit(job.id(), lease, "/out/.a.spool-staging-x", null, T0.plusSeconds(1), LEASE),
                    leaseId, "join token");
        }

        Job untouched = queue.job(job.id()).orElseThrow();
        assertThat(untouched.state()).isEqualTo(JobState.RUNNING);
        assertThat(untouched.manifestUrl()).isNull();
        assertThat(untouched.progress()).isZero();
        Task task = queue.tasks(job.id()).get(0);
        assertThat(task.state()).isEqualTo(TaskState.LEASED);
        assertThat(task.leaseId()).isEqualTo(leaseId);
        assertThat(task.commitLease()).as("no grant was recorded").isNull();

        queue.progress(job.id(), new JobQueue.LeaseRef("w1", leaseId, ClaimedWith.WORKER), 40, 1, 1, T0.plusSeconds(2), LEASE);
        Job done = queue.complete(job.id(), new JobQueue.LeaseRef("w1", leaseId, ClaimedWith.WORKER),
                new JobQueue.Outcome("/out/a/index.m3u8", 1, null), T0.plusSeconds(3));
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.manifestUrl()).isEqualTo("/out/a/index.m3u8");
    }

    @Test
    void aWorkersCredentialCannotReportOnALeaseClaimedWithTheJoinTokenWhichFinishesItItself() {
        Job job = submit("a");
        String leaseId = queue.claim(W1, T0, LEASE, ClaimedWith.JOIN).orElseThrow().task().leaseId();

        assertForbidden(() -> queue.complete(job.id(), new JobQueue.LeaseRef("w1", leaseId, ClaimedWith.WORKER),
                new JobQueue.Outcome("/forged/index.m3u8", 1, null), T0.plusSeconds(1)), leaseId, "claimed with the join token");
        assertThat(queue.job(job.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);

        Job done = queue.complete(job.id(), new JobQueue.LeaseRef("w1", null, ClaimedWith.JOIN),
                new JobQueue.Outcome("/out/a/index.m3u8", 1, null), T0.plusSeconds(2));
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void aPackageReportOfMissingPiecesIsHeldToTheSameRule() {
        Job job = submit("a");
        String leaseId = queue.claim(W1, T0, LEASE, ClaimedWith.WORKER).orElseThrow().task().leaseId();

        // checked before the task's kind: the lease is refused, not the report's content
        assertForbidden(() -> queue.missingPieces(job.id(), new JobQueue.LeaseRef("w1", leaseId, ClaimedWith.JOIN), List.of(0),
                T0.plusSeconds(1), RETRY), leaseId, "join token");
        assertThatThrownBy(() -> queue.missingPieces(job.id(), new JobQueue.LeaseRef("w1", leaseId, ClaimedWith.WORKER), List.of(0),
                T0.plusSeconds(1), RETRY)).isInstanceOfSatisfying(SpoolError.class,
                e -> assertThat(e.field()).as("the owner gets past the lease check").isEqualTo("missing_pieces"));
    }

    @Test
    void aSyncRenewsOnlyLeasesClaimedWithItsOwnKindOfCredential() {
        Job byCredential = submit("a");
        Job byJoinToken = submit("b");
        String credentialLease = queue.claim(W1, T0, LEASE, ClaimedWith.WORKER).orElseThrow().task().leaseId();
        String joinLease = queue.claim(W1, T0, LEASE, ClaimedWith.JOIN).orElseThrow().task().leaseId();

        // both leases named, and both jobs' ids: a join-token sync still renews only the join token's lease
        Instant beat = T0.plusSeconds(20);
        queue.heartbeat("w1", "BUSY", null, byCredential.id(), List.of(credentialLease, joinLease), beat, LEASE, ClaimedWith.JOIN);

        assertThat(queue.tasks(byCredential.id()).get(0).leaseExpiresAt()).as("not renewed").isEqualTo(T0.plus(LEASE));
        assertThat(queue.tasks(byJoinToken.id()).get(0).leaseExpiresAt()).isEqualTo(beat.plus(LEASE));

        queue.heartbeat("w1", "BUSY", null, null, List.of(credentialLease, joinLease), beat.plusSeconds(1), LEASE, ClaimedWith.WORKER);
        assertThat(queue.tasks(byCredential.id()).get(0).leaseExpiresAt()).isEqualTo(beat.plusSeconds(1).plus(LEASE));
        assertThat(queue.tasks(byJoinToken.id()).get(0).leaseExpiresAt()).as("not renewed by the credential").isEqualTo(beat.plus(LEASE));
    }

    @Test
    void aCancelledLeaseIsReleasedOnlyByItsOwnKindOfCredential() {
        Job job = submit("a");
        String leaseId = queue.claim(W1, T0, LEASE, ClaimedWith.WORKER).orElseThrow().task().leaseId();
        assertThat(queue.cancel(job.id(), T0.plusSeconds(1))).isTrue();

        queue.releaseCancelled(job.id(), "w1", ClaimedWith.JOIN);
        assertThat(queue.tasks(job.id()).get(0).leaseId()).as("kept: the worker is still told to stop").isEqualTo(leaseId);

        queue.releaseCancelled(job.id(), "w1", ClaimedWith.WORKER);
        assertThat(queue.tasks(job.id()).get(0).leaseId()).isNull();
    }

    @Test
    void aWorkersFileAccessFollowsOnlyLeasesClaimedWithItsCredential() {
        Job byCredential = submit("a");
        Job byJoinToken = submit("b");
        queue.claim(W1, T0, LEASE, ClaimedWith.WORKER).orElseThrow();
        queue.claim(W1, T0, LEASE, ClaimedWith.JOIN).orElseThrow();

        assertThat(queue.leasedJobs("w1")).extracting(Job::id).containsExactly(byCredential.id()).doesNotContain(byJoinToken.id());
    }

    @Test
    void aWorkerHasACredentialFromItsTokenUntilItIsRevoked() {
        assertThat(queue.hasCredential("w1")).isFalse();
        queue.saveToken("hash-of-w1", "worker", "w1", T0);
        queue.saveToken("hash-of-join", "join", null, T0);
        assertThat(queue.hasCredential("w1")).isTrue();
        assertThat(queue.hasCredential("w2")).isFalse();

        queue.revokeWorkerTokens("w1");
        assertThat(queue.hasCredential("w1")).isFalse();
    }

    /** A migration script's statements, its comments left out. */
    private static List<String> migration(String name) throws java.io.IOException {
        try (var in = LeaseOwnershipContract.class.getResourceAsStream("/db/migration/" + name)) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            return java.util.Arrays.stream(text.split(";")).map(String::strip).filter(t -> !t.isEmpty()).toList();
        }
    }

    @Test
    void theUpgradeBindsLeasesLiveAtItToTheKindOfCredentialTheirWorkersHad() throws Exception {
        queue.saveWorker(new WorkerRecord("w0", Api.SEED_PROTOCOL, "{}", List.of("transcode"), 1, "IDLE", null, null, T0, T0));
        Job bySpoolWorker = submit("a");
        Job bySeedWorker = submit("b");
        Job neverLeased = submit("c");
        queue.claim(W1, T0, LEASE, ClaimedWith.WORKER).orElseThrow();
        queue.claim(new WorkerFit("w0", Set.of("libx264"), 1080, Set.of("transcode")), T0, LEASE, ClaimedWith.JOIN).orElseThrow();
        queue.close();
        queue = null;
        // back to the column V7 left (no claimed_with), then V8's own script run on it, as Flyway runs it on
        // an upgrade (later migrations stay applied: Flyway would refuse to run V8 after them)
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url()); java.sql.Statement sql = c.createStatement()) {
            sql.execute("ALTER TABLE tasks DROP COLUMN claimed_with");
            for (String statement : migration("V8__claimed_with.sql")) sql.execute(statement);
        }

        queue = reopen();

        assertThat(queue.tasks(bySpoolWorker.id()).get(0).claimedWith()).as("a protocol-2 worker had its credential")
                .isEqualTo(ClaimedWith.WORKER);
        assertThat(queue.tasks(bySeedWorker.id()).get(0).claimedWith()).as("a seed-001 worker had only the join token")
                .isEqualTo(ClaimedWith.JOIN);
        assertThat(queue.tasks(neverLeased.id()).get(0).claimedWith()).isNull();
        String seedLease = queue.tasks(bySeedWorker.id()).get(0).leaseId();
        assertThat(queue.complete(bySeedWorker.id(), new JobQueue.LeaseRef("w0", seedLease, ClaimedWith.JOIN),
                new JobQueue.Outcome("/out/b/index.m3u8", 1, null), T0.plusSeconds(1)).state()).isEqualTo(JobState.COMPLETED);
    }

    /**
     * Each job a millisecond after the one before, all before T0: claims take the oldest first, so
     * the first job submitted is the first claimed (with one timestamp, the order among equals is
     * the database's choice, and a test that names "the first claim's job" would be flaky).
     */
    private Job submit(String name) {
        Instant at = T0.minusSeconds(1).plusMillis(submitted++);
        return queue.submit(JobQueueContract.spec(name, Priority.NORMAL, Map.of(), null), JobQueueContract.H264, at, RETRY).job();
    }

    private int submitted;

    private static void assertForbidden(ThrowingCallable call, String leaseId, String says) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SpoolError.class, e -> {
            assertThat(e.code()).isEqualTo(SpoolError.Code.FORBIDDEN);
            assertThat(e.field()).isEqualTo("lease_id");
            assertThat(e.getMessage()).contains("lease " + leaseId).contains(says);
        });
    }

}
