package dev.spool.worker;

import dev.spool.media.ffmpeg.Progress;
import dev.spool.media.run.PieceLayout;
import dev.spool.media.run.PieceWork;
import dev.spool.model.job.TaskKind;

import java.util.function.Consumer;

/** A split job's audio, encoded once for the whole source (uploaded beside a remote output). */
final class EncodeAudioTask implements TaskHandler {
    @Override
    public TaskKind kind() { return TaskKind.ENCODE_AUDIO; }

    @Override
    public TaskRunner.Result run(TaskRunner steps, TaskRunner.Task task, Consumer<Progress> progress) {
        PieceLayout layout = task.files().pieces();
        String name = new PieceWork(steps.tools()).encodeAudio(steps.checkedPlan(task), task.files().input(), layout, task.key());
        task.files().remotePieces().ifPresent(remote -> remote.upload(layout, name, task.files().log()));
        return TaskRunner.Result.done(name);
    }
}
