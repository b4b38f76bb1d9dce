package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.protocol.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short {@code spool chaos} campaign, as a user runs it, on SQLite and on two coordinators over
 * PostgreSQL: three workers, four jobs of tiny clips (some split), three faults; every job must
 * complete and verify with nothing lost, stuck, doubled or committed by a refused lease.
 */
class ChaosIT {
    /** The campaign's own bound; the process gets a little more to print its audit. */
    private static final int CAMPAIGN_SECONDS = 600;

    @TempDir Path dir;

    @Test
    void aShortCampaignOnSqliteLosesNothing() throws Exception {
        assertClean(campaign("--seed", "11"), 1);
    }

    @Test
    void aShortCampaignOnTwoCoordinatorsOverPostgresLosesNothing() throws Exception {
        assertClean(campaign("--seed", "12", "--pg"), 2);
    }

    @Test
    void badValuesAreRefusedNamingTheFlag() throws Exception {
        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("something"), "not ours");
        for (String[] bad : List.of(new String[] {"--workers", "0"}, new String[] {"--faults", "-1"},
                new String[] {"--clip-seconds", "3"}, new String[] {"--dir", full.toString()})) {
            SpoolProcess.Result r = SpoolProcess.run("chaos", bad[0], bad[1]);
            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
            assertThat(r.stderrLines()).as(String.join(" ", bad)).singleElement().asString().startsWith("spool: " + bad[0]);
        }
    }

    private static void assertClean(Run run, int coordinators) {
        JsonNode s = run.summary();
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(s.path("ok").asBoolean()).as(run.output()).isTrue();
        assertThat(s.path("coordinators").asInt()).isEqualTo(coordinators);
        assertThat(s.path("jobs").asInt()).isEqualTo(4);
        assertThat(s.path("completed").asInt()).as(run.output()).isEqualTo(4);
        assertThat(s.path("verified").asInt()).as(run.output()).isEqualTo(4);
        assertThat(s.path("lost").asInt()).isZero();
        assertThat(s.path("stuck").asInt()).isZero();
        assertThat(s.path("duplicate_pieces").asInt()).isZero();
        assertThat(s.path("faults_run").asInt()).as(run.output()).isEqualTo(3);
        assertThat(s.path("refused_lease_outputs").isInt()).as(run.output()).isTrue();
        assertThat(s.path("refused_lease_outputs").asInt()).isZero();
        assertThat(run.faults()).as("each fault is reported as it happens").hasSize(3);
    }

    private Run campaign(String... extra) throws Exception {
        Path work = dir.resolve("campaign");
        List<String> args = new ArrayList<>(List.of("chaos", "--workers", "3", "--jobs", "4", "--faults", "3", "--clip-seconds", "6",
                "--timeout", Integer.toString(CAMPAIGN_SECONDS), "--dir", work.toString(), "--json"));
        args.addAll(List.of(extra));
        Path out = dir.resolve("chaos.out");
        Process p = SpoolProcess.builder(args.toArray(String[]::new)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(CAMPAIGN_SECONDS + 120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("spool chaos ran past its own --timeout:\n" + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** The campaign's exit code and what it printed: one JSON object per line (and stderr's lines). */
    private record Run(int exitCode, String output) {
        List<JsonNode> lines(String type) {
            List<JsonNode> found = new ArrayList<>();
            for (String line : output.lines().toList()) {
                if (!line.startsWith("{")) continue;
                try {
                    JsonNode json = Wire.JSON.readTree(line);
                    if (json.path("type").asText().equals(type)) found.add(json);
                } catch (java.io.IOException notJson) {
                    // a worker's or the JVM's line, not the campaign's
                }
            }
            return found;
        }

        JsonNode summary() {
            List<JsonNode> s = lines("summary");
            assertThat(s).as("one summary line in:\n" + output).hasSize(1);
            return s.getFirst();
        }

        List<JsonNode> faults() {
            return lines("fault");
        }
    }
}
