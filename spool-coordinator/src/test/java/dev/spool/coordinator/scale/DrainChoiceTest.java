package dev.spool.coordinator.scale;

import dev.spool.coordinator.queue.Task;
import dev.spool.model.job.TaskKind;
import dev.spool.model.job.TaskState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DrainChoiceTest {
    @Test
    void idleWorkersGoFirstThenTheLeastAdvanced() {
        List<Task> leased = List.of(task("w-far", 90), task("w-near", 10));
        assertThat(DrainChoice.pick(List.of("w-far", "w-near", "w-idle-b", "w-idle-a"), leased, 3))
                .containsExactly("w-idle-a", "w-idle-b", "w-near");
        assertThat(DrainChoice.pick(List.of("w-far"), leased, 0)).isEmpty();
    }

    private static Task task(String worker, double progress) {
        Instant t = Instant.EPOCH;
        return new Task("t-" + worker, "j", TaskKind.TRANSCODE, TaskState.LEASED, 1, 3, worker, "l", t, progress, 0, -1, null, t, t, t,
                null, null, null, null, 0, null, null, null, null);
    }
}
