package dev.spool.worker;

import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.ffmpeg.LiveStderr;
import dev.spool.model.protocol.LogTail;
import dev.spool.media.ffmpeg.Progress;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.WorkerMessages;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker's life: register, then sync forever: a long poll for work while a slot is free, a
 * heartbeat every interval while busy. Each task runs on its own thread and reports progress every
 * two seconds; a cancel from the coordinator, or a lost lease, stops it. {@link #drain()} (SIGTERM,
 * or the operator's "drain" in a sync reply) stops taking work, lets running tasks finish,
 * deregisters and returns; the operator's "pause" takes nothing until a reply no longer says it.
 */
public final class WorkerLoop {
    private static final System.Logger LOG = System.getLogger(WorkerLoop.class.getName());
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private final WorkerConfig config;
    private final CoordinatorLink link;
    private final WorkerStorage storage;
    private final TaskRunner runner;
    private final Sleeper sleeper;
    private final WorkerMetrics metrics;
    /** Running tasks by lease (a worker may run several pieces of one job). */
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    /** A task this worker runs: its job, its thread, and why it was stopped (null while nobody stopped it). */
    private record Running(String jobId, Thread thread, AtomicReference<WorkerMetrics.Outcome> stoppedAs) {}
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean draining;
    /** The operator paused this worker: it syncs, runs what it has, takes nothing new. */
    private volatile boolean paused;

    /**
     * The worker as {@code spool worker} runs it: its link, storage and task runner made from its
     * config; what it does is counted in {@code metrics} (served or not).
     */
    public static WorkerLoop of(WorkerConfig config, Capabilities capabilities, FfmpegTools tools, WorkerMetrics metrics) {
        CoordinatorLink link = new CoordinatorLink(config, capabilities);
        WorkerStorage storage = storageFor(config, link, metrics);
        return new WorkerLoop(config, link, storage, new TaskRunner(tools, storage, threadsPerTask(config)), Sleeper.REAL, metrics);
    }

    /** {@code storage}: the one {@code runner} reads and writes through; closed when the loop ends. */
    WorkerLoop(WorkerConfig config, CoordinatorLink link, WorkerStorage storage, TaskRunner runner, Sleeper sleeper,
               WorkerMetrics metrics) {
        this.config = config;
        this.link = link;
        this.storage = storage;
        this.runner = runner;
        this.sleeper = sleeper;
        this.metrics = metrics;
    }

    /** Where a worker's tasks find their files; {@code spool://} ones through the coordinator, with this worker's credential. */
    static WorkerStorage storageFor(WorkerConfig config, CoordinatorLink link, WorkerMetrics metrics) {
        return new WorkerStorage(new dev.spool.storage.LocalRoots(config.roots()), config.s3(), config.cacheDir(),
                config.cacheBytes(), config.allowPrivateUrls(),
                new dev.spool.storage.CoordinatorStore(config.coordinators(), link::token, dev.spool.storage.TransferRetry.DEFAULT),
                metrics);
    }

    /** K slots share the machine: each ffmpeg gets its share of the cores rather than all of them (0: ffmpeg's choice). */
    static int threadsPerTask(WorkerConfig config) {
        return config.slots() > 1 ? Math.max(1, Runtime.getRuntime().availableProcessors() / config.slots()) : 0;
    }

    /** Runs until drained; returns the process exit code. */
    public int run() throws InterruptedException {
        Duration backoff = Duration.ofSeconds(1);
        boolean registered = false;
        while (!draining) {
            try {
                link.register();
                registered = true;
                break;
            } catch (SpoolError e) {
                // a wrong join token will not fix itself, nor an id a live worker uses (409)
                if (e.code() == SpoolError.Code.INVALID || e.code() == SpoolError.Code.ENVIRONMENT
                        || e.code() == SpoolError.Code.UNAUTHORIZED || e.code() == SpoolError.Code.CONFLICT) throw e;
                LOG.log(System.Logger.Level.WARNING, "cannot register (" + e.getMessage() + "); retrying in " + backoff.toSeconds() + " s");
                sleeper.await(wake, backoff);
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
        }
        // stopped before it ever registered: nothing to hand back. Stopped just after, it must still
        // deregister (falling through the loop below), or its name would stay listed as a live worker.
        if (!registered) return 0;
        LOG.log(System.Logger.Level.INFO, "worker " + config.workerId() + " registered with " + link.coordinator());
        backoff = Duration.ofSeconds(1);
        while (!draining || !running.isEmpty()) {
            boolean free = !draining && !paused && running.size() < config.slots();
            try {
                WorkerMessages.SyncReply reply = link.sync(free ? "IDLE" : paused && running.isEmpty() ? "PAUSED" : "BUSY", currentJob(),
                        List.copyOf(running.keySet()), free ? config.longPoll() : Duration.ZERO, hardwareStats());
                backoff = Duration.ofSeconds(1);
                if (reply.cancel() != null) reply.cancel().forEach(this::stop);
                if (reply.stop() != null) reply.stop().forEach(key -> stopTask(key, WorkerMetrics.Outcome.LOST));   // taken back (over its time limit)
                obey(reply.control());   // the coordinator assigns a paused or draining worker nothing
                // the next sync follows at once and lists the new lease: the coordinator's acknowledgement
                if (reply.assignedJob() != null) start(reply.assignedJob());
                else if (!free) sleeper.await(wake, link.heartbeat());
            } catch (SpoolError e) {
                if (e.code() == SpoolError.Code.INTERRUPTED) throw new InterruptedException();
                LOG.log(System.Logger.Level.WARNING, "sync failed (" + e.getMessage() + "); retrying in " + backoff.toSeconds() + " s");
                sleeper.await(wake, backoff);
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
        }
        try {
            link.deregister();
        } catch (SpoolError e) {
            LOG.log(System.Logger.Level.WARNING, "could not deregister: " + e.getMessage());
        }
        storage.close();
        LOG.log(System.Logger.Level.INFO, "worker " + config.workerId() + " drained and left");
        return 0;
    }

    /**
     * The operator's word in a sync reply: "drain" drains this worker as SIGTERM does; "pause" keeps
     * it from taking work until a reply says nothing.
     */
    private void obey(String control) {
        if (WorkerMessages.SyncReply.DRAIN.equals(control)) {
            if (!draining) LOG.log(System.Logger.Level.INFO, "drained by the operator: finishing " + running.size()
                    + " running task(s), then leaving");
            draining = true;
            return;
        }
        boolean pause = WorkerMessages.SyncReply.PAUSE.equals(control);
        if (pause != paused) LOG.log(System.Logger.Level.INFO, pause ? "paused by the operator: taking no new work" : "resumed by the operator");
        paused = pause;
    }

    /** Stop taking work; running tasks finish, then {@link #run()} deregisters and returns. */
    public void drain() {
        draining = true;
        wake.release();
    }

    /** Stops every running task now (it is handed back when the worker deregisters). */
    public void abandonRunning() {
        running.values().forEach(r -> {
            r.stoppedAs().compareAndSet(null, WorkerMetrics.Outcome.LOST);   // handed back: this worker no longer holds it
            r.thread().interrupt();
        });
    }

    private void start(WorkerMessages.AssignedJob job) {
        // a Spool coordinator always grants a lease; without one (an old coordinator) the job is the key
        String key = job.lease() != null ? job.lease().leaseId() : job.jobId();
        Thread thread = Thread.ofVirtual().name("task-" + job.jobId() + "-" + job.kind()).unstarted(() -> execute(key, job));
        running.put(key, new Running(job.jobId(), thread, new AtomicReference<>()));
        metrics.taskStarted();
        thread.start();
    }

    private void execute(String key, WorkerMessages.AssignedJob job) {
        String jobId = job.jobId();
        String what = jobId + (job.split() != null && job.split().piece() != null ? " piece " + job.split().piece().index()
                : job.kind() != null ? " " + job.kind() : "");
        // the tail of this task's ffmpeg stderr, fed by ToolProcess's own reader, sent with progress and a failure
        LiveStderr live = LiveStderr.open(LogTail.MAX_LINES);
        ProgressReporter reporter = new ProgressReporter(key, jobId, job.lease() == null ? null : job.lease().leaseId(), encodes(job), live);
        long started = System.nanoTime();
        WorkerMetrics.Outcome ended = WorkerMetrics.Outcome.LOST;   // unless its result is delivered
        try {
            TaskRunner.Outcome outcome = runner.run(job, config.workerId(), reporter::report, reporter::note,
                    new CommitPermit(link, config.workerId(), job));
            WorkerMessages.Finalize result = outcome.report();
            if ("FAILED".equals(result.status())) result = result.withLogTail(LogTail.of(live.snapshot()));
            // a cancelled task was interrupted, but its stop must still be reported (that releases its lease);
            // only a worker that is leaving hands its stopped tasks back instead
            boolean stopped = Thread.interrupted();
            if (!(draining && stopped)) {
                boolean accepted = deliver(jobId, result).equals("COMPLETED");
                if (accepted) afterAccepted(what, outcome);
                ended = result.status().equals("COMPLETED") ? WorkerMetrics.Outcome.COMPLETED : WorkerMetrics.Outcome.FAILED;
                if (ended == WorkerMetrics.Outcome.COMPLETED) reporter.recordSpeed(job);
            }
            LOG.log(System.Logger.Level.INFO, what + " " + result.status()
                    + (result.errorMsg() != null ? ": " + result.errorMsg() : result.manifestUrl() != null ? ": " + result.manifestUrl() : ""));
        } catch (SpoolError e) {
            LOG.log(System.Logger.Level.WARNING, "the result of " + what + " was not accepted: " + e.getMessage());
        } catch (InterruptedException e) {
            LOG.log(System.Logger.Level.WARNING, "stopped before the result of " + what + " was delivered");
        } finally {
            live.close();
            Running task = running.remove(key);
            // a stopped task's ffmpeg reports FAILED; why it was stopped is the truer outcome
            WorkerMetrics.Outcome why = task == null ? null : task.stoppedAs().get();
            metrics.encodeStopped(key);
            metrics.taskEnded(kindLabel(job), why != null ? why : ended, (System.nanoTime() - started) / 1e9);
            wake.release();
        }
    }

    /** Whether the task runs an encode (its progress is an encoder's fps and speed; a package step only copies). */
    private static boolean encodes(WorkerMessages.AssignedJob job) {
        String kind = kindLabel(job);
        return kind.equals(dev.spool.model.job.TaskKind.TRANSCODE.wire()) || kind.equals(dev.spool.model.job.TaskKind.ENCODE_VIDEO.wire())
                || kind.equals(dev.spool.model.job.TaskKind.ENCODE_AUDIO.wire());
    }

    /** The task's kind as the wire names it, for a metric label (an assignment without one is a whole job). */
    private static String kindLabel(WorkerMessages.AssignedJob job) {
        if (job.kind() == null) return dev.spool.model.job.TaskKind.TRANSCODE.wire();
        try {
            return dev.spool.model.job.TaskKind.of(job.kind()).wire();
        } catch (SpoolError e) {
            return "unknown";   // a kind this worker does not run: one label, not one per string a coordinator sent
        }
    }

    /**
     * Delivers a result, retrying while the coordinator is unreachable (a restart, a network blip)
     * for as long as the lease would last: an encode's result is worth more than a few retries.
     */
    private String deliver(String jobId, WorkerMessages.Finalize result) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Duration backoff = Duration.ofSeconds(1);
        while (true) {
            try {
                return link.finalizeJob(jobId, result).path("state").asText("");
            } catch (SpoolError e) {
                if (!e.code().retryable() || System.nanoTime() > deadline) throw e;
                LOG.log(System.Logger.Level.WARNING, "could not deliver the result of " + jobId + " (" + e.getMessage()
                        + "); retrying in " + backoff.toSeconds() + " s");
                sleeper.sleep(backoff);
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
        }
    }

    /** What a task leaves to do once the coordinator has its result (a package step: delete the pieces). */
    private static void afterAccepted(String what, TaskRunner.Outcome outcome) {
        try {
            outcome.onAccepted().run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "clean-up after " + what + " failed: " + e.getMessage());
        }
    }

    /** Stops every task of a job (cancelled, or failed on another worker). */
    private void stop(String jobId) {
        running.forEach((key, task) -> {
            if (task.jobId().equals(jobId)) stopTask(key, WorkerMetrics.Outcome.CANCELLED);
        });
    }

    private void stopTask(String key, WorkerMetrics.Outcome why) {
        Running task = running.get(key);
        if (task != null) {
            LOG.log(System.Logger.Level.INFO, "stopping " + task.jobId() + " (lease " + key + ")");
            task.stoppedAs().compareAndSet(null, why);
            task.thread().interrupt();
        }
    }

    private String currentJob() {
        return running.values().stream().map(Running::jobId).findFirst().orElse(null);
    }

    /**
     * Sends progress at most every interval, and notes (transfer attempts) as they come; a refused
     * report (lost lease) stops the task.
     */
    private final class ProgressReporter {
        private final String key;
        private final String jobId;
        private final String leaseId;
        private final boolean encodes;
        private final LiveStderr live;
        private volatile Progress last = new Progress(0, 0, 0, -1, false);
        // a lock, not synchronized: a virtual thread blocked in an HTTP call inside synchronized pins its carrier (Java 21)
        private final java.util.concurrent.locks.ReentrantLock sending = new java.util.concurrent.locks.ReentrantLock();
        private long lastSent;

        ProgressReporter(String key, String jobId, String leaseId, boolean encodes, LiveStderr live) {
            this.key = key;
            this.live = live;
            this.encodes = encodes;
            this.jobId = jobId;
            this.leaseId = leaseId;
        }

        void report(Progress p) {
            last = p;
            if (encodes) metrics.encoding(key, p.fps());
            sending.lock();
            try {
                long now = System.nanoTime();
                if (now - lastSent < config.progressInterval().toNanos() && !p.done()) return;
                lastSent = now;
                send(p, List.of());
            } finally {
                sending.unlock();
            }
        }

        /** Notes come from any thread of the task (the parts of an upload), one at a time. */
        void note(String note) {
            LOG.log(System.Logger.Level.INFO, jobId + ": " + note);
            sending.lock();
            try {
                send(last, List.of(note));
            } finally {
                sending.unlock();
            }
        }

        /** A completed encode's speed: ffmpeg's last report, whose speed is the average over the run. */
        void recordSpeed(WorkerMessages.AssignedJob job) {
            if (!encodes || last.speed() <= 0 || job.spec() == null || job.spec().plan() == null) return;
            metrics.encodeSpeed(kindLabel(job), job.spec().plan().options().encoder(), last.speed());
        }

        private void send(Progress p, List<String> notes) {
            try {
                link.progress(jobId, leaseId, p, notes, LogTail.of(live.snapshot()));
            } catch (SpoolError e) {
                if (e.code() == SpoolError.Code.CONFLICT) {
                    LOG.log(System.Logger.Level.WARNING, "lost the lease on " + jobId + ": " + e.getMessage());
                    stopTask(key, WorkerMetrics.Outcome.LOST);
                }
            }
        }
    }

    private static WorkerMessages.HardwareStats hardwareStats() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            double cpu = Math.max(0, sun.getCpuLoad()) * 100;
            long total = sun.getTotalMemorySize();
            double ram = total > 0 ? 100.0 * (total - sun.getFreeMemorySize()) / total : 0;
            return new WorkerMessages.HardwareStats(Math.round(cpu * 10) / 10.0, Math.round(ram * 10) / 10.0, null);
        }
        return new WorkerMessages.HardwareStats(null, null, null);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
