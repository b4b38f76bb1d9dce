package dev.spool.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.coordinator.queue.WorkerFit;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EmptyQueuesTest {
    private static final WorkerFit CPU_A = new WorkerFit("cpu-a", Set.of("libx264"), 1080, Set.of("transcode"));
    private static final WorkerFit CPU_B = new WorkerFit("cpu-b", Set.of("libx264"), 1080, Set.of("transcode"));
    private static final WorkerFit GPU = new WorkerFit("gpu", Set.of("h264_nvenc"), 2160, Set.of("transcode"));

    @Test
    void anEqualWorkerWokenForTheSameOrAnEarlierChangeNeedNotLook() {
        EmptyQueues empty = new EmptyQueues();
        empty.foundEmpty(CPU_A, 7);
        assertThat(empty.knownEmpty(CPU_B, 7)).as("same change, worker of the same kind").isTrue();
        assertThat(empty.knownEmpty(CPU_B, 6)).isTrue();
    }

    @Test
    void aLaterChangeOrAnotherKindOfWorkerLooksAgain() {
        EmptyQueues empty = new EmptyQueues();
        empty.foundEmpty(CPU_A, 7);
        assertThat(empty.knownEmpty(CPU_B, 8)).as("work may have come with change 8").isFalse();
        assertThat(empty.knownEmpty(GPU, 7)).as("a GPU worker may fit what a CPU worker does not").isFalse();
        empty.foundEmpty(CPU_A, 5);   // an older claim ending late does not move the mark back
        assertThat(empty.knownEmpty(CPU_B, 7)).isTrue();
    }
}
