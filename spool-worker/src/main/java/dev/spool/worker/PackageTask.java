package dev.spool.worker;

import dev.spool.media.commit.StagedOutput;
import dev.spool.media.ffmpeg.Progress;
import dev.spool.media.hls.StreamProbe;
import dev.spool.media.plan.LadderPlan;
import dev.spool.media.run.OutputStats;
import dev.spool.media.run.PieceLayout;
import dev.spool.media.run.PieceWork;
import dev.spool.media.verify.Expectations;
import dev.spool.media.verify.LadderVerifier;
import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskKind;
import dev.spool.model.protocol.WorkerMessages;
import dev.spool.model.storage.CommitGate;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A split job's last step: stitches the accepted pieces into the ladder in a staging directory,
 * verifies it, then commits it. The pieces are deleted only once the coordinator has accepted the
 * result, since until then another worker may be packaging them too.
 */
final class PackageTask implements TaskHandler {
    @Override
    public TaskKind kind() { return TaskKind.PACKAGE; }

    @Override
    public TaskRunner.Result run(TaskRunner steps, TaskRunner.Task task, Consumer<Progress> progress) {
        LadderPlan plan = steps.checkedPlan(task);
        WorkerMessages.Split split = task.requireSplit();
        Map<Integer, String> names = split.pieceDirs();
        WorkerStorage.TaskFiles files = task.files();
        PieceLayout layout = files.pieces();
        var remote = files.remotePieces();
        Runnable deletePieces = remote.<Runnable>map(r -> r::delete).orElse(layout::delete);
        if (TaskRunner.finishedPendingCommit(task))
            return TaskRunner.Result.committed(TaskRunner.localManifest(plan.options(), files.ladderDir()), null, deletePieces);
        if (remote.isEmpty() && !Files.isDirectory(layout.root()))
            // not this job's fault: this worker cannot see the storage the others wrote to; the pieces stay DONE
            throw SpoolError.storage("the pieces of job " + task.jobId() + " are not visible from this worker at " + layout.root()
                    + " (does it mount the same storage as the workers that encoded them?)");
        List<Integer> missing = remote.isPresent() ? remote.get().missing(plan, split.pieces(), names)
                : layout.missing(plan, split.pieces(), names);
        if (!missing.isEmpty()) return new TaskRunner.Result(null, null, missing, () -> { });
        remote.ifPresent(r -> r.downloadInto(layout, names, files.log()));
        OutputStats stats;
        try (StagedOutput staged = StagedOutput.create(files.ladderDir(), TaskRunner.replaceable(task))) {
            new PieceWork(steps.tools()).packageInto(plan, split.pieces(), layout, names, staged.directory(), remote.isEmpty());
            StreamProbe readBack = new StreamProbe(steps.tools());
            new LadderVerifier(readBack).verify(staged.directory(),
                    Expectations.of(plan.source(), plan.options().hlsTime(), plan.options().masterName())).requireOk();
            stats = TaskRunner.measure(task, plan, staged.directory(), readBack);   // what the verifier read, again from its cache
            staged.commit(files.remote() ? CommitGate.OPEN : task.permit().fresh());
        }
        String manifest = files.remote() ? files.publish(plan.options().masterName(), task.permit().fresh())
                : TaskRunner.localManifest(plan.options(), files.ladderDir());
        return TaskRunner.Result.committed(manifest, stats, deletePieces);
    }
}
