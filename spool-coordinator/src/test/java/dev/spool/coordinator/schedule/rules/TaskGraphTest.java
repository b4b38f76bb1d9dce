package dev.spool.coordinator.schedule.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.model.encode.Ratio;
import dev.spool.model.job.JobRecord;
import dev.spool.model.job.JobSpec;
import dev.spool.model.job.Priority;
import dev.spool.model.job.TaskKind;
import dev.spool.model.job.TaskState;
import dev.spool.model.protocol.WorkerMessages;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job's shape after its probe, without a database. */
class TaskGraphTest {
    static JobRecord spec(int pieceSeconds) {
        return new JobSpec("/in/a.mp4", "/out/a", List.of(), null, null, null, Priority.NORMAL, Map.of(), null, null, pieceSeconds).record();
    }

    @Test
    void aLongVideoWithAudioBecomesPiecesTheAudioAndABlockedPackage() {
        TaskGraph.Plan plan = TaskGraph.after(spec(30), new WorkerMessages.Probed(95, new Ratio(30, 1), true));

        assertThat(plan.tasks()).extracting(t -> t.kind().wire() + " " + (t.piece() == null ? "" : t.piece() + " ") + t.state())
                .containsExactly("encode-audio QUEUED", "encode-video 0 QUEUED", "encode-video 1 QUEUED", "encode-video 2 QUEUED",
                        "encode-video 3 QUEUED", "package BLOCKED");
        assertThat(plan.split().pieces().pieces()).hasSize(4);
        assertThat(plan.tasks().get(1).weight()).as("a piece weighs its seconds").isEqualTo(30.0);
        assertThat(plan.tasks()).filteredOn(t -> !t.needsVideoEncoder()).extracting(TaskGraph.NewTask::kind)
                .containsExactly(TaskKind.ENCODE_AUDIO, TaskKind.PACKAGE);
        assertThat(plan.probeWeight()).isEqualTo(95 * TaskGraph.PROBE_SHARE);
        assertThat(plan.description()).isEqualTo("4 pieces of 30 s, the audio whole, then package");
    }

    @Test
    void aSilentVideoHasNoAudioTask() {
        TaskGraph.Plan plan = TaskGraph.after(spec(30), new WorkerMessages.Probed(95, new Ratio(30, 1), false));

        assertThat(plan.tasks()).extracting(TaskGraph.NewTask::kind).doesNotContain(TaskKind.ENCODE_AUDIO);
        assertThat(plan.description()).isEqualTo("4 pieces of 30 s, then package");
    }

    @Test
    void aVideoShorterThanOnePieceRunsWhole() {
        TaskGraph.Plan plan = TaskGraph.after(spec(30), new WorkerMessages.Probed(20, new Ratio(30, 1), true));

        assertThat(plan.tasks()).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TaskKind.TRANSCODE);
            assertThat(t.state()).isEqualTo(TaskState.QUEUED);
            assertThat(t.weight()).isEqualTo(1.0);
        });
        assertThat(plan.split()).isNull();
        assertThat(plan.probeWeight()).isNull();
        assertThat(plan.description()).isEqualTo("runs whole on one worker (shorter than one piece)");
    }

    @Test
    void aJobThatMayNotBeSplitRunsWhole() {
        TaskGraph.Plan plan = TaskGraph.after(spec(0), new WorkerMessages.Probed(95, new Ratio(30, 1), true));

        assertThat(plan.tasks()).extracting(TaskGraph.NewTask::kind).containsExactly(TaskKind.TRANSCODE);
        assertThat(plan.description()).isEqualTo("runs whole on one worker (not split)");
    }
}
