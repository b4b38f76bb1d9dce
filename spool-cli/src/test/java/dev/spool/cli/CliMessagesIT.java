package dev.spool.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the CLI prints is in the user's words: the flag typed, the reason in English, whole sentences. */
class CliMessagesIT {
    @TempDir Path dir;

    @Test
    void aBadSegmentLengthInSpoolRunNamesTheFlagTyped() throws Exception {
        SpoolProcess.Result r = SpoolProcess.run("run", TestMedia.small(1).toString(), dir.resolve("out").toString(), "--hls-time", "0");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderrLines()).singleElement().asString()
                .isEqualTo("spool: --hls-time must be between 1 and 60 seconds, not 0");
    }

    @Test
    void aSegmentFormatTsWithAv1NamesTheFlagTyped() throws Exception {
        SpoolProcess.Result r = SpoolProcess.run("run", TestMedia.small(1).toString(), dir.resolve("out").toString(),
                "--codec", "av1", "--segment-format", "ts");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("--segment-format ts cannot carry AV1").doesNotContain("segment_format");
    }

    @Test
    void aBadSegmentLengthInSpoolSubmitNamesTheFlagTypedNotTheApiField() throws Exception {
        SpoolProcess.Result r = SpoolProcess.run("submit", "/media/film.mkv", "--output", "/media/out",
                "--hls-time", "0", "--coordinator", closedPortUrl(), "--token", "spool_c_x");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("spool: --hls-time must be between 1 and 60").doesNotContain("hls_time", "segment_time");
    }

    @Test
    void aBadRateLimitOnTheCoordinatorNamesTheFlagTyped() throws Exception {
        SpoolProcess.Result r = SpoolProcess.run("coordinator", "--port", "0", "--data", dir.resolve("data").toString(),
                "--rate-limit", "lots");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderrLines()).singleElement().asString()
                .isEqualTo("spool: --rate-limit must be RATE:BURST such as 200:1000, or off, not 'lots'");
    }

    @Test
    void aCoordinatorThatIsNotRunningIsSaidInWordsWithoutJavaNames() throws Exception {
        String url = closedPortUrl();
        SpoolProcess.Result r = SpoolProcess.run("status", "job_0123456789abcdef", "--coordinator", url, "--token", "spool_c_x");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(4);
        assertThat(r.stderrLines()).singleElement().asString()
                .startsWith("spool: cannot reach the coordinator at " + url + ": connection refused");
        assertThat(r.stderr()).doesNotContain("Exception", "java.");
    }

    @Test
    void theCommandListSaysWhatEachCommandDoesInAWholeSentence() throws Exception {
        SpoolProcess.Result r = SpoolProcess.run("--help");
        assertThat(r.exitCode()).isZero();
        List<String> summaries = new ArrayList<>();
        boolean inCommands = false;
        for (String line : r.stdout().lines().toList()) {
            if (line.startsWith("Commands:")) { inCommands = true; continue; }
            if (!inCommands) continue;
            if (line.isBlank()) break;
            if (line.matches("  \\S.*")) summaries.add(line.strip().replaceFirst("^\\S+\\s+", ""));
            else summaries.set(summaries.size() - 1, summaries.getLast() + " " + line.strip());
        }
        assertThat(summaries).hasSizeGreaterThan(10).allSatisfy(s -> assertThat(s).endsWith("."));
    }

    @Test
    void theReadmesLineLoadsTheTokensFileIntoAShell() throws Exception {
        try (Cluster cluster = new Cluster(dir)) {
            cluster.startCoordinator();
            // README: set -a; . spool-data/tokens; set +a   (the values travel as arguments, not as shell text)
            List<String> command = new ArrayList<>(List.of("bash", "-c",
                    "set -a; . \"$1\"; set +a; [ \"$SPOOL_JOIN_TOKEN\" = \"$2\" ] || exit 99; shift 2; exec \"$@\"", "bash",
                    dir.resolve("data/tokens").toString(), cluster.joinToken()));
            command.addAll(SpoolProcess.builder("jobs", "--coordinator", cluster.url()).command());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
        }
    }

    @Test
    void aGcsInputIsRefusedAtSubmitWithTheWayThroughGcssS3Endpoint() throws Exception {
        SpoolProcess.Result r = SpoolProcess.run("submit", "gs://media/film.mkv", "--output", "/media/out",
                "--coordinator", closedPortUrl(), "--token", "spool_c_x");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderrLines()).singleElement().asString()
                .startsWith("spool: input 'gs://media/film.mkv' is Google Cloud Storage")
                .contains("s3://media/film.mkv", "--s3-endpoint https://storage.googleapis.com", "HMAC");
    }

    @Test
    void aGcsOutputIsRefusedByTheApiNamingTheField() throws Exception {
        try (Cluster cluster = new Cluster(dir)) {
            cluster.startCoordinator();
            assertThatThrownBy(() -> cluster.submit("/media/film.mkv", "GS://media/out/film", java.util.Map.of(), "360p"))
                    .isInstanceOfSatisfying(dev.spool.model.SpoolError.class, e -> {
                        assertThat(e.code()).isEqualTo(dev.spool.model.SpoolError.Code.INVALID);
                        assertThat(e.field()).isEqualTo("output");
                        assertThat(e.getMessage()).contains("storage.googleapis.com");
                    });
        }
    }

    /** A loopback URL on which nothing listens: port 1 (tcpmux) is privileged, so no test can be serving it. */
    private static String closedPortUrl() {
        return "http://127.0.0.1:1";
    }
}
