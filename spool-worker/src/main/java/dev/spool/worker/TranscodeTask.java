package dev.spool.worker;

import dev.spool.media.ffmpeg.Progress;
import dev.spool.media.hls.StreamProbe;
import dev.spool.media.plan.LadderPlan;
import dev.spool.media.probe.MediaInfo;
import dev.spool.media.run.LadderRun;
import dev.spool.media.run.OutputStats;
import dev.spool.media.run.RunSummary;
import dev.spool.model.job.TaskKind;
import dev.spool.model.storage.CommitGate;

import java.util.function.Consumer;

/** A whole job in one process: probe, the ladder, verify, commit (and publish a remote output). */
final class TranscodeTask implements TaskHandler {
    @Override
    public TaskKind kind() { return TaskKind.TRANSCODE; }

    @Override
    public TaskRunner.Result run(TaskRunner steps, TaskRunner.Task task, Consumer<Progress> progress) {
        WorkerStorage.TaskFiles files = task.files();
        var options = steps.encodeOptions(task);
        files.requirePublishable(options.masterName());
        if (TaskRunner.finishedPendingCommit(task)) return TaskRunner.Result.done(TaskRunner.localManifest(options, files.ladderDir()));
        LadderRun.Request request = new LadderRun.Request(files.input(), files.ladderDir(), options, TaskRunner.replaceable(task));
        LadderPlan[] planned = new LadderPlan[1];
        // a remote output is staged in private scratch: the grant is asked when it is published
        RunSummary summary = new LadderRun(steps.tools()).run(request, new LadderRun.Listener() {
            @Override public void planned(MediaInfo source, LadderPlan plan) { planned[0] = plan; }
            @Override public void progress(Progress p) { progress.accept(p); }
        }, files.remote() ? CommitGate.OPEN : task.permit().fresh());
        // measured before a remote output is published: the local directory is what gets uploaded
        OutputStats stats = TaskRunner.measure(task, planned[0], files.ladderDir(), new StreamProbe(steps.tools()));
        if (files.remote()) return TaskRunner.Result.committed(files.publish(options.masterName(), task.permit().fresh()), stats, () -> { });
        return TaskRunner.Result.committed(summary.master() != null ? summary.master() : summary.out(), stats, () -> { });
    }
}
