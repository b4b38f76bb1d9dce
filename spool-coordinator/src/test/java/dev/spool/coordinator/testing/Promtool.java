package dev.spool.coordinator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Prometheus's own promtool on an exposition ({@code promtool check metrics}), as the metrics tests
 * of coordinator and worker run it. {@code ./spool test} takes promtool out of Debian's prometheus
 * package and sets SPOOL_PROMTOOL.
 */
public final class Promtool {
    /**
     * seed 000 names this gauge; promtool's naming lint keeps "_count" for histograms and summaries.
     * The name is kept as the seed spells it; spool_workers{status} is the same count under Prometheus's rules.
     */
    public static final String SEED_NAME_LINT = "transcode_worker_count non-histogram and non-summary metrics should not have \"_count\" suffix";

    private Promtool() {}

    /**
     * What promtool says of a Prometheus text exposition, besides the seed name's lint: empty when it
     * parses and nothing else is found (promtool exits 1 on a parse error, 3 on lint findings).
     */
    public static String check(String exposition) throws IOException, InterruptedException {
        String tool = System.getenv("SPOOL_PROMTOOL");
        assertThat(tool).as("SPOOL_PROMTOOL (./spool test fetches promtool and sets it)").isNotBlank();
        Process p = new ProcessBuilder(tool, "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() == 0) return said;
        String others = said.lines().filter(l -> !l.strip().equals(SEED_NAME_LINT)).collect(Collectors.joining("\n"));
        return p.exitValue() == 3 && others.isEmpty() ? "" : "exit " + p.exitValue() + ": " + said;
    }
}
