package dev.spool.coordinator.queue;

import dev.spool.model.job.Priority;
import dev.spool.model.job.TaskState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's control of a worker, on every database: a PAUSED or DRAINING worker's claim gets
 * nothing, whatever protocol it speaks (a whole-job worker's claim as well as a split-job one's),
 * and resuming it gives it the work again; a registration keeps the control.
 */
abstract class WorkerControlContract extends QueueContract {
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(30);
    static final WorkerFit SPOOL = new WorkerFit("w1", Set.of("libx264"), 1080, Set.of("transcode"));
    static final WorkerFit SEED = new WorkerFit("w1", Set.of("libx264"), 1080, Set.of("transcode"), dev.spool.model.job.TaskKind.WHOLE_JOB, null);

    private void register(String id, Instant at) {
        queue.saveWorker(new WorkerRecord(id, 2, "{}", List.of("transcode"), 1, "IDLE", null, null, at, at));
    }

    /**
     * Each job a millisecond after the one before, all before T0: claims take the oldest first, and
     * with one timestamp the order among equals would be the database's choice (ids are random).
     */
    private Job submit(String name) {
        Instant at = T0.minusSeconds(1).plusMillis(submitted++);
        return queue.submit(JobQueueContract.spec(name, Priority.NORMAL, Map.of(), null), JobQueueContract.H264, at,
                JobQueueContract.RETRY).job();
    }

    private int submitted;

    @Test
    void aPausedWorkersClaimGetsNothingUntilItIsResumed() {
        register("w1", T0);
        Job job = submit("a");
        assertThat(queue.controlWorker("w1", WorkerRecord.Control.PAUSED)).hasValueSatisfying(w ->
                assertThat(w.control()).isEqualTo(WorkerRecord.Control.PAUSED));

        assertThat(queue.claim(SPOOL, T0.plusSeconds(1), LEASE)).isEmpty();
        assertThat(queue.claim(SEED, T0.plusSeconds(1), LEASE)).as("a whole-job (seed-001) worker's claim too").isEmpty();
        assertThat(queue.tasks(job.id())).singleElement().extracting(Task::state).isEqualTo(TaskState.QUEUED);

        queue.controlWorker("w1", WorkerRecord.Control.ACTIVE);
        assertThat(queue.claim(SPOOL, T0.plusSeconds(2), LEASE)).hasValueSatisfying(c -> {
            assertThat(c.task().jobId()).isEqualTo(job.id());
            assertThat(c.task().workerId()).isEqualTo("w1");
        });
    }

    @Test
    void aDrainingWorkerKeepsWhatItRunsAndTakesNothingMore() {
        register("w1", T0);
        Job first = submit("a");
        submit("b");
        Claim held = queue.claim(SPOOL, T0.plusSeconds(1), LEASE).orElseThrow();
        assertThat(held.task().jobId()).isEqualTo(first.id());

        queue.controlWorker("w1", WorkerRecord.Control.DRAINING);
        assertThat(queue.claim(SPOOL, T0.plusSeconds(2), LEASE)).isEmpty();
        assertThat(queue.claim(SEED, T0.plusSeconds(2), LEASE)).isEmpty();
        // what it holds is still its own: its result is taken
        Job done = queue.complete(first.id(), new JobQueue.LeaseRef("w1", held.task().leaseId()), "/out/a/master.m3u8", 10,
                T0.plusSeconds(3));
        assertThat(done.state()).isEqualTo(dev.spool.model.job.JobState.COMPLETED);
        // another worker takes the rest
        register("w2", T0);
        assertThat(queue.claim(new WorkerFit("w2", Set.of("libx264"), 1080, Set.of("transcode")), T0.plusSeconds(4), LEASE)).isPresent();
    }

    @Test
    void aRegistrationKeepsTheControlAndAnUnknownWorkerHasNone() {
        register("w1", T0);
        queue.controlWorker("w1", WorkerRecord.Control.PAUSED);
        register("w1", T0.plusSeconds(5));   // it restarted
        assertThat(queue.worker("w1")).hasValueSatisfying(w -> assertThat(w.control()).isEqualTo(WorkerRecord.Control.PAUSED));
        assertThat(queue.workers()).singleElement().extracting(WorkerRecord::control).isEqualTo(WorkerRecord.Control.PAUSED);
        assertThat(queue.controlWorker("nobody", WorkerRecord.Control.DRAINING)).isEmpty();
    }

    @Test
    void aWorkersEventsAndLeasedTasksAreListed() {
        register("w1", T0);
        Job job = submit("a");
        Claim held = queue.claim(SPOOL, T0.plusSeconds(1), LEASE).orElseThrow();
        assertThat(queue.leased()).singleElement().extracting(Task::id).isEqualTo(held.task().id());
        queue.fail(job.id(), new JobQueue.LeaseRef("w1", held.task().leaseId()), "encoder crashed", true,
                List.of("[libx264 @ 0x1] error", "from 'https://u:p@h/in.mp4?sig=1'"), T0.plusSeconds(2), JobQueueContract.RETRY);
        assertThat(queue.leased()).isEmpty();
        assertThat(queue.tasks(job.id())).singleElement().extracting(Task::logTail).asList()
                .containsExactly("[libx264 @ 0x1] error", "from 'https://u:p@h/in.mp4?sig=1'");   // the route redacts; the store keeps
        assertThat(queue.workerEvents("w1", 10)).extracting(Event::type).containsExactly(EventType.FAILED, EventType.LEASED);
    }
}
