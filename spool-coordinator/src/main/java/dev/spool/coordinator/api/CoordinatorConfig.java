package dev.spool.coordinator.api;

import dev.spool.coordinator.schedule.TaskTimeout;
import dev.spool.coordinator.queue.RetryPolicy;
import dev.spool.coordinator.webhooks.WebhookSettings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a coordinator runs. Seed 000's names: worker_timeout (a worker silent this long loses its
 * tasks), the heartbeat interval it asks workers to keep, the retry policy, and task_timeout (how
 * long one attempt at a task may take before it is taken back). {@code requireWorkerCredentials}:
 * refuse workers that have only the shared join token (seed 001's), so every lease is bound to a
 * worker's own credential. {@code serveOutputs}: directories whose completed jobs' local outputs the
 * coordinator may serve to the dashboard's player (its {@code spool://} outputs it serves always).
 */
public record CoordinatorConfig(String host, int port, Path dataDir, String dbUrl, Duration workerTimeout,
                                Duration heartbeatInterval, RetryPolicy retry, Duration reaperInterval, TaskTimeout taskTimeout,
                                CoordinatorTls tls, WebhookSettings webhooks, boolean requireWorkerCredentials, Limits limits,
                                boolean openMetrics, java.util.List<Path> serveOutputs, Scaling scaling, InitialTokens initialTokens) {
    public static final int DEFAULT_PORT = 8080;
    public static final Duration DEFAULT_WORKER_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    /** The largest JSON body any route reads (a finalize's results); each route has its own, smaller or equal ({@link BodyLimit}). */
    public static final long MAX_BODY_BYTES = BodyLimit.LARGEST.bytes();
    /** A worker acknowledges an assignment within this (its next sync or progress names it), or it goes back. */
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(10);
    /** Every coordinator silent this long is an outage: no worker could be heard, leases get the grace. */
    public static final Duration OUTAGE_SILENCE = Duration.ofSeconds(5);

    public CoordinatorConfig {
        if (port < 0 || port > 65535) throw dev.spool.model.SpoolError.invalid("--port", "must be 0..65535");
        if (workerTimeout.compareTo(heartbeatInterval) <= 0)
            throw dev.spool.model.SpoolError.invalid("--worker-timeout", "must be longer than the heartbeat interval");
        taskTimeout = taskTimeout == null ? TaskTimeout.DEFAULT : taskTimeout;
        webhooks = webhooks == null ? WebhookSettings.DEFAULT : webhooks;
        limits = limits == null ? Limits.DEFAULTS : limits;
        serveOutputs = serveOutputs == null ? java.util.List.of()
                : serveOutputs.stream().map(d -> d.toAbsolutePath().normalize()).toList();
        scaling = scaling == null ? Scaling.DEFAULT : scaling;
    }

    /**
     * The autoscaling policy, and {@code --scale-exec}: the program run when a desired count changes
     * (empty: none; KEDA reads the count instead) and how long it may run.
     */
    public record Scaling(dev.spool.coordinator.scale.ScalePolicy policy, java.util.List<String> exec, Duration execTimeout) {
        public static final Scaling DEFAULT = new Scaling(dev.spool.coordinator.scale.ScalePolicy.DEFAULT, java.util.List.of(),
                dev.spool.coordinator.scale.ScaleExec.DEFAULT_TIMEOUT);

        public Scaling {
            policy = policy == null ? dev.spool.coordinator.scale.ScalePolicy.DEFAULT : policy;
            exec = exec == null ? java.util.List.of() : java.util.List.copyOf(exec);
            execTimeout = execTimeout == null ? dev.spool.coordinator.scale.ScaleExec.DEFAULT_TIMEOUT : execTimeout;
        }
    }

    public CoordinatorConfig(String host, int port, Path dataDir, String dbUrl, Duration workerTimeout,
                             Duration heartbeatInterval, RetryPolicy retry, Duration reaperInterval, TaskTimeout taskTimeout,
                             CoordinatorTls tls, WebhookSettings webhooks, boolean requireWorkerCredentials, Limits limits,
                             boolean openMetrics, java.util.List<Path> serveOutputs) {
        this(host, port, dataDir, dbUrl, workerTimeout, heartbeatInterval, retry, reaperInterval, taskTimeout, tls, webhooks,
                requireWorkerCredentials, limits, openMetrics, serveOutputs, null, null);
    }

    /** The same, with this autoscaling. */
    public CoordinatorConfig withScaling(Scaling scaling) {
        return new CoordinatorConfig(host, port, dataDir, dbUrl, workerTimeout, heartbeatInterval, retry, reaperInterval,
                taskTimeout, tls, webhooks, requireWorkerCredentials, limits, openMetrics, serveOutputs, scaling, initialTokens);
    }

    public CoordinatorConfig(String host, int port, Path dataDir, String dbUrl, Duration workerTimeout,
                             Duration heartbeatInterval, RetryPolicy retry, Duration reaperInterval, TaskTimeout taskTimeout,
                             CoordinatorTls tls, WebhookSettings webhooks, boolean requireWorkerCredentials, Limits limits,
                             boolean openMetrics) {
        this(host, port, dataDir, dbUrl, workerTimeout, heartbeatInterval, retry, reaperInterval, taskTimeout, tls, webhooks,
                requireWorkerCredentials, limits, openMetrics, null);
    }

    /** The same, installing these tokens at first start instead of generating them (--initial-token, --initial-join-token). */
    public CoordinatorConfig withInitialTokens(InitialTokens tokens) {
        return new CoordinatorConfig(host, port, dataDir, dbUrl, workerTimeout, heartbeatInterval, retry, reaperInterval,
                taskTimeout, tls, webhooks, requireWorkerCredentials, limits, openMetrics, serveOutputs, scaling, tokens);
    }

    /** The same, serving completed local outputs under these directories (--serve-outputs). */
    public CoordinatorConfig withServeOutputs(java.util.List<Path> dirs) {
        return new CoordinatorConfig(host, port, dataDir, dbUrl, workerTimeout, heartbeatInterval, retry, reaperInterval,
                taskTimeout, tls, webhooks, requireWorkerCredentials, limits, openMetrics, dirs, scaling, initialTokens);
    }

    /** No webhook subscriptions; join-token-only (seed-001) workers admitted; the default limits. */
    public CoordinatorConfig(String host, int port, Path dataDir, String dbUrl, Duration workerTimeout,
                             Duration heartbeatInterval, RetryPolicy retry, Duration reaperInterval, TaskTimeout taskTimeout,
                             CoordinatorTls tls) {
        this(host, port, dataDir, dbUrl, workerTimeout, heartbeatInterval, retry, reaperInterval, taskTimeout, tls, null, false, null, false);
    }

    /** The same settings with these webhook settings. */
    public CoordinatorConfig withWebhooks(WebhookSettings webhooks) {
        return new CoordinatorConfig(host, port, dataDir, dbUrl, workerTimeout, heartbeatInterval, retry, reaperInterval, taskTimeout,
                tls, webhooks, requireWorkerCredentials, limits, openMetrics, serveOutputs, scaling, initialTokens);
    }

    /** This configuration, refusing (or admitting) workers that have only the join token. */
    public CoordinatorConfig withRequireWorkerCredentials(boolean require) {
        return new CoordinatorConfig(host, port, dataDir, dbUrl, workerTimeout, heartbeatInterval, retry, reaperInterval, taskTimeout,
                tls, webhooks, require, limits, openMetrics, serveOutputs, scaling, initialTokens);
    }

    /** The same, with /metrics open to scrapers without a token (or behind a read token again). */
    public CoordinatorConfig withOpenMetrics(boolean open) {
        return new CoordinatorConfig(host, port, dataDir, dbUrl, workerTimeout, heartbeatInterval, retry, reaperInterval,
                taskTimeout, tls, webhooks, requireWorkerCredentials, limits, open, serveOutputs, scaling, initialTokens);
    }

    /** The same, with these rate and size limits. */
    public CoordinatorConfig withLimits(Limits limits) {
        return new CoordinatorConfig(host, port, dataDir, dbUrl, workerTimeout, heartbeatInterval, retry, reaperInterval,
                taskTimeout, tls, webhooks, requireWorkerCredentials, limits, openMetrics, serveOutputs, scaling, initialTokens);
    }

    /** Plain HTTP. */
    public CoordinatorConfig(String host, int port, Path dataDir, String dbUrl, Duration workerTimeout,
                             Duration heartbeatInterval, RetryPolicy retry, Duration reaperInterval, TaskTimeout taskTimeout) {
        this(host, port, dataDir, dbUrl, workerTimeout, heartbeatInterval, retry, reaperInterval, taskTimeout, (CoordinatorTls) null);
    }

    public CoordinatorConfig(String host, int port, Path dataDir, String dbUrl, Duration workerTimeout,
                             Duration heartbeatInterval, RetryPolicy retry, Duration reaperInterval) {
        this(host, port, dataDir, dbUrl, workerTimeout, heartbeatInterval, retry, reaperInterval, TaskTimeout.DEFAULT);
    }

    public static CoordinatorConfig defaults(Path dataDir) {
        return new CoordinatorConfig("0.0.0.0", DEFAULT_PORT, dataDir, null, DEFAULT_WORKER_TIMEOUT, DEFAULT_HEARTBEAT,
                RetryPolicy.DEFAULT, Duration.ofSeconds(1));
    }

    /**
     * The ack timeout: 10 s, or 1.5 heartbeat intervals if that is longer (a seed-001 worker may
     * acknowledge only with its next heartbeat), and at most the worker timeout (where the two meet,
     * the unacknowledged rule runs first: the attempt is not counted).
     */
    public Duration ackTimeout() {
        Duration ack = DEFAULT_ACK_TIMEOUT.compareTo(heartbeatInterval.multipliedBy(3).dividedBy(2)) >= 0
                ? DEFAULT_ACK_TIMEOUT : heartbeatInterval.multipliedBy(3).dividedBy(2);
        return ack.compareTo(workerTimeout) <= 0 ? ack : workerTimeout;
    }

    /** No coordinator beat for this long (at least three scheduler ticks) is an outage. */
    public Duration outageSilence() {
        Duration ticks = reaperInterval.multipliedBy(3);
        return ticks.compareTo(OUTAGE_SILENCE) >= 0 ? ticks : OUTAGE_SILENCE;
    }

    public String describe() {
        return "port " + port + (tls != null ? " (https)" : "") + ", store " + (dbUrl != null ? dbUrl.replaceAll("password=[^&]*", "password=***")
                : dataDir.resolve("spool.db")) + ", worker_timeout " + workerTimeout.toSeconds() + " s, heartbeat "
                + heartbeatInterval.toSeconds() + " s, max_retries " + retry.maxRetries() + ", retry_delay "
                + retry.retryDelay().toSeconds() + " s x " + retry.multiplier() + ", task_timeout " + taskTimeout.describe()
                + ", ack_timeout " + ackTimeout().toMillis() / 1000.0
                + " s, lease grace " + workerTimeout.toSeconds() + " s after " + outageSilence().toSeconds() + " s with no coordinator"
                + (webhooks.subscriptions().isEmpty() ? "" : ", webhooks to " + webhooks.subscriptions().size() + " endpoint"
                        + (webhooks.subscriptions().size() == 1 ? "" : "s"))
                + (requireWorkerCredentials ? ", worker credentials required (no join-token-only workers)" : "")
                + (openMetrics ? ", /metrics open without a token" : "")
                + (serveOutputs.isEmpty() ? "" : ", serving outputs under " + serveOutputs)
                + ", autoscaling " + scaling.policy().describe()
                + (scaling.exec().isEmpty() ? "" : ", --scale-exec " + String.join(" ", scaling.exec()))
                + ", " + limits.describe();
    }
}
