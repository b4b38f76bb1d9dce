package dev.spool.worker;

import dev.spool.media.ffmpeg.Progress;
import dev.spool.model.job.TaskKind;

import java.util.function.Consumer;

/**
 * One task kind as this worker runs it. A new kind is one class implementing this, listed in
 * {@link TaskHandlers#standard()}; {@link TaskRunner} opens the task's files, hands it here and
 * turns the result into the finalize report.
 */
interface TaskHandler {
    TaskKind kind();

    /** Runs the task; {@code steps} holds what every kind shares (the tools, the plan, the output checks). */
    TaskRunner.Result run(TaskRunner steps, TaskRunner.Task task, Consumer<Progress> progress);
}
