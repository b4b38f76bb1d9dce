package dev.spool.coordinator.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.model.job.TaskKind;
import org.junit.jupiter.api.Test;

/** Every task kind has its one handler on the coordinator's side, and only the output steps commit. */
class TaskKindsTest {
    @Test
    void everyKindHasItsHandler() {
        for (TaskKind kind : TaskKind.values()) assertThat(TaskKinds.of(kind).kind()).isEqualTo(kind);
    }

    @Test
    void onlyTheStepsThatMakeTheOutputVisibleCommit() {
        assertThat(TaskKind.values()).filteredOn(k -> TaskKinds.of(k).commitsOutput())
                .containsExactlyInAnyOrder(TaskKind.TRANSCODE, TaskKind.PACKAGE);
    }
}
