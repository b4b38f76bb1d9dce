package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskKind;

/** A whole job on one worker: probe, encode, package and commit in one task. */
final class TranscodeTask extends JobOutputTask {
    @Override
    public TaskKind kind() { return TaskKind.TRANSCODE; }
}
