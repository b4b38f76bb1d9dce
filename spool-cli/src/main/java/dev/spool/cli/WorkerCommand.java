package dev.spool.cli;

import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.model.client.CoordinatorUrls;
import dev.spool.storage.S3Settings;
import dev.spool.model.protocol.Wire;
import dev.spool.worker.Capabilities;
import dev.spool.worker.CapabilityProbe;
import dev.spool.worker.WorkerConfig;
import dev.spool.worker.WorkerIdentity;
import dev.spool.worker.MetricsServer;
import dev.spool.worker.WorkerLoop;
import dev.spool.worker.WorkerMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code spool worker}: discovers what this machine can encode, then pulls and runs work. */
@Command(name = "worker", defaultValueProvider = ConfigDefaults.class, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a worker: discover CPU, RAM and working encoders, register with the coordinator, run jobs.",
                "SIGTERM drains: no new work, running jobs finish, the worker deregisters and exits 0.",
                "So does the operator's drain (POST /api/v1/workers/ID/drain); a pause takes no work until resumed."})
final class WorkerCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    dev.spool.cli.config.ConfigFileOption config;

    @Option(names = "--coordinator", paramLabel = "URL[,URL...]", description = "Coordinator URL (or SPOOL_COORDINATOR); several, comma-separated or repeated, for coordinators on one PostgreSQL: the worker moves to the next that answers, keeping its tasks.")
    List<String> coordinator;

    @Option(names = "--id", paramLabel = "NAME", description = "Worker name, unique in the cluster (default: the host name, HOST-2, HOST-3... for more workers on one host; kept across restarts).")
    String id;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Worker join token (or SPOOL_JOIN_TOKEN).")
    String token;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM certificate(s) to trust for an https:// coordinator: its private CA, or its self-signed certificate (or SPOOL_TLS_CA). Default: the system's trust store.")
    Path tlsCa;

    @Option(names = "--slots", defaultValue = "1", description = "Tasks run at once. Default: ${DEFAULT-VALUE}.")
    int slots;

    @Option(names = "--pools", split = ",", description = "Pools served (default: transcode).")
    List<String> pools;

    @Option(names = "--ffmpeg", paramLabel = "PATH", description = "ffmpeg to use instead of the bundled one.")
    Path ffmpeg;

    @Option(names = "--root", paramLabel = "DIR", description = "A directory jobs may read from and write to (repeatable; e.g. the NAS mount). Without one, any path this user can reach.")
    List<Path> roots = List.of();

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3-compatible endpoint for s3:// inputs and outputs (MinIO, Ceph...; default: AWS). Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE or ~/.aws.")
    java.net.URI s3Endpoint;

    @Option(names = "--s3-profile", paramLabel = "NAME", description = "Take S3 credentials from this profile of ~/.aws/credentials.")
    String s3Profile;

    @Option(names = "--s3-region", paramLabel = "REGION", description = "S3 region. Default: AWS_REGION, else us-east-1.")
    String s3Region;

    @Option(names = "--s3-path-style", description = "Address buckets as ENDPOINT/BUCKET (most self-hosted stores); on by default with --s3-endpoint.", negatable = true)
    Boolean s3PathStyle;

    @Option(names = "--allow-private-urls", description = "Let jobs' http(s) inputs point at loopback and private addresses (a media server on the LAN). Link-local (cloud metadata) addresses are refused regardless.")
    boolean allowPrivateUrls;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", description = "How often a running task reports progress. Default: ${DEFAULT-VALUE}.")
    double progressInterval;

    @Option(names = "--cache", paramLabel = "DIR", description = "The worker's own directory: downloaded inputs, scratch work, its saved credential (and its name, without --id). Default: ~/.cache/spool/worker-NAME.")
    Path cache;

    @Option(names = "--stall-timeout", paramLabel = "SECONDS", description = "An encode whose progress stands still this long is killed and its task retried. Default: ${DEFAULT-VALUE}.")
    long stallTimeout;

    @Option(names = "--cache-size", paramLabel = "SIZE", description = "Most bytes of downloaded inputs to keep (K, M, G, T). Default: ${DEFAULT-VALUE}.")
    String cacheSize;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Serve this worker's own metrics for Prometheus at GET /metrics on this port (0: any free port, printed at start). Default: off.")
    Integer metricsPort;

    @Option(names = "--metrics-host", paramLabel = "ADDRESS", description = "Address --metrics-port listens on; give 0.0.0.0 (or the LAN address) for a Prometheus on another machine. Default: ${DEFAULT-VALUE}.")
    String metricsHost;

    @Override
    public Integer call() throws Exception {
        CoordinatorUrls urls = CoordinatorUrls.parse(coordinator != null ? coordinator : List.of())
                .trusting(dev.spool.model.client.CoordinatorTrust.of(tlsCa));
        String joinToken = token;
        // the name and the state directory together, locked: two live workers on this host never share either
        WorkerIdentity.Claimed identity = WorkerIdentity.claim(id, cache, FfmpegTools.cacheRoot(), InetAddress.getLocalHost().getHostName());
        String name = identity.id();
        String region = s3Region != null ? s3Region : System.getenv("AWS_REGION");
        S3Settings s3 = new S3Settings(s3Endpoint, region, s3PathStyle != null ? s3PathStyle : s3Endpoint != null, null, null, s3Profile);
        Path cacheDir = identity.stateDir();
        if (stallTimeout < 1 || stallTimeout > 86_400) throw dev.spool.model.SpoolError.invalid("--stall-timeout", "must be 1..86400 seconds");
        WorkerConfig config = new WorkerConfig(urls, name, joinToken, slots, pools, ffmpeg,
                progressEvery(), WorkerConfig.DEFAULT_LONG_POLL, roots, s3, cacheDir, bytes(cacheSize),
                allowPrivateUrls, java.time.Duration.ofSeconds(stallTimeout));
        WorkerMetrics metrics = new WorkerMetrics();
        // options are checked before the capability probe, which test-encodes for a while; a taken
        // metrics port too, so a mistyped one fails at once rather than after the probe
        try (MetricsServer served = metricsPort == null ? null : MetricsServer.start(metricsHost, metricsPort, metrics.registry())) {
            if (served != null) System.out.println("worker " + name + " serving metrics on " + served.url());
            return work(config, name, metrics);
        }
    }

    private int work(WorkerConfig config, String name, WorkerMetrics metrics) throws Exception {
        FfmpegTools tools = FfmpegTools.locate(ffmpeg).withStallTimeout(config.stallTimeout());
        Capabilities capabilities = new CapabilityProbe().discover(tools);
        System.out.println("worker " + name + " capabilities: " + Wire.JSON.writeValueAsString(capabilities));
        if (roots.isEmpty())
            System.err.println("spool: warning: no --root given; jobs may read and write any path this user can (give the NAS mount with --root)");
        WorkerLoop loop = WorkerLoop.of(config, capabilities, tools, metrics);
        // SIGTERM and Ctrl-C drain instead of killing (handled here so the JVM does not start
        // shutting down); a second one stops the running jobs too, which go back to the queue
        java.util.concurrent.atomic.AtomicInteger signals = new java.util.concurrent.atomic.AtomicInteger();
        sun.misc.SignalHandler stop = s -> {
            if (signals.incrementAndGet() == 1) {
                System.err.println("spool: draining: no new work; running jobs finish (signal again to stop them now)");
                loop.drain();
            } else {
                loop.abandonRunning();
            }
        };
        Signal.handle(new Signal("TERM"), stop);
        Signal.handle(new Signal("INT"), stop);
        return loop.run();
    }

    private java.time.Duration progressEvery() {
        if (!(progressInterval >= 0.1 && progressInterval <= 60))
            throw dev.spool.model.SpoolError.invalid("--progress-interval", "must be between 0.1 and 60 seconds");
        return java.time.Duration.ofMillis(Math.round(progressInterval * 1000));
    }

    /** "50G", "512M", "1T", or plain bytes. */
    static long bytes(String size) {
        try {
            return dev.spool.model.ByteSize.parse(size);
        } catch (NumberFormatException e) {
            throw dev.spool.model.SpoolError.invalid("--cache-size", "must be a size such as 50G or 512M, not '" + size + "'");
        }
    }
}
