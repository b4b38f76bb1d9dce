package dev.spool.worker;

import dev.spool.media.ffmpeg.Progress;
import dev.spool.media.run.PieceLayout;
import dev.spool.media.run.PieceWork;
import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskKind;
import dev.spool.model.protocol.WorkerMessages;

import java.util.function.Consumer;

/** One piece of a split job's video, every rung, cut on the coordinator's frame grid (uploaded beside a remote output). */
final class EncodeVideoTask implements TaskHandler {
    @Override
    public TaskKind kind() { return TaskKind.ENCODE_VIDEO; }

    @Override
    public TaskRunner.Result run(TaskRunner steps, TaskRunner.Task task, Consumer<Progress> progress) {
        WorkerMessages.Split split = task.requireSplit();
        if (split.piece() == null) throw SpoolError.invalid("split.piece", "is missing from an encode-video task");
        PieceLayout layout = task.files().pieces();
        String name = new PieceWork(steps.tools()).encodePiece(steps.checkedPlan(task), split.piece(), task.files().input(), layout,
                task.key(), progress);
        task.files().remotePieces().ifPresent(remote -> remote.upload(layout, name, task.files().log()));
        return TaskRunner.Result.done(name);
    }
}
