package dev.spool.worker;

import dev.spool.ffmpeg.FfmpegTools;
import dev.spool.ffmpeg.Progress;
import dev.spool.job.JobSpec;
import dev.spool.job.SpoolError;
import dev.spool.protocol.WorkerMessages;
import dev.spool.run.LadderRun;
import dev.spool.run.RunSummary;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Runs one assigned job with the single-machine pipeline (probe, one-process ladder, verify,
 * atomic commit into the job's output directory) and says how it ended, as seed 001's finalize.
 */
final class TaskRunner {
    private final FfmpegTools tools;

    TaskRunner(FfmpegTools tools) {
        this.tools = tools;
    }

    WorkerMessages.Finalize run(WorkerMessages.AssignedJob job, String workerId, Consumer<Progress> progress) {
        long start = System.nanoTime();
        try {
            JobSpec spec = job.spec();
            if (spec == null) throw SpoolError.invalid("spec", "is missing from the assignment (is the coordinator older than this worker?)");
            // the job owns its output directory: a re-run after a lost finalize replaces the earlier ladder
            LadderRun.Request request = new LadderRun.Request(Path.of(spec.input()), Path.of(spec.output()),
                    spec.encodeOptions(), true);
            RunSummary summary = new LadderRun(tools).run(request, new LadderRun.Listener() {
                @Override public void progress(Progress p) { progress.accept(p); }
            });
            String manifest = summary.master() != null ? summary.master() : summary.out();
            return new WorkerMessages.Finalize("COMPLETED", manifest, null, metrics(start), leaseId(job), workerId, null);
        } catch (SpoolError e) {
            return new WorkerMessages.Finalize("FAILED", null, e.getMessage(), metrics(start), leaseId(job), workerId, e.code().name());
        } catch (RuntimeException e) {
            return new WorkerMessages.Finalize("FAILED", null, "worker error: " + e, metrics(start), leaseId(job), workerId, "ENCODER");
        }
    }

    private static WorkerMessages.Metrics metrics(long start) {
        return new WorkerMessages.Metrics((System.nanoTime() - start) / 1_000_000);
    }

    private static String leaseId(WorkerMessages.AssignedJob job) {
        return job.lease() == null ? null : job.lease().leaseId();
    }
}
