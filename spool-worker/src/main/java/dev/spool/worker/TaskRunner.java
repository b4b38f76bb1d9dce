package dev.spool.worker;

import dev.spool.model.encode.EncodeOptions;
import dev.spool.media.plan.LadderPlan;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.probe.MediaInfo;
import dev.spool.media.probe.Probe;
import dev.spool.media.ffmpeg.Progress;
import dev.spool.media.hls.StreamProbe;
import dev.spool.model.job.JobRecord;
import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskKind;
import dev.spool.model.protocol.WorkerMessages;
import dev.spool.model.protocol.WorkerMessages.AssignedJob;
import dev.spool.model.protocol.WorkerMessages.Finalize;
import dev.spool.media.commit.CommitMarker;
import dev.spool.media.run.OutputStats;
import dev.spool.storage.TransferLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one assigned task and says how it ended, as seed 001's finalize: a whole job (probe,
 * one-process ladder, verify, commit), or one step of a split job: the probe, one piece, the
 * audio, or the package step that stitches the accepted pieces into the ladder and commits it
 * (one {@link TaskHandler} per kind, listed in {@link TaskHandlers}). Files come through {@link WorkerStorage}: a NAS path, or an object store via this worker's cache.
 */
final class TaskRunner {
    private static final System.Logger LOG = System.getLogger(TaskRunner.class.getName());
    private final FfmpegTools tools;
    private final WorkerStorage storage;
    private final int threadsPerTask;
    private final TaskHandlers handlers;

    /** {@code threadsPerTask}: each ffmpeg's thread limit (0: ffmpeg's choice, for a worker with one slot). */
    TaskRunner(FfmpegTools tools, WorkerStorage storage, int threadsPerTask) {
        this(tools, storage, threadsPerTask, TaskHandlers.standard());
    }

    TaskRunner(FfmpegTools tools, WorkerStorage storage, int threadsPerTask, TaskHandlers handlers) {
        this.tools = tools;
        this.storage = storage;
        this.threadsPerTask = threadsPerTask;
        this.handlers = handlers;
    }

    /** The ffmpeg and ffprobe every kind runs. */
    FfmpegTools tools() { return tools; }

    /** The options a task encodes with, this worker's share of the cores applied. */
    EncodeOptions encodeOptions(Task task) { return options(task); }

    /**
     * How a task ended, and what to do once the coordinator has accepted that: a package step
     * deletes the pieces only then, since until then another worker may be packaging them too.
     */
    record Outcome(Finalize report, Runnable onAccepted) {}

