package dev.spool.worker;

import dev.spool.ffmpeg.FfmpegTools;
import dev.spool.ffmpeg.Progress;
import dev.spool.job.SpoolError;
import dev.spool.protocol.WorkerMessages;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The worker's life: register, then sync forever: a long poll for work while a slot is free, a
 * heartbeat every interval while busy. Each task runs on its own thread and reports progress every
 * two seconds; a cancel from the coordinator, or a lost lease, stops it. {@link #drain()} (SIGTERM)
 * stops taking work, lets running tasks finish, deregisters and returns.
 */
public final class WorkerLoop {
    private static final System.Logger LOG = System.getLogger(WorkerLoop.class.getName());
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private final WorkerConfig config;
    private final CoordinatorLink link;
    private final TaskRunner runner;
    private final Map<String, Thread> running = new ConcurrentHashMap<>();
    private final Map<String, String> leases = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean draining;

    public WorkerLoop(WorkerConfig config, Capabilities capabilities, FfmpegTools tools) {
        this.config = config;
        this.link = new CoordinatorLink(config, capabilities);
        this.runner = new TaskRunner(tools, new dev.spool.storage.LocalRoots(config.roots()));
    }

    /** Runs until drained; returns the process exit code. */
    public int run() throws InterruptedException {
        Duration backoff = Duration.ofSeconds(1);
        while (!draining) {
            try {
                link.register();
                break;
            } catch (SpoolError e) {
                if (e.code() == SpoolError.Code.INVALID || e.code() == SpoolError.Code.ENVIRONMENT
                        || e.code() == SpoolError.Code.UNAUTHORIZED) throw e;   // a wrong join token will not fix itself
                LOG.log(System.Logger.Level.WARNING, "cannot register (" + e.getMessage() + "); retrying in " + backoff.toSeconds() + " s");
                wake.tryAcquire(backoff.toMillis(), TimeUnit.MILLISECONDS);
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
        }
        if (draining) return 0;   // stopped before it ever registered: nothing to hand back
        LOG.log(System.Logger.Level.INFO, "worker " + config.workerId() + " registered with " + config.coordinatorUrl());
        backoff = Duration.ofSeconds(1);
        while (!draining || !running.isEmpty()) {
            boolean free = !draining && running.size() < config.slots();
            try {
                WorkerMessages.SyncReply reply = link.sync(free ? "IDLE" : "BUSY", currentJob(), List.copyOf(leases.values()),
                        free ? config.longPoll() : Duration.ZERO, hardwareStats());
                backoff = Duration.ofSeconds(1);
                if (reply.cancel() != null) reply.cancel().forEach(this::stop);
                if (reply.assignedJob() != null) start(reply.assignedJob());
                else if (!free) wake.tryAcquire(link.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
            } catch (SpoolError e) {
                if (e.code() == SpoolError.Code.INTERRUPTED) throw new InterruptedException();
                LOG.log(System.Logger.Level.WARNING, "sync failed (" + e.getMessage() + "); retrying in " + backoff.toSeconds() + " s");
                wake.tryAcquire(backoff.toMillis(), TimeUnit.MILLISECONDS);
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
        }
        try {
            link.deregister();
        } catch (SpoolError e) {
            LOG.log(System.Logger.Level.WARNING, "could not deregister: " + e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, "worker " + config.workerId() + " drained and left");
        return 0;
    }

    /** Stop taking work; running tasks finish, then {@link #run()} deregisters and returns. */
    public void drain() {
        draining = true;
        wake.release();
    }

    /** Stops every running task now (it is handed back when the worker deregisters). */
    public void abandonRunning() {
        running.values().forEach(Thread::interrupt);
    }

    private void start(WorkerMessages.AssignedJob job) {
        String jobId = job.jobId();
        if (job.lease() != null) leases.put(jobId, job.lease().leaseId());
        Thread thread = Thread.ofVirtual().name("task-" + jobId).unstarted(() -> execute(job));
        running.put(jobId, thread);
        thread.start();
    }

    private void execute(WorkerMessages.AssignedJob job) {
        String jobId = job.jobId();
        ProgressReporter reporter = new ProgressReporter(jobId, job.lease() == null ? null : job.lease().leaseId());
        try {
            WorkerMessages.Finalize result = runner.run(job, config.workerId(), reporter::report);
            if (!(draining && Thread.currentThread().isInterrupted())) deliver(jobId, result);
            LOG.log(System.Logger.Level.INFO, jobId + " " + result.status()
                    + (result.errorMsg() != null ? ": " + result.errorMsg() : ": " + result.manifestUrl()));
        } catch (SpoolError e) {
            LOG.log(System.Logger.Level.WARNING, "the result of " + jobId + " was not accepted: " + e.getMessage());
        } catch (InterruptedException e) {
            LOG.log(System.Logger.Level.WARNING, "stopped before the result of " + jobId + " was delivered");
        } finally {
            running.remove(jobId);
            leases.remove(jobId);
            wake.release();
        }
    }

    /**
     * Delivers a result, retrying while the coordinator is unreachable (a restart, a network blip)
     * for as long as the lease would last: an encode's result is worth more than a few retries.
     */
    private void deliver(String jobId, WorkerMessages.Finalize result) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Duration backoff = Duration.ofSeconds(1);
        while (true) {
            try {
                link.finalizeJob(jobId, result);
                return;
            } catch (SpoolError e) {
                if (!e.code().retryable() || System.nanoTime() > deadline) throw e;
                LOG.log(System.Logger.Level.WARNING, "could not deliver the result of " + jobId + " (" + e.getMessage()
                        + "); retrying in " + backoff.toSeconds() + " s");
                Thread.sleep(backoff.toMillis());
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
        }
    }

    private void stop(String jobId) {
        Thread t = running.get(jobId);
        if (t != null) {
            LOG.log(System.Logger.Level.INFO, "cancelling " + jobId);
            t.interrupt();
        }
    }

    private String currentJob() {
        return running.keySet().stream().findFirst().orElse(null);
    }

    /** Sends progress at most every interval; a refused report (lost lease) stops the task. */
    private final class ProgressReporter {
        private final String jobId;
        private final String leaseId;
        private long lastSent;

        ProgressReporter(String jobId, String leaseId) {
            this.jobId = jobId;
            this.leaseId = leaseId;
        }

        void report(Progress p) {
            long now = System.nanoTime();
            if (now - lastSent < config.progressInterval().toNanos() && !p.done()) return;
            lastSent = now;
            try {
                link.progress(jobId, leaseId, p.percent(), p.fps(), p.etaSec());
            } catch (SpoolError e) {
                if (e.code() == SpoolError.Code.CONFLICT) {
                    LOG.log(System.Logger.Level.WARNING, "lost the lease on " + jobId + ": " + e.getMessage());
                    stop(jobId);
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
