package dev.spool.cli.chaos;

import dev.spool.model.protocol.Api;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.SpoolError;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Watches the campaign's jobs through the API, every {@link #EVERY}, and keeps each change of a
 * task (state, worker, progress) as a {@link TaskSample}: what the recovery times are measured on.
 * While no coordinator answers nothing is sampled.
 */
final class Monitor implements AutoCloseable {
    static final Duration EVERY = Duration.ofMillis(500);
    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");

    private final ChaosCluster cluster;
    private final LongSupplier clock;
    private final List<String> jobs = new ArrayList<>();
    private final Set<String> ended = new HashSet<>();
    private final Map<String, TaskSample> latest = new HashMap<>();
    private final List<TaskSample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;

    /** {@code clock} gives the milliseconds since the campaign began. */
    Monitor(ChaosCluster cluster, LongSupplier clock) {
        this.cluster = cluster;
        this.clock = clock;
        this.thread = Thread.ofPlatform().daemon().name("chaos-monitor").unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    synchronized void watch(String jobId) {
        jobs.add(jobId);
    }

    /** Polls every job not yet seen ended once, now, and records what changed. */
    synchronized void poll() {
        for (String id : jobs) {
            if (ended.contains(id)) continue;
            JsonNode job = cluster.call("GET", Api.job(id), null);
            long at = clock.getAsLong();
            for (JsonNode t : job.path("tasks")) {
                TaskSample s = new TaskSample(at, id, t.path("task_id").asText(), t.path("kind").asText(),
                        t.hasNonNull("piece") ? t.path("piece").asInt() : null, t.path("state").asText(),
                        t.hasNonNull("worker") ? t.path("worker").asText() : null, t.path("progress").asDouble());
                TaskSample before = latest.get(s.taskId());
                if (before == null || !before.state().equals(s.state()) || !java.util.Objects.equals(before.worker(), s.worker())
                        || before.progress() != s.progress()) {
                    latest.put(s.taskId(), s);
                    samples.add(s);
                }
            }
            if (TERMINAL.contains(job.path("state").asText())) ended.add(id);
        }
    }

    /** The tasks leased right now (fresh from the coordinator), to a given worker or (null) to any. */
    synchronized List<TaskSample> leased(String worker) {
        poll();
        return latest.values().stream().filter(TaskSample::leased).filter(s -> worker == null || worker.equals(s.worker()))
                .sorted(java.util.Comparator.comparing(TaskSample::taskId)).toList();
    }

    synchronized boolean allEnded() {
        return ended.size() == jobs.size();
    }

    synchronized List<TaskSample> samples() {
        return List.copyOf(samples);
    }

    private void loop() {
        while (!stopping) {
            try {
                poll();
            } catch (SpoolError e) {
                // no coordinator answered for a while: the audit will show what that cost
            }
            try {
                Thread.sleep(EVERY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
