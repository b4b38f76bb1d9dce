package dev.spool.cli.chaos;

import dev.spool.model.protocol.Api;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.model.job.HlsSettings;
import dev.spool.model.job.JobSpec;
import dev.spool.model.job.Priority;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One campaign: make the clips, start the cluster, submit the jobs in their waves, inject each
 * fault in turn, wait until every job has ended (or the deadline), then collect the facts and audit.
 */
final class Campaign {
    /** How long a mid-task coordinator kill waits for a task to be mid-way before it kills anyway. */
    static final Duration MID_TASK_WAIT = Duration.ofSeconds(30);

    /** The campaign's inputs, checked by the command. */
    record Settings(long seed, int workers, int jobs, int faults, int longestClip, Duration timeout, Duration workerTimeout) {}

    /** What the command reports. */
    record Outcome(AuditReport audit, List<FaultRecord> faults, List<JobFacts> jobs, List<String> notes, long elapsedMs) {}

    private final Settings settings;
    private final Path dir;
    private final FfmpegTools tools;
    private final Narration say;
    private final long startNanos = System.nanoTime();
    private final Instant deadline;
    private final Map<String, ChaosJob> submitted = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    Campaign(Settings settings, Path dir, FfmpegTools tools, Narration say) {
        this.settings = settings;
        this.dir = dir;
        this.tools = tools;
        this.say = say;
        this.deadline = Instant.now().plus(settings.timeout());
    }

    long now() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    Outcome run(ChaosCluster cluster) {
        JobMix mix = JobMix.of(settings.seed(), settings.jobs(), settings.faults(), settings.longestClip());
        FaultPlan plan = FaultPlan.of(settings.seed(), settings.faults(), settings.workers(), cluster.coordinatorCount(),
                settings.workerTimeout());
        makeClips(mix);
        for (int i = 0; i < cluster.coordinatorCount(); i++) cluster.startCoordinator(i);
        for (int i = 0; i < cluster.workerCount(); i++) cluster.startWorker(i);
        cluster.awaitWorkers(deadline);
        say.note(now(), cluster.coordinatorCount() + " coordinator(s) and " + cluster.workerCount() + " workers up");
        List<FaultRecord> faults = new ArrayList<>();
        try (Monitor monitor = new Monitor(cluster, this::now)) {
            monitor.start();
            Faults injector = new Faults(cluster, monitor, this::now, say, plan.faults().size(), this::describe);
            submit(cluster, monitor, mix.inWave(0));
            for (Fault f : plan.faults()) {
                if (!pause(Duration.ofMillis(f.gapMs()))) {
                    notes.add((plan.faults().size() - f.index()) + " of " + plan.faults().size() + " faults not run: --timeout reached");
                    break;
                }
                // a later wave goes in just before its fault, so the fault finds its work in flight
                if (f.index() > 0) submit(cluster, monitor, mix.inWave(f.index()));
                restartUnplannedExits(cluster);
                faults.add(injector.inject(f, deadline));
            }
            // jobs of waves never reached (timeout) are still submitted: each must be accounted for
            for (int k = 0; k < Math.max(1, plan.faults().size()); k++)
                submit(cluster, monitor, mix.inWave(k).stream().filter(j -> !submitted.containsValue(j)).toList());
            say.note(now(), "faults done; waiting for every job to end");
            while (!monitor.allEnded() && Instant.now().isBefore(deadline)) Pause.quietly(Duration.ofMillis(500));
            monitor.poll();
            List<JobFacts> facts = collect(cluster);
            return new Outcome(Audit.of(facts, faults, monitor.samples()), faults, facts, notes, now());
        }
    }

