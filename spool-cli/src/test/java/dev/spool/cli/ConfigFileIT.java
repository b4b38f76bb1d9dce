package dev.spool.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --config FILE} and {@code SPOOL_*} variables for the long-running commands, on real
 * processes: a typed flag beats the environment, which beats the file; seed 000's key names work; a
 * bad file or variable is answered with its key and line (or the variable's name), exit 2.
 */
class ConfigFileIT {
    @TempDir Path dir;

    @Test
    void theFileSetsWhatIsNotTypedTheEnvironmentBeatsItAndAFlagBeatsBoth() throws Exception {
        Path data = dir.resolve("state");
        Path file = write("spool.yaml", """
                # seed 000's names where it has them
                bind_address: "127.0.0.1:0"
                health_check_interval: 7
                worker_timeout: 45
                retry_policy:
                  max_retries: 5
                  retry_delay: 3
                  backoff_multiplier: 1.5
                metrics_endpoint: /metrics
                coordinator:
                  data: %s
                  rate-limit: "300:900"
                worker:
                  slots: 2
                """.formatted(data));
        CoordinatorProcess c = CoordinatorProcess.start(List.of("--config", file.toString(), "--heartbeat", "8"),
                Map.of("SPOOL_WORKER_TIMEOUT", "50", "SPOOL_MAX_RETRIES", ""));   // FOO= is unset: the file's 5 stands
        try {
            String listening = c.startup().getLast();
            assertThat(listening).as("the environment beats the file's worker_timeout; the typed --heartbeat beats health_check_interval")
                    .contains("worker_timeout 50 s, heartbeat 8 s")
                    .contains("max_retries 5, retry_delay 3 s x 1.5")
                    .contains(data.resolve("spool.db").toString())
                    .contains("300");
            assertThat(c.port()).isPositive();
            assertThat(Files.exists(data.resolve("spool.db"))).as("--data from the coordinator section").isTrue();
        } finally {
            c.process().destroy();
            c.process().waitFor();
        }
    }

    @Test
    void anUnknownKeyIsNamedWithItsLine() throws Exception {
        Path file = write("spool.yaml", "bind_address: 127.0.0.1:0\n\nworker_timout: 60\n");
        SpoolProcess.Result r = SpoolProcess.run("coordinator", "--config", file.toString(), "--data", dir.resolve("d").toString());
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderrLines()).singleElement().asString()
                .startsWith("spool: --config " + file + " line 3: 'worker_timout' is not a setting of spool coordinator");
    }

    @Test
    void aBadValueInTheFileNamesItsKeyAndLineNotAFlagNobodyTyped() throws Exception {
        Path file = write("spool.yaml", "coordinator:\n  port: lots\n");
        SpoolProcess.Result r = SpoolProcess.run("coordinator", "--config", file.toString(), "--data", dir.resolve("d").toString());
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderrLines().getFirst()).startsWith("spool: " + file + " line 2 (coordinator.port): ").contains("'lots'");
    }

    @Test
    void aValueSpoolItselfRefusesNamesTheKeyAndLineToo() throws Exception {
        Path file = write("worker.yaml", "worker:\n  coordinator: http://127.0.0.1:9\n  stall_timeout: 0\n");
        SpoolProcess.Result r = SpoolProcess.run("worker", "--config", file.toString(), "--token", "spool_w_x",
                "--cache", dir.resolve("cache").toString());
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderrLines()).singleElement().asString()
                .isEqualTo("spool: " + file + " line 3 (worker.stall_timeout): --stall-timeout must be 1..86400 seconds");
    }

    @Test
    void brokenYamlIsNamedWithItsLine() throws Exception {
        Path file = write("spool.yaml", "port: 8080\nretry_policy:\n  max_retries: [1\n");
        SpoolProcess.Result r = SpoolProcess.run("coordinator", "--config", file.toString());
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderrLines()).singleElement().asString().startsWith("spool: --config " + file + " line ");
        assertThat(r.stderr()).doesNotContain("Exception", "jackson");
    }

    @Test
    void aBadBooleanInTheEnvironmentNamesTheVariable() throws Exception {
        SpoolProcess.Result r = SpoolProcess.run(Map.of("SPOOL_REQUIRE_WORKER_CREDENTIALS", "yes please"),
                "coordinator", "--port", "0", "--data", dir.resolve("d").toString());
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderrLines()).singleElement().asString()
                .isEqualTo("spool: SPOOL_REQUIRE_WORKER_CREDENTIALS must be true or false, not 'yes please'");
    }

    @Test
    void aMissingFileIsSaid() throws Exception {
        SpoolProcess.Result r = SpoolProcess.run(Map.of("SPOOL_CONFIG", dir.resolve("nope.yaml").toString()), "worker");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderrLines()).singleElement().asString().isEqualTo("spool: --config '" + dir.resolve("nope.yaml") + "' does not exist");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
