package dev.spool.worker;

import dev.spool.ffmpeg.FfmpegTools;
import dev.spool.ffmpeg.Progress;
import dev.spool.job.JobSpec;
import dev.spool.job.SpoolError;
import dev.spool.protocol.WorkerMessages;
import dev.spool.run.LadderRun;
import dev.spool.run.RunSummary;

import dev.spool.storage.LocalRoots;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one assigned job with the single-machine pipeline (probe, one-process ladder, verify,
 * atomic commit into the job's output directory) and says how it ended, as seed 001's finalize.
 */
final class TaskRunner {
    private static final System.Logger LOG = System.getLogger(TaskRunner.class.getName());
    private final FfmpegTools tools;
    private final LocalRoots roots;

    TaskRunner(FfmpegTools tools, LocalRoots roots) {
        this.tools = tools;
        this.roots = roots;
    }

    WorkerMessages.Finalize run(WorkerMessages.AssignedJob job, String workerId, Consumer<Progress> progress) {
        long start = System.nanoTime();
        try {
            JobSpec spec = job.spec();
            if (spec == null) throw SpoolError.invalid("spec", "is missing from the assignment (is the coordinator older than this worker?)");
            Path input = roots.input(spec.input());
            Path output = roots.output(spec.output());
            // a re-run after a lost finalize replaces the earlier ladder, but never a folder of other files
            boolean replace = holdsOnlyALadder(output, spec.encodeOptions().masterName());
            if (!replace && Files.exists(output))
                throw SpoolError.output(spec.output(), "is not empty and holds no Spool ladder; refusing to replace it");
            LadderRun.Request request = new LadderRun.Request(input, output, spec.encodeOptions(), replace);
            RunSummary summary = new LadderRun(tools).run(request, new LadderRun.Listener() {
                @Override public void progress(Progress p) { progress.accept(p); }
            });
            String manifest = summary.master() != null ? summary.master() : summary.out();
            return new WorkerMessages.Finalize("COMPLETED", manifest, null, metrics(start), leaseId(job), workerId, null);
        } catch (SpoolError e) {
            return new WorkerMessages.Finalize("FAILED", null, e.getMessage(), metrics(start), leaseId(job), workerId, e.code().name());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "job " + job.jobId() + " failed inside the worker", e);
            return new WorkerMessages.Finalize("FAILED", null, "internal error on worker " + workerId + "; its log has the details",
                    metrics(start), leaseId(job), workerId, "ENCODER");
        }
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

    private static String leaseId(WorkerMessages.AssignedJob job) {
        return job.lease() == null ? null : job.lease().leaseId();
    }
}
