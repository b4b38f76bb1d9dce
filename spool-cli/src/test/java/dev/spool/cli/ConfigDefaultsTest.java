package dev.spool.cli;

import dev.spool.coordinator.api.CoordinatorConfig;
import dev.spool.coordinator.api.Limits;
import dev.spool.coordinator.queue.RetryPolicy;
import dev.spool.model.encode.AudioEncoding;
import dev.spool.model.encode.EncodeOptions;
import dev.spool.model.encode.PiecePlan;
import dev.spool.worker.WorkerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The flags' defaults are the constants of what they configure, and help shows them. */
class ConfigDefaultsTest {
    @Test
    void everyDefaultNamesAFlagOfItsCommand() {
        CommandLine spool = new CommandLine(new Spool());
        for (String key : ConfigDefaults.DEFAULTS.keySet()) {
            String[] parts = key.split(" ");
            CommandLine command = spool.getSubcommands().get(parts[0]);
            assertThat(command).as(key).isNotNull();
            assertThat(command.getCommandSpec().findOption(parts[1])).as(key).isNotNull();
        }
    }

    @Test
    void aCoordinatorStartedWithoutFlagsGetsTheConfigDefaults() {
        CoordinatorCommand c = parse(new CoordinatorCommand());
        assertThat(c.port).isEqualTo(CoordinatorConfig.DEFAULT_PORT);
        assertThat(c.workerTimeout).isEqualTo(CoordinatorConfig.DEFAULT_WORKER_TIMEOUT.toSeconds());
        assertThat(c.heartbeat).isEqualTo(CoordinatorConfig.DEFAULT_HEARTBEAT.toSeconds());
        assertThat(c.maxRetries).isEqualTo(RetryPolicy.DEFAULT.maxRetries());
        assertThat(c.retryDelay).isEqualTo(RetryPolicy.DEFAULT.retryDelay().toSeconds());
        assertThat(c.backoff).isEqualTo(RetryPolicy.DEFAULT.multiplier());
        assertThat(c.taskTimeout).isEqualTo("auto");
        assertThat(c.rateLimit).isEqualTo("200:1000");
        assertThat(c.rateLimitBytes).isEqualTo("2G:4G");
        assertThat(c.rateLimitBadTokens).isEqualTo("2:20");
        assertThat(c.maxUploadBytes).isEqualTo("64G");
        assertThat(c.limits()).isEqualTo(Limits.DEFAULTS);
    }

    @Test
    void rateLimitFlagsTakeRateAndBurstOrOff() {
        Limits l = parse(new CoordinatorCommand(), "--rate-limit", "5:10", "--rate-limit-bytes", "1M:2M",
                "--rate-limit-bad-tokens", "off", "--max-upload-bytes", "off").limits();
        assertThat(l.requests()).isEqualTo(new Limits.Rate(5, 10));
        assertThat(l.bytes()).isEqualTo(new Limits.Rate(1 << 20, 2 << 20));
        assertThat(l.badTokens()).isNull();
        assertThat(l.maxUploadBytes()).isEqualTo(Limits.UNLIMITED);
    }

    @Test
    void aBadRateLimitNamesTheFlagTyped() {
        for (String[] bad : new String[][]{{"--rate-limit", "fast"}, {"--rate-limit", "10:5"}, {"--rate-limit", "0:5"},
                {"--rate-limit-bytes", "2X:4G"}, {"--rate-limit-bad-tokens", "2"}, {"--max-upload-bytes", "-1"}}) {
            CoordinatorCommand c = parse(new CoordinatorCommand(), bad);
            assertThatThrownBy(c::limits).as(String.join(" ", bad)).isInstanceOf(dev.spool.model.SpoolError.class)
                    .hasMessageStartingWith(bad[0] + " ").hasMessageNotContaining("Exception").hasMessageNotContaining("java.");
        }
    }

    @Test
    void runSubmitAndWorkerWithoutFlagsGetTheModelAndWorkerDefaults() {
        RunCommand run = parse(new RunCommand(), "in.mp4", "out");
        assertThat(run.codec).isEqualTo("h264");
        assertThat(run.hlsTime).isEqualTo(EncodeOptions.DEFAULT_HLS_TIME);
        assertThat(EncodeOptions.SegmentFormat.parse(run.segmentFormat)).isEqualTo(EncodeOptions.defaults().segmentFormat());
        assertThat(EncodeOptions.OutputFormat.parse(run.format)).isEqualTo(EncodeOptions.defaults().format());
        assertThat(run.audioCodec).isEqualTo("aac");
        assertThat(run.audioBitrate).isEqualTo(AudioEncoding.DEFAULT_KBPS + "k");
        assertThat(run.pieceSeconds).isEqualTo(PiecePlan.DEFAULT_PIECE_SECONDS);

        assertThat(parse(new SubmitCommand(), "in.mp4", "--output", "out").priority).isEqualTo("NORMAL");

        WorkerCommand worker = parse(new WorkerCommand());
        assertThat(worker.progressInterval).isEqualTo(WorkerConfig.DEFAULT_PROGRESS_INTERVAL.toSeconds());
        assertThat(worker.stallTimeout).isEqualTo(WorkerConfig.DEFAULT_STALL_TIMEOUT.toSeconds());
        assertThat(WorkerCommand.bytes(worker.cacheSize)).isEqualTo(WorkerConfig.DEFAULT_CACHE_BYTES);
        assertThat(worker.metricsPort).as("no metrics port unless asked").isNull();
        assertThat(worker.metricsHost).as("a worker opens no port to the world unasked").isEqualTo(dev.spool.worker.MetricsServer.DEFAULT_HOST);
    }

    @Test
    void helpShowsTheDefaults() {
        String help = new CommandLine(new CoordinatorCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(help).contains("TCP port. Default: " + CoordinatorConfig.DEFAULT_PORT + ".")
                .contains("Retry delay multiplier. Default: 2.0.");
    }

    @Test
    void aSizeIsWrittenInTheLargestUnitThatDividesIt() {
        assertThat(ConfigDefaults.size(50L << 30)).isEqualTo("50G");
        assertThat(ConfigDefaults.size(1536L << 20)).isEqualTo("1536M");
        assertThat(ConfigDefaults.size(3L << 40)).isEqualTo("3T");
    }

    private static <T> T parse(T command, String... args) {
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