    /** Each job's end state from the coordinator and its output from the disk, verified against its clip. */
    private List<JobFacts> collect(ChaosCluster cluster) {
        say.note(now(), "auditing " + submitted.size() + " jobs");
        OutputCheck check = new OutputCheck(tools);
        List<JobFacts> facts = new ArrayList<>();
        for (Map.Entry<String, ChaosJob> e : submitted.entrySet()) {
            ChaosJob job = e.getValue();
            JsonNode view = cluster.call("GET", Api.job(e.getKey()), null);
            Path out = output(job);
            boolean present = OutputCheck.present(out);
            String state = view.path("state").asText();
            String problem = present && state.equals("COMPLETED") ? check.problem(out, clip(job)) : null;
            Boolean verified = present && state.equals("COMPLETED") ? problem == null : null;
            facts.add(new JobFacts(job.name(), e.getKey(), state, view.hasNonNull("error") ? view.path("error").asText() : null, job.split(), JobFacts.tasksOf(view), JobFacts.commitLease(view),
                    present, OutputCheck.markerLease(out), verified, problem));
        }
        return facts;
    }

    private void makeClips(JobMix mix) {
        Path media = dir.resolve("media");
        try {
            Files.createDirectories(media);
            Files.createDirectories(dir.resolve("out"));
        } catch (java.io.IOException e) {
            throw dev.spool.model.SpoolError.output(media.toString(), "cannot be created: " + e.getMessage());
        }
        for (ChaosJob j : mix.jobs()) {
            Path clip = media.resolve(j.clip());
            if (Files.exists(clip)) continue;
            SampleMedia.Spec spec = SampleMedia.Spec.video(320, 180, 30, j.seconds());
            SampleMedia.generate(tools, j.audio() ? spec : spec.audioChannels(0), clip);
        }
        say.note(now(), "made " + mix.jobs().stream().map(ChaosJob::clip).distinct().count() + " clips (320x180, "
                + mix.jobs().stream().mapToInt(ChaosJob::seconds).min().orElse(0) + "-"
                + mix.jobs().stream().mapToInt(ChaosJob::seconds).max().orElse(0) + " s) for " + mix.jobs().size() + " jobs, "
                + mix.jobs().stream().filter(ChaosJob::split).count() + " of them split into " + JobMix.PIECE_SECONDS + " s pieces");
    }

    private void submit(ChaosCluster cluster, Monitor monitor, List<ChaosJob> wave) {
        if (wave.isEmpty()) return;
        for (ChaosJob j : wave) {
            JobSpec spec = new JobSpec(clip(j).toString(), output(j).toString(), List.of(), new HlsSettings(null, JobMix.HLS_TIME),
                    null, null, Priority.NORMAL, Map.of("chaos_job", j.name()), null, "chaos-" + settings.seed() + "-" + j.name(),
                    j.split() ? JobMix.PIECE_SECONDS : 0, null, null, null);
            String id = cluster.call("POST", Api.JOBS, spec).path("job_id").asText();
            submitted.put(id, j);
            monitor.watch(id);
        }
        say.note(now(), "submitted " + wave.stream().map(j -> j.name() + " (" + j.seconds() + " s" + (j.audio() ? ", audio" : "")
                + (j.split() ? ", split" : "") + ")").reduce((a, b) -> a + ", " + b).orElse(""));
    }

    /** A worker that exited on its own (not by a fault) is noted and started again, so the campaign goes on. */
    private void restartUnplannedExits(ChaosCluster cluster) {
        for (int i = 0; i < cluster.workerCount(); i++) {
            Process w = cluster.worker(i);
            if (w.isAlive()) continue;
            String note = "worker " + ChaosCluster.workerName(i) + " exited by itself with " + w.exitValue() + " (see "
                    + cluster.log(ChaosCluster.workerName(i)) + "); restarted";
            notes.add(note);
            say.note(now(), note);
            cluster.startWorker(i);
        }
    }

    /** Sleeps, but not past the deadline; false when the deadline came first. */
    private boolean pause(Duration d) {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.compareTo(d) < 0) return false;
        Pause.quietly(d);
        return true;
    }

    private String describe(TaskSample s) {
        ChaosJob job = submitted.get(s.jobId());
        return s.describe(job == null ? s.jobId() : job.name()) + String.format(Locale.ROOT, " at %.0f%%", s.progress());
    }

    private Path clip(ChaosJob j) {
        return dir.resolve("media").resolve(j.clip());
    }

    private Path output(ChaosJob j) {
        return dir.resolve("out").resolve(j.name());
    }
}
