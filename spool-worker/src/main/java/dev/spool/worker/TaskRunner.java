package dev.spool.worker;

import dev.spool.encode.LadderPlan;
import dev.spool.ffmpeg.FfmpegTools;
import dev.spool.ffmpeg.MediaInfo;
import dev.spool.ffmpeg.Probe;
import dev.spool.ffmpeg.Progress;
import dev.spool.hls.StreamProbe;
import dev.spool.job.JobSpec;
import dev.spool.job.SpoolError;
import dev.spool.job.TaskKind;
import dev.spool.protocol.WorkerMessages;
import dev.spool.protocol.WorkerMessages.AssignedJob;
import dev.spool.protocol.WorkerMessages.Finalize;
import dev.spool.run.LadderRun;
import dev.spool.run.PieceLayout;
import dev.spool.run.PieceWork;
import dev.spool.run.RunSummary;
import dev.spool.run.StagedOutput;
import dev.spool.storage.LocalRoots;
import dev.spool.verify.Expectations;
import dev.spool.verify.LadderVerifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one assigned task and says how it ended, as seed 001's finalize: a whole job (probe,
 * one-process ladder, verify, atomic commit), or one step of a split job: the probe, one piece,
 * the audio, or the package step that stitches the pieces into the ladder and commits it. A split
 * job's pieces are kept beside its output ({@link PieceLayout#beside}), on the storage every
 * worker of the job shares.
 */
final class TaskRunner {
    private static final System.Logger LOG = System.getLogger(TaskRunner.class.getName());
    private final FfmpegTools tools;
    private final LocalRoots roots;
    private final int threadsPerTask;

    /** {@code threadsPerTask}: each ffmpeg's thread limit (0: ffmpeg's choice, for a worker with one slot). */
    TaskRunner(FfmpegTools tools, LocalRoots roots, int threadsPerTask) {
        this.tools = tools;
        this.roots = roots;
        this.threadsPerTask = threadsPerTask;
    }

