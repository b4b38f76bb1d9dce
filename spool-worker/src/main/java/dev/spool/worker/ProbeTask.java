package dev.spool.worker;

import dev.spool.media.ffmpeg.Progress;
import dev.spool.media.plan.LadderPlan;
import dev.spool.model.job.TaskKind;
import dev.spool.model.protocol.WorkerMessages;

import java.util.List;
import java.util.function.Consumer;

/** A split job's first step: reads the source and checks the output can be written, before any piece is encoded. */
final class ProbeTask implements TaskHandler {
    @Override
    public TaskKind kind() { return TaskKind.PROBE; }

    @Override
    public TaskRunner.Result run(TaskRunner steps, TaskRunner.Task task, Consumer<Progress> progress) {
        TaskRunner.replaceable(task);
        task.files().requirePublishable(steps.encodeOptions(task).masterName());
        LadderPlan plan = steps.plan(task);
        return new TaskRunner.Result(null, new WorkerMessages.Probed(plan.source().videoDurationSec(), plan.frameRate().orElse(null),
                plan.audio().isPresent()), List.of(), () -> { });
    }
}
