package dev.spool.cli;

import dev.spool.coordinator.api.Coordinator;
import dev.spool.coordinator.api.CoordinatorConfig;
import dev.spool.coordinator.api.CoordinatorTls;
import dev.spool.coordinator.api.Limits;
import dev.spool.coordinator.queue.RetryPolicy;
import dev.spool.coordinator.webhooks.RetrySchedule;
import dev.spool.coordinator.webhooks.WebhookSettings;
import dev.spool.model.job.WebhookSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code spool coordinator}: the durable queue, the REST API and the worker protocol. */
@Command(name = "coordinator", defaultValueProvider = ConfigDefaults.class, mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the coordinator: job queue (SQLite in DIR, or PostgreSQL), REST API, worker protocol.")
final class CoordinatorCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    dev.spool.cli.config.ConfigFileOption config;

    @Option(names = "--port", description = "TCP port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS (only) on --port with this PEM certificate chain (certbot's fullchain.pem); reloaded when the file changes.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key of --tls-cert (certbot's privkey.pem).")
    Path tlsKey;

    @Option(names = "--data", defaultValue = "spool-data", paramLabel = "DIR", description = "State directory (spool.db, tokens). Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "PostgreSQL instead of SQLite, e.g. jdbc:postgresql://db:5432/spool?user=spool")
    String db;

    @Option(names = "--initial-token", paramLabel = "TOKEN", description = "At the first start (a database with no token yet), make this the admin client token instead of generating one: spool_c_ and 32 or more random characters, from a Secret (or SPOOL_INITIAL_TOKEN). Needs --initial-join-token.")
    String initialToken;

    @Option(names = "--initial-join-token", paramLabel = "TOKEN", description = "At the first start, the workers' join token (spool_j_...; or SPOOL_INITIAL_JOIN_TOKEN), with --initial-token. No tokens file is written then.")
    String initialJoinToken;

    @Option(names = "--worker-timeout", paramLabel = "SECONDS", description = "A worker silent this long loses its tasks. Default: ${DEFAULT-VALUE}.")
    int workerTimeout;

    @Option(names = "--heartbeat", paramLabel = "SECONDS", description = "Heartbeat interval asked of workers. Default: ${DEFAULT-VALUE}.")
    int heartbeat;

    @Option(names = "--max-retries", description = "Retries of a failed task. Default: ${DEFAULT-VALUE}.")
    int maxRetries;

    @Option(names = "--retry-delay", paramLabel = "SECONDS", description = "First retry delay. Default: ${DEFAULT-VALUE}.")
    int retryDelay;

    @Option(names = "--backoff", description = "Retry delay multiplier. Default: ${DEFAULT-VALUE}.")
    double backoff;

    @Option(names = "--task-timeout", paramLabel = "off|auto|SECONDS", description = "How long one attempt at a task may run before it is taken back and retried: auto = max(30 min, 20x the media it covers), a number of seconds for every task, or off. Default: ${DEFAULT-VALUE}.")
    String taskTimeout;

    @Option(names = "--webhook", paramLabel = "URL", description = "Tell this endpoint about every job (repeatable). Signed with --webhook-secret.")
    List<String> webhooks = new ArrayList<>();

    @Option(names = "--webhook-secret", paramLabel = "SECRET", description = "Signing secret of the --webhook endpoints (Standard Webhooks; whsec_... or any string); give it twice during a rotation. Default: $SPOOL_WEBHOOK_SECRET.")
    List<String> webhookSecrets = new ArrayList<>();

    @Option(names = "--webhook-events", paramLabel = "LIST", split = ",", description = "Which events the --webhook endpoints hear: queued,started,progress,completed,failed,cancelled,escalated. Default: all but progress.")
    List<String> webhookEvents;

    @Option(names = "--webhook-format", paramLabel = "json|discord|slack|ntfy", defaultValue = "json", description = "Body of the --webhook calls: seed 000's JSON, or a line of text for Discord, Slack or ntfy. Default: ${DEFAULT-VALUE}.")
    String webhookFormat;

    @Option(names = "--webhook-retries", paramLabel = "DELAYS", description = "Delays between attempts at a webhook, e.g. 5s,5m,30m,2h. Default: ${DEFAULT-VALUE}.")
    String webhookRetries;

    @Option(names = "--webhook-pause-after", paramLabel = "DELAY", description = "An endpoint whose every call fails this long (s, m, h, d) is paused until resumed (spool webhooks resume URL). Default: ${DEFAULT-VALUE}.")
    String webhookPauseAfter;

    @Option(names = "--allow-private-webhooks", description = "Let webhooks (the jobs' own too) call loopback and private addresses; link-local ones never.")
    boolean allowPrivateWebhooks;

    @Option(names = "--require-worker-credentials", description = "Refuse workers that have only the shared join token (seed-001 workers, protocol 1), so every lease is bound to a worker's own credential (or SPOOL_REQUIRE_WORKER_CREDENTIALS=true).")
    boolean requireWorkerCredentials;

    @Option(names = "--metrics-open", description = "Serve /metrics without a token (for a scraper on a trusted network); by default it takes a read token.")
    boolean metricsOpen;

    @Option(names = "--rate-limit", paramLabel = "RATE:BURST|off", description = "Requests per second per token, and the burst allowed at once; over it: 429 with Retry-After. Default: ${DEFAULT-VALUE}.")
    String rateLimit;

    @Option(names = "--rate-limit-bytes", paramLabel = "RATE:BURST|off", description = "Bytes per second per token (request bodies and uploads; K, M, G, T), and the burst. Default: ${DEFAULT-VALUE}.")
    String rateLimitBytes;

    @Option(names = "--rate-limit-bad-tokens", paramLabel = "RATE:BURST|off", description = "Requests per second per client address with a missing or unknown token, so guessing tokens is slow. Default: ${DEFAULT-VALUE}.")
    String rateLimitBadTokens;

    @Option(names = "--max-upload-bytes", paramLabel = "SIZE|off", description = "Largest file uploaded to the coordinator's storage (K, M, G, T). Default: ${DEFAULT-VALUE}.")
    String maxUploadBytes;

    @Option(names = "--serve-outputs", paramLabel = "DIR", description = "Serve completed jobs' local outputs under this directory to the dashboard's player (repeatable); spool:// outputs are served always, s3:// ones never.")
    List<java.nio.file.Path> serveOutputs = new java.util.ArrayList<>();

    @Option(names = "--min-workers", paramLabel = "N", description = "Autoscaling: the fewest workers each pool is asked for; 0 scales to zero (the first queued job asks for one). Default: ${DEFAULT-VALUE}.")
    int minWorkers;

    @Option(names = "--max-workers", paramLabel = "N", description = "Autoscaling: the most workers each pool is asked for. Default: ${DEFAULT-VALUE}.")
    int maxWorkers;

    @Option(names = "--scale-up-threshold", paramLabel = "RATIO", description = "Autoscaling: more workers are asked for only once this share of the slots is busy (or there are none). Default: ${DEFAULT-VALUE}.")
    double scaleUpThreshold;

    @Option(names = "--scale-down-threshold", paramLabel = "RATIO", description = "Autoscaling: fewer workers only while at most this share of the slots is busy. Default: ${DEFAULT-VALUE}.")
    double scaleDownThreshold;

    @Option(names = "--scale-cooldown", paramLabel = "DELAY", description = "Autoscaling: fewer workers only once the need has stayed lower this long (s, m, h) and this long after the last change. Default: ${DEFAULT-VALUE}.")
    String scaleCooldown;

    @Option(names = "--scale-horizon", paramLabel = "DELAY", description = "Autoscaling: ask for the workers that would encode the queued media within this time (s, m, h), at about realtime per slot. Default: ${DEFAULT-VALUE}.")
    String scaleHorizon;

    @Option(names = "--scale-exec", paramLabel = "ARG", description = "Run this program when a desired worker count changes, with the count as its last argument and SPOOL_DESIRED_WORKERS, SPOOL_POOL, SPOOL_DRAIN_WORKERS (the workers told to drain) in its environment. An argument list, not a shell: repeat the flag for each argument (the first is the program).")
    List<String> scaleExec = new ArrayList<>();

    @Option(names = "--scale-exec-timeout", paramLabel = "DELAY", description = "A --scale-exec run still going after this long (s, m, h) is killed. Default: ${DEFAULT-VALUE}.")
    String scaleExecTimeout;

    /** The autoscaling flags as typed; a bad value names its flag (exit 2). */
    CoordinatorConfig.Scaling scaling() {
        var policy = new dev.spool.coordinator.scale.ScalePolicy(minWorkers, maxWorkers, scaleUpThreshold, scaleDownThreshold,
                delay("--scale-cooldown", scaleCooldown, true), delay("--scale-horizon", scaleHorizon, false));
        if (!scaleExec.isEmpty()) new dev.spool.coordinator.scale.ScaleExec(scaleExec, delay("--scale-exec-timeout", scaleExecTimeout, false)).close();
        return new CoordinatorConfig.Scaling(policy, scaleExec, delay("--scale-exec-timeout", scaleExecTimeout, false));
    }

    /** One delay such as 30s or 5m (0 too where {@code zeroOk}), or the flag is named. */
    private static Duration delay(String flag, String text, boolean zeroOk) {
        if (zeroOk && text != null && text.strip().matches("0+[smhd]?")) return Duration.ZERO;
        List<Duration> delays = RetrySchedule.parse(flag, text).delays();
        if (delays.size() != 1) throw dev.spool.model.SpoolError.invalid(flag, "must be one delay such as 30s or 5m, not '" + text + "'");
        return delays.getFirst();
    }

    /** The --serve-outputs directories; one that is not a directory names the flag (exit 2). */
    static List<java.nio.file.Path> servedOutputs(List<java.nio.file.Path> dirs) {
        for (java.nio.file.Path dir : dirs)
            if (!java.nio.file.Files.isDirectory(dir))
                throw dev.spool.model.SpoolError.invalid("--serve-outputs", "'" + dir + "' is not a directory");
        return dirs;
    }

    /** The limits as typed; a bad value names its flag (exit 2). */
    Limits limits() {
        return new Limits(Limits.Rate.parse("--rate-limit", rateLimit, false), Limits.Rate.parse("--rate-limit-bytes", rateLimitBytes, true),
                Limits.Rate.parse("--rate-limit-bad-tokens", rateLimitBadTokens, false), Limits.parseSize("--max-upload-bytes", maxUploadBytes));
    }

    @Override
    public Integer call() throws InterruptedException {
        RetryPolicy retry = new RetryPolicy(maxRetries, Duration.ofSeconds(retryDelay), backoff);   // names the bad option
        CoordinatorTls tls = CoordinatorTls.of(tlsCert, tlsKey);
        Limits limits = limits();
        CoordinatorConfig config = new CoordinatorConfig(host, port, data, db, Duration.ofSeconds(workerTimeout),
                Duration.ofSeconds(heartbeat), retry, Duration.ofSeconds(1), dev.spool.coordinator.schedule.TaskTimeout.parse(taskTimeout), tls)
                .withWebhooks(webhookSettings())
                .withRequireWorkerCredentials(requireWorkerCredentials)
                .withLimits(limits)
                .withOpenMetrics(metricsOpen)
                .withServeOutputs(servedOutputs(serveOutputs))
                .withScaling(scaling())
                .withInitialTokens(dev.spool.coordinator.api.InitialTokens.of(initialToken, initialJoinToken));
        if (tls == null && !CoordinatorTls.loopback(host)) System.err.println("spool: warning: " + CoordinatorTls.CLEAR_TEXT_WARNING);
        Coordinator coordinator = Coordinator.start(config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            coordinator.close();
            stopped.countDown();
        }, "spool-coordinator-stop"));
        System.out.println(ListeningLine.of(tls != null ? "https" : "http", host, coordinator.port(), config.describe()));
        if (coordinator.tokensFile() != null)
            System.out.println("tokens created (client and worker join), shown once in " + coordinator.tokensFile().toAbsolutePath());
        System.out.flush();
        stopped.await();
        return 0;
    }

    private WebhookSettings webhookSettings() {
        List<String> secrets = webhookSecrets;
        Set<String> events = Set.copyOf(webhookEvents == null ? WebhookSpec.DEFAULT_SUBSCRIPTION : webhookEvents);
        List<WebhookSettings.Subscription> subscriptions = new ArrayList<>();
        for (String url : webhooks) subscriptions.add(new WebhookSettings.Subscription(url, secrets, events, webhookFormat));
        List<Duration> pause = RetrySchedule.parse("--webhook-pause-after", webhookPauseAfter).delays();
        if (pause.size() != 1) throw dev.spool.model.SpoolError.invalid("--webhook-pause-after", "must be one delay such as 24h, not '"
                + webhookPauseAfter + "'");
        return new WebhookSettings(subscriptions, RetrySchedule.parse(webhookRetries), allowPrivateWebhooks, pause.getFirst());
    }
}
