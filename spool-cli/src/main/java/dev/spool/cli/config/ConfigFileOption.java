package dev.spool.cli.config;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The {@code --config FILE} flag of the long-running commands. Its file is read before the command
 * line is parsed ({@link ConfigSources}); the flag is declared here so that picocli accepts it and
 * shows it in the help.
 */
public final class ConfigFileOption {
    @Option(names = ConfigSources.CONFIG_FLAG, paramLabel = "FILE", description = "Take every option not typed from this YAML file "
            + "(keys are the flags without dashes, e.g. worker_timeout: 60; seed 000's bind_address, health_check_interval, "
            + "retry_policy too), or from SPOOL_CONFIG. A SPOOL_* variable (SPOOL_WORKER_TIMEOUT) beats the file; a typed flag beats both.")
    Path file;
}
