package dev.spool.cli;

import dev.spool.coordinator.api.CoordinatorConfig;
import dev.spool.coordinator.api.Limits;
import dev.spool.coordinator.schedule.TaskTimeout;
import dev.spool.coordinator.queue.RetryPolicy;
import dev.spool.coordinator.webhooks.RetrySchedule;
import dev.spool.model.encode.AudioEncoding;
import dev.spool.model.encode.EncodeOptions;
import dev.spool.model.encode.PiecePlan;
import dev.spool.model.job.JobSpec;
import dev.spool.worker.WorkerConfig;
import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import static java.util.Map.entry;

/**
 * The flags' defaults, read from the constants of what they configure, so each default is
 * defined once: picocli's {@code defaultValue} takes only a compile-time string, which would
 * repeat "60" beside {@link CoordinatorConfig#DEFAULT_WORKER_TIMEOUT}. Keyed "COMMAND --flag";
 * a flag not listed keeps its own {@code defaultValue}. Shown in help as ${DEFAULT-VALUE}.
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            entry("coordinator --port", Integer.toString(CoordinatorConfig.DEFAULT_PORT)),
            entry("coordinator --worker-timeout", seconds(CoordinatorConfig.DEFAULT_WORKER_TIMEOUT)),
            entry("coordinator --heartbeat", seconds(CoordinatorConfig.DEFAULT_HEARTBEAT)),
            entry("coordinator --max-retries", Integer.toString(RetryPolicy.DEFAULT.maxRetries())),
            entry("coordinator --retry-delay", seconds(RetryPolicy.DEFAULT.retryDelay())),
            entry("coordinator --backoff", Double.toString(RetryPolicy.DEFAULT.multiplier())),
            entry("coordinator --task-timeout", TaskTimeout.DEFAULT.mode().name().toLowerCase(Locale.ROOT)),
            entry("coordinator --webhook-retries", RetrySchedule.DEFAULT.describe()),
            entry("coordinator --webhook-pause-after",
                    new RetrySchedule(java.util.List.of(dev.spool.coordinator.webhooks.WebhookSettings.DEFAULT_PAUSE_AFTER)).describe()),
            entry("coordinator --rate-limit", rate(Limits.DEFAULT_REQUESTS, false)),
            entry("coordinator --rate-limit-bytes", rate(Limits.DEFAULT_BYTES, true)),
            entry("coordinator --rate-limit-bad-tokens", rate(Limits.DEFAULT_BAD_TOKENS, false)),
            entry("coordinator --max-upload-bytes", size(Limits.DEFAULT_MAX_UPLOAD_BYTES)),
            entry("coordinator --min-workers", Integer.toString(dev.spool.coordinator.scale.ScalePolicy.DEFAULT_MIN_WORKERS)),
            entry("coordinator --max-workers", Integer.toString(dev.spool.coordinator.scale.ScalePolicy.DEFAULT_MAX_WORKERS)),
            entry("coordinator --scale-up-threshold", Double.toString(dev.spool.coordinator.scale.ScalePolicy.DEFAULT_SCALE_UP_THRESHOLD)),
            entry("coordinator --scale-down-threshold", Double.toString(dev.spool.coordinator.scale.ScalePolicy.DEFAULT_SCALE_DOWN_THRESHOLD)),
            entry("coordinator --scale-cooldown", new RetrySchedule(java.util.List.of(dev.spool.coordinator.scale.ScalePolicy.DEFAULT_COOLDOWN)).describe()),
            entry("coordinator --scale-horizon", new RetrySchedule(java.util.List.of(dev.spool.coordinator.scale.ScalePolicy.DEFAULT_HORIZON)).describe()),
            entry("coordinator --scale-exec-timeout", new RetrySchedule(java.util.List.of(dev.spool.coordinator.scale.ScaleExec.DEFAULT_TIMEOUT)).describe()),
            entry("run --codec", EncodeOptions.defaults().codec().id()),
            entry("run --hls-time", Integer.toString(EncodeOptions.DEFAULT_HLS_TIME)),
            entry("run --segment-format", EncodeOptions.defaults().segmentFormat().name().toLowerCase(Locale.ROOT)),
            entry("run --format", EncodeOptions.defaults().format().name().toLowerCase(Locale.ROOT)),
            entry("run --audio-codec", AudioEncoding.defaults().codec().id()),
            entry("run --audio-bitrate", AudioEncoding.DEFAULT_KBPS + "k"),
            entry("run --piece-seconds", Integer.toString(PiecePlan.DEFAULT_PIECE_SECONDS)),
            entry("submit --priority", JobSpec.DEFAULT_PRIORITY.name()),
            entry("worker --progress-interval", seconds(WorkerConfig.DEFAULT_PROGRESS_INTERVAL)),
            entry("worker --stall-timeout", seconds(WorkerConfig.DEFAULT_STALL_TIMEOUT)),
            entry("worker --cache-size", size(WorkerConfig.DEFAULT_CACHE_BYTES)),
            entry("worker --metrics-host", dev.spool.worker.MetricsServer.DEFAULT_HOST));

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        if (!(arg instanceof CommandLine.Model.OptionSpec option)) return null;
        return DEFAULTS.get(arg.command().name() + " " + option.longestName());
    }

    private static String rate(Limits.Rate rate, boolean sizes) {
        return sizes ? size(rate.perSecond()) + ":" + size(rate.burst()) : rate.perSecond() + ":" + rate.burst();
    }

    private static String seconds(Duration d) {
        return Long.toString(d.toSeconds());
    }

    /** In the largest of K, M, G, T that divides it, as {@code --cache-size} takes it. */
    static String size(long bytes) {
        String units = "KMGT";
        for (int i = units.length(); i >= 1; i--) {
            long unit = 1L << (10 * i);
            if (bytes % unit == 0) return bytes / unit + units.substring(i - 1, i);
        }
        return Long.toString(bytes);
    }
}