    Finalize run(AssignedJob job, String workerId, Consumer<Progress> progress) {
        long start = System.nanoTime();
        String leaseId = job.lease() == null ? null : job.lease().leaseId();
        try {
            JobSpec spec = job.spec();
            if (spec == null) throw SpoolError.invalid("spec", "is missing from the assignment (is the coordinator older than this worker?)");
            Task task = new Task(job.jobId(), spec, roots.input(spec.input()), roots.output(spec.output()), job.split());
            TaskKind kind = job.kind() == null ? TaskKind.TRANSCODE : TaskKind.of(job.kind());
            Result result = switch (kind) {
                case TRANSCODE -> transcode(task, progress);
                case PROBE -> probe(task);
                case ENCODE_VIDEO -> encodeVideo(task, progress);
                case ENCODE_AUDIO -> encodeAudio(task);
                case PACKAGE -> packageLadder(task);
            };
            if (!result.missingPieces().isEmpty())
                return new Finalize("FAILED", null, "pieces " + result.missingPieces() + " are missing from "
                        + PieceLayout.beside(task.output(), task.jobId()).root(), metrics(start), leaseId, workerId,
                        SpoolError.Code.VERIFICATION.name(), null, result.missingPieces());
            return new Finalize("COMPLETED", result.manifest(), null, metrics(start), leaseId, workerId, null, result.probed(), null);
        } catch (SpoolError e) {
            return new Finalize("FAILED", null, e.getMessage(), metrics(start), leaseId, workerId, e.code().name());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "job " + job.jobId() + " failed inside the worker", e);
            return new Finalize("FAILED", null, "internal error on worker " + workerId + "; its log has the details",
                    metrics(start), leaseId, workerId, "ENCODER");
        }
    }

    /** One task's job, its input and output resolved inside this worker's roots, and its split (if any). */
    private record Task(String jobId, JobSpec spec, Path input, Path output, WorkerMessages.Split split) {
        WorkerMessages.Split requireSplit() {
            if (split == null) throw SpoolError.invalid("split", "is missing from a split job's task");
            return split;
        }
    }

    /** What a task hands back: the manifest, the probe's figures, or the pieces a package step could not find. */
    private record Result(String manifest, WorkerMessages.Probed probed, List<Integer> missingPieces) {
        static Result done(String manifest) { return new Result(manifest, null, List.of()); }
    }

    private Result transcode(Task task, Consumer<Progress> progress) {
        LadderRun.Request request = new LadderRun.Request(task.input(), task.output(), options(task), replaceable(task));
        RunSummary summary = new LadderRun(tools).run(request, new LadderRun.Listener() {
            @Override public void progress(Progress p) { progress.accept(p); }
        });
        return Result.done(summary.master() != null ? summary.master() : summary.out());
    }

    /** Reads the source and checks the output can be written, before any piece is encoded. */
    private Result probe(Task task) {
        replaceable(task);
        LadderPlan plan = plan(task);
        return new Result(null, new WorkerMessages.Probed(plan.source().videoDurationSec(), plan.frameRate().orElse(null),
                plan.audio().isPresent()), List.of());
    }

    private Result encodeVideo(Task task, Consumer<Progress> progress) {
        WorkerMessages.Split split = task.requireSplit();
        if (split.piece() == null) throw SpoolError.invalid("split.piece", "is missing from an encode-video task");
        new PieceWork(tools).encodePiece(checkedPlan(task), split.piece(), task.input(), layout(task), progress);
        return Result.done(null);
    }

    private Result encodeAudio(Task task) {
        new PieceWork(tools).encodeAudio(checkedPlan(task), task.input(), layout(task));
        return Result.done(null);
    }

    /** Stitches the pieces into the ladder in a staging directory, verifies it, then commits it. */
    private Result packageLadder(Task task) {
        LadderPlan plan = checkedPlan(task);
        PieceLayout layout = layout(task);
        List<Integer> missing = layout.missing(plan, task.requireSplit().pieces());
        if (!missing.isEmpty()) return new Result(null, null, missing);
        try (StagedOutput staged = StagedOutput.create(task.output(), replaceable(task))) {
            new PieceWork(tools).packageInto(plan, task.requireSplit().pieces(), layout, staged.directory(), true);
            new LadderVerifier(new StreamProbe(tools)).verify(staged.directory(),
                    Expectations.of(plan.source(), plan.options().hlsTime(), plan.options().masterName())).requireOk();
            staged.commit();
            layout.delete();
            boolean hls = plan.options().format() == dev.spool.encode.EncodeOptions.OutputFormat.HLS;
            return Result.done(hls ? staged.target().resolve(plan.options().masterName()).toString() : staged.target().toString());
        }
    }

    private LadderPlan plan(Task task) {
        MediaInfo source = new Probe(tools).probe(task.input());
        return LadderPlan.of(source, options(task));
    }

    private dev.spool.encode.EncodeOptions options(Task task) {
        var options = task.spec().encodeOptions();
        return threadsPerTask > 0 ? options.withThreads(threadsPerTask) : options;
    }

    /** This worker's plan, which must cut the source on the same frame grid as the coordinator's split. */
    private LadderPlan checkedPlan(Task task) {
        LadderPlan plan = plan(task);
        var rate = task.requireSplit().frameRate();
        if (plan.frameRate().isEmpty() || !plan.frameRate().get().equals(rate))
            throw SpoolError.input(task.spec().input(), "reads here at " + plan.frameRate().map(Object::toString).orElse("no video")
                    + " fps, but the job was split at " + rate + " fps: has the file changed since it was probed?");
        return plan;
    }

    private static PieceLayout layout(Task task) {
        return PieceLayout.beside(task.output(), task.jobId());
    }

    /**
     * Whether the output may be replaced: a re-run after a lost finalize replaces the earlier
     * ladder, but never a folder of other files (a client could otherwise have a worker swap out
     * any folder it can write).
     */
    private static boolean replaceable(Task task) {
        String masterName = task.spec().encodeOptions().masterName();
        boolean replace = holdsOnlyALadder(task.output(), masterName);
        if (!replace && Files.exists(task.output()))
            throw SpoolError.output(task.spec().output(), "is not empty and holds no Spool ladder; refusing to replace it");
        return replace;
    }

    /**
     * True when OUT is an empty directory, or holds nothing but a ladder: its master playlist and
     * rendition directories (each with a media playlist). False when absent: nothing to replace.
     */
    static boolean holdsOnlyALadder(Path out, String masterName) {
        if (!Files.isDirectory(out)) return false;
        try (var entries = Files.list(out)) {
            List<Path> all = entries.toList();
            if (all.isEmpty()) return true;
            if (!Files.isRegularFile(out.resolve(masterName))) return false;
            return all.stream().allMatch(p -> p.getFileName().toString().equals(masterName)
                    || (Files.isDirectory(p) && Files.isRegularFile(p.resolve("index.m3u8")))
                    || p.getFileName().toString().endsWith(".mp4") || p.getFileName().toString().endsWith(".m4a"));
        } catch (IOException e) {
            return false;
        }
    }

    private static WorkerMessages.Metrics metrics(long start) {
        return new WorkerMessages.Metrics((System.nanoTime() - start) / 1_000_000);
    }
}
