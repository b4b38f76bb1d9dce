package dev.spool.cli.config;

import dev.spool.model.SpoolError;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which option each key of a config file sets. A key is a flag's name without its dashes, in snake
 * or kebab case ({@code worker_timeout}, {@code worker-timeout}), at the top of the file or under the
 * command's own section ({@code coordinator:} or {@code worker:}, so one file can serve both; the
 * other command's section is left to it). Seed 000's names for the coordinator's settings are taken
 * where they differ from Spool's flags: {@code bind_address} (host and port), {@code
 * health_check_interval}, {@code retry_policy.*}, {@code metrics_endpoint}. A key nothing reads is
 * an error naming it and its line: a typo must not be silently ignored.
 */
final class SeedKeys {
    private static final Set<String> SECTIONS = Set.of("coordinator", "worker");

    /** Seed 000's CoordinatorConfig names that are not Spool's flag names, to the flag they set. */
    private static final Map<String, String> SEED_NAMES = Map.of(
            "health_check_interval", "--heartbeat",
            "retry_policy.max_retries", "--max-retries",
            "retry_policy.retry_delay", "--retry-delay",
            "retry_policy.backoff_multiplier", "--backoff");

    private SeedKeys() {}

    static Map<OptionSpec, ConfigFile.Setting> settings(CommandSpec command, ConfigFile file) {
        Map<String, OptionSpec> keys = ConfigSources.keys(command);
        Map<OptionSpec, ConfigFile.Setting> out = new LinkedHashMap<>();
        for (ConfigFile.Setting s : file.settings().values()) {
            String key = s.key().replace('-', '_');
            int dot = key.indexOf('.');
            if (dot > 0 && SECTIONS.contains(key.substring(0, dot))) {
                if (!key.substring(0, dot).equals(command.name())) continue;   // the other command's section
                key = key.substring(dot + 1);
            }
            if (command.name().equals("coordinator") && key.equals("bind_address")) {
                bindAddress(command, file, s, out);
            } else if (command.name().equals("coordinator") && key.equals("metrics_endpoint")) {
                if (!s.values().equals(List.of("/metrics")))
                    throw wrong(file, s, "Spool serves its metrics at /metrics only, not '" + String.join(",", s.values()) + "'");
            } else if (command.name().equals("coordinator") && SEED_NAMES.containsKey(key)) {
                put(file, out, command.findOption(SEED_NAMES.get(key)), s);
            } else if (keys.containsKey(key)) {
                put(file, out, keys.get(key), s);
            } else {
                throw wrong(file, s, "'" + s.key() + "' is not a setting of spool " + command.name()
                        + " (its keys are its flags without the dashes, e.g. " + String.join(", ", keys.keySet().stream().limit(4).toList()) + ")");
            }
        }
        return out;
    }

    /** {@code bind_address: "0.0.0.0:8080"} (or {@code "[::]:8080"}) sets both --host and --port. */
    private static void bindAddress(CommandSpec command, ConfigFile file, ConfigFile.Setting s, Map<OptionSpec, ConfigFile.Setting> out) {
        String v = s.values().size() == 1 ? s.values().getFirst().strip() : "";
        int colon = v.lastIndexOf(':');
        String host = colon > 0 ? v.substring(0, colon) : "";
        String port = colon > 0 ? v.substring(colon + 1) : "";
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.isEmpty() || !port.matches("[0-9]{1,5}"))
            throw wrong(file, s, "bind_address must be HOST:PORT such as 0.0.0.0:8080, not '" + String.join(",", s.values()) + "'");
        put(file, out, command.findOption("--host"), new ConfigFile.Setting(s.key(), List.of(host), s.line()));
        put(file, out, command.findOption("--port"), new ConfigFile.Setting(s.key(), List.of(port), s.line()));
    }

    private static void put(ConfigFile file, Map<OptionSpec, ConfigFile.Setting> out, OptionSpec option, ConfigFile.Setting s) {
        ConfigFile.Setting before = out.put(option, s);
        if (before != null)
            throw wrong(file, s, "'" + s.key() + "' sets " + option.longestName() + ", which '" + before.key() + "' on line " + before.line() + " already set");
    }

    private static SpoolError wrong(ConfigFile file, ConfigFile.Setting s, String why) {
        return SpoolError.invalid(ConfigSources.CONFIG_FLAG, file.path() + " line " + s.line() + ": " + why);
    }
}
