package dev.spool.worker;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this worker does, for Prometheus: its tasks (how long, how they ended, how many run now),
 * the fps of its running encodes, how fast its encodes ran, the bytes it moved to and from each
 * kind of store and the time that took, and its input cache's hits. Always recorded (it costs a
 * few counters); served only when {@code --metrics-port} asks ({@link MetricsServer}). Labels are
 * small fixed sets: never a job id or a path, which would make a series per job.
 */
public final class WorkerMetrics {
    /** From a probe of a short clip to a feature film's ladder on a small machine. */
    private static final double[] TASK_SECONDS = {0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200};
    /** x realtime: a heavy preset on a small machine up to a fast one on a short rung. */
    private static final double[] SPEEDS = {0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128};

    /** How a task ended here: its result delivered, stopped by a cancel, or taken back (lease lost, over its time). */
    public enum Outcome { COMPLETED, FAILED, CANCELLED, LOST;
        String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** Where bytes moved: the coordinator's file store, an S3 store, an HTTP(S) input. */
    public enum Store { COORDINATOR, S3, HTTP;
        String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram taskDuration;
    private final Gauge tasksRunning;
    private final Histogram encodeSpeed;
    private final Counter transferBytes;
    private final Counter transferSeconds;
    private final Counter inputCache;
    /** The last fps each running encode reported, by task key; summed when scraped. */
    private final Map<String, Double> fps = new ConcurrentHashMap<>();

    public WorkerMetrics() {
        taskDuration = Histogram.builder().name("spool_worker_task_duration_seconds").unit(Unit.SECONDS)
                .help("Tasks this worker ran, from assignment to the end, by kind and outcome")
                .labelNames("kind", "outcome").classicUpperBounds(TASK_SECONDS).classicOnly().register(registry);
        tasksRunning = Gauge.builder().name("spool_worker_tasks_running").help("Tasks running on this worker now").register(registry);
        GaugeWithCallback.builder().name("spool_worker_ffmpeg_fps").help("Frames per second of this worker's running encodes, summed")
                .callback(cb -> cb.call(fps.values().stream().mapToDouble(Double::doubleValue).sum())).register(registry);
        encodeSpeed = Histogram.builder().name("spool_worker_encode_speed_ratio").unit(Unit.RATIO)
                .help("How fast completed encodes ran, in x realtime (media seconds per wall second), by task kind and encoder")
                .labelNames("kind", "encoder").classicUpperBounds(SPEEDS).classicOnly().register(registry);
        transferBytes = Counter.builder().name("spool_worker_transfer_bytes").unit(Unit.BYTES)
                .help("Bytes this worker moved to (out) and from (in) each kind of store").labelNames("store", "direction")
                .register(registry);
        transferSeconds = Counter.builder().name("spool_worker_transfer_seconds").unit(Unit.SECONDS)
                .help("Time this worker spent moving them, retries included: rate(bytes) / rate(seconds) is its transfer speed")
                .labelNames("store", "direction").register(registry);
        inputCache = Counter.builder().name("spool_worker_input_cache").help("Remote inputs a task asked for: in the cache (hit) or downloaded (miss)")
                .labelNames("result").register(registry);
        // every series a dashboard or an alert follows shows from the start, at 0
        inputCache.labelValues("hit");
        inputCache.labelValues("miss");
        for (Store s : Store.values()) for (String d : new String[] {"in", "out"}) {
            if (s == Store.HTTP && d.equals("out")) continue;   // an HTTP(S) location is only ever an input
            transferBytes.labelValues(s.label(), d);
            transferSeconds.labelValues(s.label(), d);
        }
        JvmMetrics.builder().register(registry);
    }

    public PrometheusRegistry registry() { return registry; }

    void taskStarted() { tasksRunning.inc(); }

    /** A task ended; {@code kind} is its wire name (transcode, probe, encode-video, encode-audio, package). */
    void taskEnded(String kind, Outcome outcome, double seconds) {
        tasksRunning.dec();
        taskDuration.labelValues(kind, outcome.label()).observe(seconds);
    }

    /** The latest progress of a running encode; {@link #encodeStopped} when it ends. */
    void encoding(String taskKey, double framesPerSecond) {
        if (framesPerSecond >= 0) fps.put(taskKey, framesPerSecond);
    }

    void encodeStopped(String taskKey) { fps.remove(taskKey); }

    /** A completed encode's speed (ffmpeg's final {@code speed=}, an average over the whole run). */
    void encodeSpeed(String kind, String encoder, double ratio) {
        if (ratio > 0) encodeSpeed.labelValues(kind, encoder).observe(ratio);
    }

    void transferred(Store store, boolean out, long bytes, double seconds) {
        String direction = out ? "out" : "in";
        if (bytes > 0) transferBytes.labelValues(store.label(), direction).inc(bytes);
        if (seconds > 0) transferSeconds.labelValues(store.label(), direction).inc(seconds);
    }

    void inputCache(boolean hit) { inputCache.labelValues(hit ? "hit" : "miss").inc(); }
}
