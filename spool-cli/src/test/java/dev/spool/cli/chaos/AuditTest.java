package dev.spool.cli.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit over hand-made facts: each kind of problem is found, and a clean campaign passes. */
class AuditTest {
    private static final TaskFacts PROBE = new TaskFacts("t-probe", "probe", null, 1, 1);
    private static final TaskFacts PIECE = new TaskFacts("t-p0", "encode-video", 0, 1, 1);
    private static final TaskFacts PACKAGE = new TaskFacts("t-pkg", "package", null, 1, 1);

    private static JobFacts completed(String name, List<TaskFacts> tasks) {
        return new JobFacts(name, "job_" + name, "COMPLETED", null, true, tasks, "lease_a", true, "lease_a", true, null);
    }

    private static JobFacts clean() {
        return completed("job-00", List.of(PROBE, PIECE, PACKAGE));
    }

    private static AuditReport audit(JobFacts... jobs) {
        return Audit.of(List.of(jobs), List.of(), List.of());
    }

    @Test
    void aCampaignWhereEveryJobCompletedAndVerifiedPasses() {
        AuditReport report = audit(clean(), completed("job-01", List.of(PROBE, PACKAGE)));
        assertThat(report.ok()).isTrue();
        assertThat(report.completed()).isEqualTo(2);
        assertThat(report.verified()).isEqualTo(2);
        assertThat(report.refused()).isEmpty();
    }

    @Test
    void aFailedJobIsLost() {
        JobFacts failed = new JobFacts("job-00", "j", "FAILED", "package, lease expired (after 4 attempts)", false, List.of(PROBE),
                null, false, null, null, null);
        AuditReport report = audit(failed);
        assertThat(report.ok()).isFalse();
        assertThat(report.lost()).singleElement().asString().contains("job-00 ended FAILED: package, lease expired (after 4 attempts)");
    }

    @Test
    void aCompletedJobWhoseOutputDoesNotVerifyIsLost() {
        JobFacts bad = new JobFacts("job-00", "j", "COMPLETED", null, false, List.of(PROBE), "lease_a", true, "lease_a", false,
                "segments aligned (180p seg 2)");
        assertThat(audit(bad).lost()).singleElement().asString().contains("does not verify", "segments aligned");
        JobFacts missing = new JobFacts("job-01", "j", "COMPLETED", null, false, List.of(PROBE), "lease_a", false, null, null, null);
        assertThat(audit(missing).lost()).singleElement().asString().contains("output is missing");
    }

    @Test
    void aJobThatNeverEndedIsStuckNotLost() {
        JobFacts running = new JobFacts("job-00", "j", "RUNNING", null, true, List.of(PROBE), null, false, null, null, null);
        AuditReport report = audit(running);
        assertThat(report.stuck()).singleElement().asString().contains("still RUNNING");
        assertThat(report.lost()).isEmpty();
        assertThat(report.ok()).isFalse();
    }

    @Test
    void anOutputWhoseMarkerNamesAnotherLeaseIsFromARefusedLease() {
        JobFacts overwritten = new JobFacts("job-00", "j", "COMPLETED", null, true, List.of(PROBE), "lease_winner", true, "lease_stale",
                true, null);
        AuditReport report = audit(overwritten);
        assertThat(report.refused()).singleElement().asString().contains("lease_stale", "lease_winner");
        assertThat(report.ok()).isFalse();
    }

    @Test
    void anOutputWithoutMarkerOrWithoutGrantedCommitIsFromARefusedLease() {
        JobFacts noMarker = new JobFacts("job-00", "j", "COMPLETED", null, true, List.of(PROBE), "lease_a", true, null, true, null);
        JobFacts noGrant = new JobFacts("job-01", "j", "CANCELLED", null, true, List.of(PROBE), null, true, "lease_b", null, null);
        AuditReport report = audit(noMarker, noGrant);
        assertThat(report.refused()).hasSize(2);
        assertThat(report.refused().get(1)).contains("granted no commit", "CANCELLED");
    }