    /** Runs the task; {@code permit} is how its output gets the coordinator's grant before it is made visible. */
    Outcome run(AssignedJob job, String workerId, Consumer<Progress> progress, TransferLog log, CommitPermit permit) {
        long start = System.nanoTime();
        String leaseId = job.lease() == null ? null : job.lease().leaseId();
        String key = leaseId != null ? leaseId : job.jobId();
        try {
            JobRecord spec = job.spec();
            if (spec == null) throw SpoolError.invalid("spec", "is missing from the assignment (is the coordinator older than this worker?)");
            TaskKind kind = job.kind() == null ? TaskKind.TRANSCODE : TaskKind.of(job.kind());
            try (WorkerStorage.TaskFiles files = storage.open(job.jobId(), spec, key, log)) {
                Task task = new Task(job.jobId(), key, spec, files, job.split(), permit);
                Result result;
                try {
                    result = handlers.forKind(kind).run(this, task, progress);
                } catch (SpoolError e) {
                    throw asTheJobNamesIt(e, files.input(), spec.input());
                }
                if (!result.missingPieces().isEmpty())
                    return new Outcome(new Finalize("FAILED", null, "pieces " + result.missingPieces() + " of job " + job.jobId()
                            + " are missing (-1: the audio)", metrics(start), leaseId, workerId, SpoolError.Code.VERIFICATION.name(),
                            null, result.missingPieces()), () -> { });
                return new Outcome(new Finalize("COMPLETED", result.manifest(), null, metrics(start, result.stats()), leaseId,
                        workerId, null, result.probed(), null), result.onAccepted());
            }
        } catch (SpoolError e) {
            return new Outcome(new Finalize("FAILED", null, e.getMessage(), metrics(start), leaseId, workerId, e.code().name()), () -> { });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "job " + job.jobId() + " failed inside the worker", e);
            return new Outcome(new Finalize("FAILED", null, "internal error on worker " + workerId + "; its log has the details",
                    metrics(start), leaseId, workerId, "ENCODER"), () -> { });
        }
    }

    /**
     * A downloaded input is read from this worker's cache; a message about it names the input as
     * the job does (spool://..., s3://..., a URL), not a path the client has never seen.
     */
    private static SpoolError asTheJobNamesIt(SpoolError e, Path local, String asGiven) {
        if (local.toString().equals(asGiven) || e.getMessage() == null || !e.getMessage().contains(local.toString())) return e;
        return new SpoolError(e.code(), e.field(), e.getMessage().replace(local.toString(), asGiven), e);
    }

    /**
     * One task: its job, the key its scratch and piece names carry (the lease), its files, its split
     * (if any) and its commit permit.
     */
    record Task(String jobId, String key, JobRecord spec, WorkerStorage.TaskFiles files, WorkerMessages.Split split,
                        CommitPermit permit) {
        WorkerMessages.Split requireSplit() {
            if (split == null) throw SpoolError.invalid("split", "is missing from a split job's task");
            return split;
        }
    }

    /**
     * What a task hands back: the manifest (a piece: its directory name), the probe's figures, or
     * the pieces a package step could not find; and what to do once the coordinator accepted it.
     */
    record Result(String manifest, WorkerMessages.Probed probed, List<Integer> missingPieces, Runnable onAccepted,
                          OutputStats stats) {
        Result(String manifest, WorkerMessages.Probed probed, List<Integer> missingPieces, Runnable onAccepted) {
            this(manifest, probed, missingPieces, onAccepted, null);
        }

        static Result done(String manifest) { return new Result(manifest, null, List.of(), () -> { }); }

        /** A job's output, committed: its manifest and what it holds. */
        static Result committed(String manifest, OutputStats stats, Runnable onAccepted) {
            return new Result(manifest, null, List.of(), onAccepted, stats);
        }
    }

    /** A local output's pending commit (an earlier attempt's, whose worker vanished) finished by this attempt. */
    static boolean finishedPendingCommit(Task task) {
        return !task.files().remote() && task.permit().finishPending(task.files().ladderDir(), task.files().log());
    }

    /** What a completed task reports for a local output: the master playlist, or the folder of MP4s. */
    static String localManifest(EncodeOptions options, Path out) {
        return options.format() == EncodeOptions.OutputFormat.HLS ? out.resolve(options.masterName()).toString() : out.toString();
    }

    LadderPlan plan(Task task) {
        MediaInfo source = new Probe(tools).probe(task.files().input());
        return LadderPlan.of(source, options(task));
    }

    private EncodeOptions options(Task task) {
        EncodeOptions options = task.spec().plan().options();   // the plan made at submit
        return threadsPerTask > 0 ? options.withThreads(threadsPerTask) : options;
    }

    /** This worker's plan, which must cut the source on the same frame grid as the coordinator's split. */
    LadderPlan checkedPlan(Task task) {
        LadderPlan plan = plan(task);
        var rate = task.requireSplit().frameRate();
        if (plan.frameRate().isEmpty() || !plan.frameRate().get().equals(rate))
            throw SpoolError.input(task.spec().input(), "reads here at " + plan.frameRate().map(Object::toString).orElse("no video")
                    + " fps, but the job was split at " + rate + " fps: has the file changed since it was probed?");
        return plan;
    }

    /**
     * Whether the local output may be replaced: a re-run after a lost finalize replaces the earlier
     * ladder, but never a folder of other files (a client could otherwise have a worker swap out
     * any folder it can write). A remote output is checked by {@link WorkerStorage.TaskFiles#requirePublishable}.
     */
    static boolean replaceable(Task task) {
        if (task.files().remote()) return false;   // its scratch directory is always new
        Path output = task.files().ladderDir();
        boolean replace = holdsOnlyALadder(output, task.spec().plan().masterName());
        if (!replace && Files.exists(output))
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
                    || p.getFileName().toString().equals(CommitMarker.FILE)
                    || (Files.isDirectory(p) && Files.isRegularFile(p.resolve("index.m3u8")))
                    || p.getFileName().toString().endsWith(".mp4") || p.getFileName().toString().endsWith(".m4a"));
        } catch (IOException e) {
            return false;
        }
    }

    private static WorkerMessages.Metrics metrics(long start) {
        return new WorkerMessages.Metrics((System.nanoTime() - start) / 1_000_000);
    }

    private static WorkerMessages.Metrics metrics(long start, OutputStats stats) {
        long took = (System.nanoTime() - start) / 1_000_000;
        if (stats == null) return new WorkerMessages.Metrics(took);
        return new WorkerMessages.Metrics(took, stats.framesEncoded(), stats.durationSeconds(), stats.outputSizeBytes());
    }

    /**
     * The committed output's statistics; null if they cannot be read (the output passed verification,
     * so that would be this worker's trouble, and the job is done all the same).
     */
    static OutputStats measure(Task task, LadderPlan plan, Path dir, StreamProbe probe) {
        if (plan == null) return null;
        try {
            return OutputStats.measure(plan, dir, probe);
        } catch (SpoolError e) {
            LOG.log(System.Logger.Level.WARNING, "cannot measure the output of job " + task.jobId() + ": " + e.getMessage());
            return null;
        }
    }
}
