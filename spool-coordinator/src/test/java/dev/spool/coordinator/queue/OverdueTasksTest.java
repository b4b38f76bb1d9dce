package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskKind;
import static dev.spool.coordinator.queue.JobQueueContract.H264;
import static dev.spool.coordinator.queue.JobQueueContract.RETRY;
import static dev.spool.coordinator.queue.JobQueueContract.T0;
import static dev.spool.coordinator.queue.JobQueueContract.W1;
import static dev.spool.coordinator.queue.JobQueueContract.lease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.model.encode.Ratio;
import dev.spool.model.job.JobSpec;
import dev.spool.model.job.JobState;
import dev.spool.model.job.Priority;
import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskState;
import dev.spool.model.protocol.WorkerMessages;
import dev.spool.coordinator.schedule.OverdueTasks;
import dev.spool.coordinator.schedule.TaskTimeout;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000's task_timeout: a task whose worker keeps renewing its lease while getting nowhere is
 * taken back once over its limit, as a failed attempt, and its worker learns the lease is gone.
 * On SQLite here; {@link PostgresOverdueTasksTest} runs the same on PostgreSQL.
 */
class OverdueTasksTest {
    /** Leases far longer than the time limits under test: only the time limit can end them. */
    private static final Duration LONG_LEASE = Duration.ofHours(3);
    @TempDir Path dir;
    private JobQueue queue;

    JobQueue newStore() {
        return Database.sqlite(dir);
    }

    @BeforeEach
    void open() {
        queue = newStore();
    }

    @AfterEach
    void close() {
        queue.close();
    }

    private void runAt(Instant at, TaskTimeout timeout) {
        new OverdueTasks(queue, Clock.fixed(at, ZoneOffset.UTC), RETRY, timeout).run();
    }

    private String submit(String name) {
        return queue.submit(new JobSpec("/in/" + name + ".mp4", "/out/" + name, List.of(), null, null, null, Priority.NORMAL,
                Map.of(), null, null, null), H264, T0, RETRY).job().id();
    }

    @Test
    void aTaskOverItsFixedLimitIsTakenBackAsAFailedAttemptAndItsLeaseIsGone() {
        String jobId = submit("a");
        Claim probe = queue.claim(W1, T0, LONG_LEASE).orElseThrow();

        runAt(T0.plusSeconds(59), TaskTimeout.seconds(60));
        assertThat(queue.tasks(jobId)).singleElement().satisfies(t -> assertThat(t.state()).isEqualTo(TaskState.LEASED));
        assertThat(queue.goneLeases(List.of(probe.task().leaseId()))).isEmpty();

        runAt(T0.plusSeconds(61), TaskTimeout.seconds(60));

        assertThat(queue.tasks(jobId)).singleElement().satisfies(t -> {
            assertThat(t.state()).isEqualTo(TaskState.QUEUED);
            assertThat(t.attempt()).isEqualTo(1);
            assertThat(t.lastError()).startsWith("over its time limit of 60 s");
            assertThat(t.notBefore()).isAfter(T0.plusSeconds(61));   // with the retry's backoff
        });
        assertThat(queue.job(jobId).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        assertThat(queue.events(jobId)).filteredOn(e -> e.type() == EventType.TIMED_OUT).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("attempt 1: over its time limit of 60 s").contains("on worker w1"));
        assertThat(queue.goneLeases(List.of(probe.task().leaseId(), "lease_unknown"))).containsExactly(probe.task().leaseId(), "lease_unknown");
        assertThatThrownBy(() -> queue.progress(jobId, lease(probe), 50, 1, 1, T0.plusSeconds(62), LONG_LEASE))
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.code()).isEqualTo(SpoolError.Code.CONFLICT));
    }

    @Test
    void theAutomaticLimitIsTwentyTimesTheMediaATaskCoversAndNeverUnderTheFloor() {
        String jobId = submit("a");
        Claim probe = queue.claim(W1, T0, LONG_LEASE).orElseThrow();
        // 95 s of video: the audio covers all of it (limit 1900 s), a 30 s piece gets the 30 min floor
        queue.complete(jobId, lease(probe), new JobQueue.Outcome(null, 100, new WorkerMessages.Probed(95, new Ratio(30, 1), true)), T0);
        Claim audio = queue.claim(W1, T0, LONG_LEASE).orElseThrow();
        Claim piece = queue.claim(W1, T0, LONG_LEASE).orElseThrow();
        assertThat(audio.task().kind()).isEqualTo(TaskKind.ENCODE_AUDIO);
        assertThat(piece.task().kind()).isEqualTo(TaskKind.ENCODE_VIDEO);

        runAt(T0.plusSeconds(1801), TaskTimeout.AUTO);
        assertThat(stateOf(audio)).isEqualTo(TaskState.LEASED);
        assertThat(stateOf(piece)).isEqualTo(TaskState.QUEUED);

        runAt(T0.plusSeconds(1901), TaskTimeout.AUTO);
        assertThat(stateOf(audio)).isEqualTo(TaskState.QUEUED);
        assertThat(queue.tasks(jobId)).filteredOn(t -> t.id().equals(audio.task().id())).singleElement()
                .satisfies(t -> assertThat(t.lastError()).startsWith("over its time limit of 1900 s"));
    }

    @Test
    void theLastAttemptOverItsLimitFailsTheJobAndOffTakesNothingBack() {
        String jobId = submit("a");
        Instant at = T0;
        for (int attempt = 1; attempt <= RETRY.maxAttempts(); attempt++) {
            at = at.plus(Duration.ofHours(1));
            queue.claim(W1, at, LONG_LEASE).orElseThrow();
            runAt(at.plusSeconds(3000), TaskTimeout.OFF);
            assertThat(queue.tasks(jobId).get(0).state()).isEqualTo(TaskState.LEASED);
            runAt(at.plusSeconds(3000), TaskTimeout.AUTO);   // a probe: the 30 min floor
        }

        Job job = queue.job(jobId).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.error()).contains("over its time limit of 1800 s").contains("(after " + RETRY.maxAttempts() + " attempts)");
    }

    private TaskState stateOf(Claim claim) {
        return queue.tasks(claim.task().jobId()).stream().filter(t -> t.id().equals(claim.task().id())).findFirst().orElseThrow().state();
    }
}