    @Test
    void aPieceAcceptedTwiceIsADuplicateWhileReEncodesAreOnlyCounted() {
        TaskFacts twice = new TaskFacts("t-p1", "encode-video", 1, 2, 2);
        TaskFacts retried = new TaskFacts("t-p2", "encode-video", 2, 1, 3);
        AuditReport report = audit(completed("job-00", List.of(PROBE, twice, retried, PACKAGE)));
        assertThat(report.duplicates()).singleElement().asString().contains("job-00 piece 1", "2 times");
        assertThat(report.extraAttempts()).isEqualTo(1 + 2);
    }

    @Test
    void aWorkerFaultRecoversWhenTheTaskItCaughtMovesOnElsewhere() {
        TaskSample caught = new TaskSample(1_000, "j", "t-p0", "encode-video", 0, "LEASED", "w2", 40);
        FaultRecord fault = new FaultRecord(0, FaultKind.WORKER_KILL, "w2", 1_000, 2_000, List.of(caught), "restarted");
        List<TaskSample> samples = List.of(caught,
                new TaskSample(3_000, "j", "t-other", "encode-video", 1, "LEASED", "w1", 50),   // another task: not this fault's recovery
                new TaskSample(8_000, "j", "t-p0", "encode-video", 0, "QUEUED", null, 0),
                new TaskSample(9_000, "j", "t-p0", "encode-video", 0, "LEASED", "w3", 0),
                new TaskSample(9_500, "j", "t-p0", "encode-video", 0, "LEASED", "w3", 10));
        assertThat(Audit.recovery(fault, samples)).isEqualTo(8_500);
    }

    @Test
    void aReportTheStoppedWorkerSentBeforeItStoppedIsNoRecovery() {
        TaskSample caught = new TaskSample(1_000, "j", "t-p0", "encode-video", 0, "LEASED", "w2", 18);
        FaultRecord fault = new FaultRecord(0, FaultKind.WORKER_STOP, "w2", 1_000, 11_000, List.of(caught), "resumed");
        List<TaskSample> samples = List.of(caught,
                new TaskSample(1_200, "j", "t-p0", "encode-video", 0, "LEASED", "w2", 19),   // in flight when it stopped
                new TaskSample(9_000, "j", "t-p0", "encode-video", 0, "LEASED", "w1", 5));
        assertThat(Audit.recovery(fault, samples)).isEqualTo(8_000);
    }

    @Test
    void aCompletionTheStoppedWorkerSentJustBeforeItStoppedCounts() {
        TaskSample caught = new TaskSample(1_000, "j", "t-probe", "probe", null, "LEASED", "w1", 0);
        FaultRecord fault = new FaultRecord(0, FaultKind.WORKER_STOP, "w1", 1_000, 11_000, List.of(caught), "resumed");
        List<TaskSample> samples = List.of(caught, new TaskSample(1_400, "j", "t-probe", "probe", null, "DONE", "w1", 100));
        assertThat(Audit.recovery(fault, samples)).isEqualTo(400);
    }

    @Test
    void aFaultThatCaughtNothingRecoversWhenAnyTaskMovesOn() {
        FaultRecord fault = new FaultRecord(0, FaultKind.COORDINATOR_KILL, "c1", 1_000, 4_000, List.of(), "restarted");
        List<TaskSample> samples = List.of(new TaskSample(500, "j", "t-a", "probe", null, "LEASED", "w1", 0),
                new TaskSample(5_000, "j", "t-a", "probe", null, "DONE", "w1", 100));
        assertThat(Audit.recovery(fault, samples)).isEqualTo(4_000);
    }

    @Test
    void aStaleHolderStillShowingItsOldProgressIsNoRecovery() {
        TaskSample caught = new TaskSample(1_000, "j", "t-p0", "encode-video", 0, "LEASED", "w2", 40);
        FaultRecord fault = new FaultRecord(0, FaultKind.WORKER_STOP, "w2", 1_000, 9_000, List.of(caught), "resumed");
        List<TaskSample> samples = List.of(caught, new TaskSample(2_000, "j", "t-p0", "encode-video", 0, "LEASED", "w2", 40));
        assertThat(Audit.recovery(fault, samples)).isNull();
        AuditReport report = Audit.of(List.of(clean()), List.of(fault), samples);
        assertThat(report.recoveries()).singleElement().satisfies(r -> assertThat(r.afterMs()).isNull());
    }
}
