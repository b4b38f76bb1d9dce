package dev.spool.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class SystemdTest {
    private static final List<String> UNITS = List.of("spool-coordinator.service", "spool-worker.service");

    @Test
    void systemdAnalyzeVerifiesBothUnitsWithoutAWord(@TempDir Path dir) throws Exception {
        DeployFiles.Run run = analyze(dir, List.of("verify"), UNITS, Map.of());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).as("systemd-analyze verify's warnings").isBlank();
    }

    @Test
    void systemdAnalyzeNamesAMisspelledKeyAndABadValue(@TempDir Path dir) throws Exception {
        DeployFiles.Run run = analyze(dir, List.of("verify"), List.of("spool-worker.service"),
                Map.of("Restart=on-failure", "Restrat=on-failure", "ProtectSystem=strict", "ProtectSystem=strcit"));
        assertThat(run.output()).contains("Unknown key 'Restrat'", "strcit");
    }

    @Test
    void bothUnitsAreHardenedToALowExposure(@TempDir Path dir) throws Exception {
        for (String unit : UNITS) {
            // 2.5 on systemd's 0..10 scale ("OK"); a unit without the hardening scores about 9.6
            DeployFiles.Run run = analyze(dir, List.of("security", "--offline=true", "--threshold=25"), List.of(unit), Map.of());
            assertThat(run.exitCode()).as("%s: %s", unit, run.output()).isZero();
        }
    }

    @Test
    void eachUnitRunsAsItsOwnUserWithAReadOnlySystemAndRestartsOnFailure() {
        for (String name : UNITS) {
            Map<String, List<String>> service = unit(name).get("Service");
            assertThat(one(service, "User")).isEqualTo("spool");
            assertThat(one(service, "NoNewPrivileges")).isEqualTo("yes");
            assertThat(one(service, "ProtectSystem")).isEqualTo("strict");
            assertThat(one(service, "PrivateTmp")).isEqualTo("yes");
            assertThat(one(service, "Restart")).isEqualTo("on-failure");
            assertThat(one(service, "KillSignal")).isEqualTo("SIGTERM");
            assertThat(one(service, "ExecStart")).contains("-jar /opt/spool/spool.jar " + name.replace("spool-", "").replace(".service", ""));
            assertThat(one(unit(name).get("Install"), "WantedBy")).isEqualTo("multi-user.target");
        }
        Map<String, List<String>> coordinator = unit("spool-coordinator.service").get("Service");
        assertThat(one(coordinator, "ReadWritePaths")).isEqualTo("/var/lib/spool");
        assertThat(one(coordinator, "ExecStart")).contains("--data /var/lib/spool");
    }

    @Test
    void theWorkerMayWriteItsCacheAndMediaAndIsGivenTheTimeToDrain() {
        Map<String, List<String>> worker = unit("spool-worker.service").get("Service");
        assertThat(one(worker, "ReadWritePaths").split("\\s+")).contains("/var/cache/spool", "/srv/media");
        assertThat(one(worker, "Environment")).isEqualTo("XDG_CACHE_HOME=/var/cache/spool");
        // only the JVM gets SIGTERM, so its ffmpeg runs on while it drains
        assertThat(one(worker, "KillMode")).isEqualTo("mixed");
        assertThat(timespan(one(worker, "TimeoutStopSec"))).isGreaterThanOrEqualTo(Duration.ofMinutes(30));
        assertThat(DeployFiles.text(DeployFiles.file("systemd/spool.env.example"))).contains("SPOOL_MEDIA=/srv/media");
    }

    @Test
    void everyVariableTheUnitsReadIsInTheEnvExample() {
        String example = DeployFiles.text(DeployFiles.file("systemd/spool.env.example"));
        Set<String> variables = new TreeSet<>();
        for (String name : UNITS) {
            var matcher = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*)").matcher(one(unit(name).get("Service"), "ExecStart"));
            while (matcher.find()) variables.add(matcher.group(1));
        }
        assertThat(variables).contains("SPOOL_COORDINATOR_ARGS", "SPOOL_WORKER_ARGS", "SPOOL_MEDIA");
        for (String variable : variables)
            assertThat(Pattern.compile("(?m)^" + variable + "=").matcher(example).find()).as("spool.env.example sets %s", variable).isTrue();
        assertThat(example).contains("SPOOL_COORDINATOR=", "SPOOL_JOIN_TOKEN=");
    }

    /** The unit's sections, each key's values in order ([Section] / Key=value; # and ; comments). */
    static Map<String, Map<String, List<String>>> unit(String name) {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        for (String raw : DeployFiles.text(DeployFiles.file("systemd/" + name)).lines().toList()) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), s -> new LinkedHashMap<>());
            } else {
                int eq = line.indexOf('=');
                if (current == null || eq < 0) throw new IllegalArgumentException(name + ": not a unit line: " + line);
                current.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
            }
        }
        return sections;
    }

    private static String one(Map<String, List<String>> section, String key) {
        assertThat(section).as("has %s", key).containsKey(key);
        assertThat(section.get(key)).as("%s once", key).hasSize(1);
        return section.get(key).getFirst();
    }

    /** systemd's time spans: 31min, 90s, 1h 30min, or plain seconds. */
    static Duration timespan(String text) {
        if (text.matches("\\d+")) return Duration.ofSeconds(Long.parseLong(text));
        var matcher = Pattern.compile("(\\d+)\\s*(min|ms|h|s)").matcher(text);
        Duration total = Duration.ZERO;
        while (matcher.find()) {
            long n = Long.parseLong(matcher.group(1));
            total = total.plus(switch (matcher.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "min" -> Duration.ofMinutes(n);
                case "ms" -> Duration.ofMillis(n);
                default -> Duration.ofSeconds(n);
            });
        }
        return total;
    }

    /**
     * systemd-analyze on copies of the units in {@code dir}, with {@code edits} made to them. ExecStart's
     * /usr/bin/java becomes this test's own java, so verify (which checks that the program exists)
     * reads the same on a machine whose java lives elsewhere.
     */
    private static DeployFiles.Run analyze(Path dir, List<String> verb, List<String> units, Map<String, String> edits) throws Exception {
        Path tool = DeployFiles.tool("SPOOL_SYSTEMD_ANALYZE", Path.of("/usr/bin/systemd-analyze"), Path.of("/bin/systemd-analyze"));
        if (tool == null)
            fail("systemd-analyze is missing: install systemd (sudo apt-get install -y systemd), or set SPOOL_SYSTEMD_ANALYZE to it");
        String java = ProcessHandle.current().info().command().orElse("/usr/bin/java");
        List<String> command = new ArrayList<>(List.of(tool.toString()));
        command.addAll(verb);
        for (String unit : units) {
            String text = DeployFiles.text(DeployFiles.file("systemd/" + unit)).replace("/usr/bin/java ", java + " ");
            for (Map.Entry<String, String> edit : edits.entrySet()) {
                assertThat(text).contains(edit.getKey());
                text = text.replace(edit.getKey(), edit.getValue());
            }
            Files.writeString(dir.resolve(unit), text);
            command.add("./" + unit);
        }
        return DeployFiles.run(command, dir);
    }
}
