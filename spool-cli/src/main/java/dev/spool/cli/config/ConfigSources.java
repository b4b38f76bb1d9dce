package dev.spool.cli.config;

import dev.spool.model.SpoolError;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every option of {@code spool coordinator} and {@code spool worker} from three places, the first that
 * has it winning: the flag typed, a {@code SPOOL_*} environment variable, the {@code --config} file.
 * They are turned into flags placed before the typed ones, so a value from the environment or the
 * file goes through the very converters and checks a typed flag does, and a list from the file
 * (several {@code --root}) is a repeated flag; only what the user did not type is added, so typed
 * lists replace, never extend, the file's. {@link #origin} tells the error reporter where a bad value
 * came from, so the message names the file's key and line (or the variable) rather than a flag
 * nobody typed.
 */
public final class ConfigSources {
    public static final String CONFIG_FLAG = "--config";
    public static final String CONFIG_ENV = "SPOOL_CONFIG";

    /** Environment variables that predate the rule "SPOOL_ + the flag": kept, since people set them. */
    private static final Map<String, String> ENV_NAMES = Map.of(
            "worker --token", "SPOOL_JOIN_TOKEN",   // SPOOL_TOKEN is the client's token
            "worker --id", "SPOOL_WORKER_ID");

    private final Map<String, String> origins;
    private final List<String> args;

    private ConfigSources(List<String> args, Map<String, String> origins) {
        this.args = List.copyOf(args);
        this.origins = Map.copyOf(origins);
    }

    /** No file, no environment: the arguments as typed. */
    public static ConfigSources none(String[] args) {
        return new ConfigSources(List.of(args), Map.of());
    }

    /**
     * The arguments of {@code spool COMMAND ...} with what the environment and the config file set
     * added. {@code typed} starts with the command's name.
     */
    public static ConfigSources expand(CommandSpec command, String[] typed, Map<String, String> env) {
        List<String> after = List.of(typed).subList(1, typed.length);
        Set<OptionSpec> given = given(command, after);
        ConfigFile file = configFile(after, env);
        Map<OptionSpec, ConfigFile.Setting> fromFile = file == null ? Map.of() : SeedKeys.settings(command, file);
        List<String> added = new ArrayList<>();
        Map<String, String> origins = new HashMap<>();
        for (OptionSpec option : command.options()) {
            String flag = option.longestName();
            if (given.contains(option) || flag.equals(CONFIG_FLAG) || option.usageHelp() || option.versionHelp()) continue;
            String variable = envName(command.name(), flag);
            String fromEnv = env.get(variable);
            if (fromEnv != null && !fromEnv.isBlank()) {   // FOO= is unset, as Compose's ${FOO:-} writes it
                List<String> values = option.isMultiValue() ? List.of(fromEnv.split(",")) : List.of(fromEnv);
                added.addAll(flags(option, values, variable, ""));
                origins.put(flag, "environment variable " + variable);
            } else if (fromFile.containsKey(option)) {
                ConfigFile.Setting s = fromFile.get(option);
                String where = file.path() + " line " + s.line() + " (" + s.key() + ")";
                added.addAll(flags(option, s.values(), CONFIG_FLAG, where + ": "));
                origins.put(flag, where);
            }
        }
        List<String> all = new ArrayList<>();
        all.add(typed[0]);
        all.addAll(added);
        all.addAll(after);
        return new ConfigSources(all, origins);
    }

    public String[] args() {
        return args.toArray(String[]::new);
    }

    /** Where the value of this flag came from when it was not typed ("spool.yaml line 4 (worker_timeout)"), or null. */
    public String origin(String flag) {
        return origins.get(flag);
    }

    /** {@code SPOOL_} and the flag in upper snake case: {@code --worker-timeout} is {@code SPOOL_WORKER_TIMEOUT}. */
    public static String envName(String command, String flag) {
        String kept = ENV_NAMES.get(command + " " + flag);
        if (kept != null) return kept;
        return "SPOOL_" + flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static ConfigFile configFile(List<String> args, Map<String, String> env) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals(CONFIG_FLAG)) {
                if (i + 1 == args.size()) throw SpoolError.invalid(CONFIG_FLAG, "needs a file");
                return ConfigFile.read(Path.of(args.get(i + 1)));
            }
            if (a.startsWith(CONFIG_FLAG + "=")) return ConfigFile.read(Path.of(a.substring(CONFIG_FLAG.length() + 1)));
        }
        String fromEnv = env.get(CONFIG_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : ConfigFile.read(Path.of(fromEnv));
    }

    /** The options the user typed (a value that looks like a flag is taken for one: harmless, it only keeps a default out). */
    private static Set<OptionSpec> given(CommandSpec command, List<String> args) {
        Set<OptionSpec> given = new HashSet<>();
        for (String a : args) {
            if (!a.startsWith("--")) continue;
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            OptionSpec option = command.findOption(name);
            if (option == null && name.startsWith("--no-")) option = command.findOption("--" + name.substring(5));
            if (option != null) given.add(option);
        }
        return given;
    }

    /** The flags that set {@code values}: a boolean is the flag or its negation, a list a repeated flag. */
    private static List<String> flags(OptionSpec option, List<String> values, String field, String where) {
        String flag = option.longestName();
        if (option.arity().max() == 0) {
            String v = values.size() == 1 ? values.getFirst().strip().toLowerCase(Locale.ROOT) : "";
            return switch (v) {
                case "true", "yes", "on", "1" -> List.of(flag);
                case "false", "no", "off", "0" -> option.negatable() ? List.of("--no-" + flag.substring(2)) : List.of();
                default -> throw SpoolError.invalid(field, where + "must be true or false, not '" + String.join(",", values).strip() + "'");
            };
        }
        if (!option.isMultiValue() && values.size() != 1)
            throw SpoolError.invalid(field, where + "takes one value, not a list");
        List<String> out = new ArrayList<>();
        for (String v : values) out.add(flag + "=" + v);
        return out;
    }

    /** The file's keys of one command, in the order of the command's options (for the tests and the help). */
    static Map<String, OptionSpec> keys(CommandSpec command) {
        Map<String, OptionSpec> keys = new LinkedHashMap<>();
        for (OptionSpec option : command.options()) {
            String flag = option.longestName();
            if (flag.equals(CONFIG_FLAG) || option.usageHelp() || option.versionHelp()) continue;
            keys.put(flag.substring(2).replace('-', '_'), option);
        }
        return keys;
    }
}
