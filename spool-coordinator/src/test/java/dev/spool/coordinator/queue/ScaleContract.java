package dev.spool.coordinator.queue;

import static dev.spool.coordinator.queue.JobQueueContract.H264;
import static dev.spool.coordinator.queue.JobQueueContract.LEASE;
import static dev.spool.coordinator.queue.JobQueueContract.RETRY;
import static dev.spool.coordinator.queue.JobQueueContract.T0;
import static dev.spool.coordinator.queue.JobQueueContract.W1;
import static dev.spool.coordinator.queue.JobQueueContract.lease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spool.coordinator.scale.PoolLoad;
import dev.spool.coordinator.scale.ScalePolicy;
import dev.spool.model.encode.Ratio;
import dev.spool.model.job.JobSpec;
import dev.spool.model.job.Priority;
import dev.spool.model.protocol.WorkerMessages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler's reads and writes on every database: queued work in media seconds from the real
 * piece plans and probe results the queue stores, and the desired count written by version.
 */
abstract class ScaleContract extends QueueContract {

    @Test
    void aThreeMinuteSourceSplitIntoManyPiecesAsksForMoreWorkersThanOneShortClip() {
        String clip = submit("clip", null);
        probe(clip, new WorkerMessages.Probed(10, new Ratio(30, 1), true));
        PoolWork oneClip = work();
        assertThat(oneClip.queuedTasks()).isEqualTo(1);
        assertThat(oneClip.queuedSeconds()).as("the transcode weighs its probed source").isCloseTo(10, within(0.01));
        assertThat(ScalePolicy.DEFAULT.target(load(oneClip))).isEqualTo(1);

        queue.cancel(clip, T0.plusSeconds(2));
        String film = submit("film", 6);
        probe(film, new WorkerMessages.Probed(180, new Ratio(30, 1), true));
        PoolWork split = work();
        assertThat(split.queuedTasks()).as("30 pieces and the audio (the package waits, blocked)").isEqualTo(31);
        assertThat(split.queuedSeconds()).as("its pieces' seconds, the audio's and the package's shares").isCloseTo(189, within(0.5));
        assertThat(ScalePolicy.DEFAULT.target(load(split))).as("2 min horizon: 189 s need 2").isEqualTo(2);
        assertThat(ScalePolicy.DEFAULT.withHorizon(Duration.ofSeconds(30)).target(load(split))).isEqualTo(7);
        assertThat(ScalePolicy.DEFAULT.withHorizon(Duration.ofSeconds(30)).target(load(oneClip))).as("the clip still one").isEqualTo(1);
    }

    @Test
    void aJobNotYetProbedCountsItsEstimateButAsksForOneSlotAtMost() {
        submit("unknown", null);
        PoolWork one = work();
        assertThat(one.queuedSeconds()).isEqualTo(PoolWork.UNPROBED_SECONDS);
        assertThat(ScalePolicy.DEFAULT.withHorizon(Duration.ofSeconds(5)).target(load(one))).isEqualTo(1);
        for (int i = 0; i < 19; i++) submit("more-" + i, null);
        assertThat(work().queuedTasks()).isEqualTo(20);
        assertThat(ScalePolicy.DEFAULT.target(load(work()))).as("1200 s in 2 min: 10").isEqualTo(10);
    }

    @Test
    void aTaskOnADrainingWorkerIsNotCountedAsBusyCapacity() {
        submit("a", null);
        queue.saveWorker(new WorkerRecord("w1", 5, "{}", List.of("transcode"), 1, "BUSY", null, null, T0, T0));
        queue.claim(W1, T0, LEASE).orElseThrow();
        assertThat(work().leasedTasks()).isEqualTo(1);
        queue.controlWorker("w1", WorkerRecord.Control.DRAINING);
        assertThat(queue.poolWork()).singleElement().satisfies(w -> assertThat(w.leasedTasks()).isZero());
    }

    @Test
    void aDesiredCountIsWrittenOnlyByTheCoordinatorWhoseReadIsCurrent() {
        assertThat(queue.scaleStates()).isEmpty();
        assertThat(queue.saveScaleState(new ScaleState("transcode", 1, T0, null, 0), 0)).isTrue();
        assertThat(queue.saveScaleState(new ScaleState("transcode", 2, T0, null, 0), 0)).as("a second first write").isFalse();
        ScaleState stored = queue.scaleStates().getFirst();
        assertThat(stored.desired()).isEqualTo(1);
        assertThat(stored.version()).isEqualTo(1);

        assertThat(queue.saveScaleState(new ScaleState("transcode", 3, T0.plusSeconds(5), T0.plusSeconds(4), 1), 1)).isTrue();
        assertThat(queue.saveScaleState(new ScaleState("transcode", 0, T0.plusSeconds(6), null, 1), 1)).as("a stale version").isFalse();
        assertThat(queue.scaleStates()).singleElement().satisfies(s -> {
            assertThat(s.desired()).isEqualTo(3);
            assertThat(s.changedAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(s.lowSince()).isEqualTo(T0.plusSeconds(4));
            assertThat(s.version()).isEqualTo(2);
        });
    }

    private PoolWork work() {
        return queue.poolWork().stream().filter(w -> w.pool().equals("transcode")).findFirst().orElseThrow();
    }

    private static PoolLoad load(PoolWork w) {
        return new PoolLoad(w.pool(), w.queuedTasks(), w.queuedSeconds(), w.leasedTasks(), 0, 0);
    }

    private String submit(String name, Integer pieceSeconds) {
        JobSpec spec = new JobSpec("/in/" + name + ".mp4", "/out/" + name, List.of(), null, null, null, Priority.NORMAL,
                Map.of(), null, null, pieceSeconds);
        return queue.submit(spec, H264, T0, RETRY).job().id();
    }

    private void probe(String jobId, WorkerMessages.Probed probed) {
        Claim probe = queue.claim(W1, T0, LEASE).orElseThrow();
        queue.complete(jobId, lease(probe), new JobQueue.Outcome(null, 200, probed), T0.plusSeconds(1));
    }
}
