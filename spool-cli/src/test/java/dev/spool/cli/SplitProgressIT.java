package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.model.protocol.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A split job's progress as a client sees it, across worker processes: every piece's frames count
 * while it encodes (not only when it is done), the job's percent only goes up, its rate and ETA are
 * its pieces' together, and once done it states what it produced (frames, duration, bytes).
 */
class SplitProgressIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
    private static final int FPS = 30;
    private static final int SECONDS = 36;

    @TempDir Path dir;
    private Cluster cluster;

    @BeforeEach
    void createCluster() throws Exception {
        cluster = new Cluster(dir);
    }

    @AfterEach
    void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void aSplitJobReportsItsPiecesProgressAsItGoesAndItsResultStatisticsAtTheEnd() throws Exception {
        cluster.startCoordinator("--heartbeat", "1");
        for (String id : List.of("w1", "w2")) cluster.startWorker(id, "--progress-interval", "0.2");
        Path source = TestMedia.get("split-progress-36s.mp4", SampleMedia.Spec.video(640, 360, FPS, SECONDS));
        Path out = dir.resolve("out");
        String id = cluster.submit(source, out, Map.of("piece_seconds", 12), "360p", "240p");
        Process wait = waitWithABar(id);

        List<Double> percents = new ArrayList<>();
        Set<Integer> seenMidway = new HashSet<>();
        boolean rated = false;
        JsonNode job = cluster.job(id);
        Instant deadline = Instant.now().plus(JOB_TIMEOUT);
        while (!ended(job)) {
            assertThat(Instant.now()).as(job.toPrettyString()).isBefore(deadline);
            if (Cluster.state(job, "RUNNING")) percents.add(job.path("progress").asDouble());
            for (JsonNode t : job.path("tasks")) {
                double p = t.path("progress").asDouble();
                if (t.path("kind").asText().equals("encode-video") && t.path("state").asText().equals("LEASED") && p > 0 && p < 100
                        && t.path("frames_done").asLong() > 0) seenMidway.add(t.path("piece").asInt());
            }
            rated |= job.path("speed").asDouble() > 0 && job.path("fps").asDouble() > 0 && job.path("eta_sec").asLong() >= 0;
            Thread.sleep(100);
            job = cluster.job(id);
        }

        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(percents).as("the job's percent never goes back").isSorted();
        assertThat(seenMidway).as("each piece's progress shows while it encodes, from its frames").containsExactlyInAnyOrder(0, 1, 2);
        assertThat(rated).as("a running split job has a rate and an ETA, its pieces' together").isTrue();
        assertThat(job.path("tasks")).extracting(t -> t.path("kind").asText() + (t.has("piece") ? " " + t.path("piece").asInt() : ""))
                .containsExactly("probe", "encode-video 0", "encode-video 1", "encode-video 2", "encode-audio", "package");

        JsonNode status = Wire.JSON.readTree(SpoolProcess.run("status", "--json", "--coordinator", cluster.url(), "--token",
                cluster.clientToken(), id).stdout());
        JsonNode result = status.path("result");
        assertThat(result.path("frames_encoded").asLong()).as(status.toPrettyString()).isEqualTo((long) FPS * SECONDS);
        assertThat(result.path("duration_seconds").asDouble()).isCloseTo(SECONDS, within(0.1));
        assertThat(result.path("output_size_bytes").asLong()).isEqualTo(bytesOf(out));

        assertThat(wait.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(wait.exitValue()).isZero();
        String summary = new String(wait.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(summary).contains("COMPLETED").contains("(" + FPS * SECONDS + " frames, 36.0 s, ");
        List<String> bars = List.of(Files.readString(dir.resolve("wait.err")).split("[\r\n]+"))
                .stream().filter(l -> l.startsWith("encode")).toList();
        assertThat(bars).as("spool wait's bar").anyMatch(l -> l.contains(" fps") && l.matches(".*\\d\\.\\d\\dx.*") && l.contains("eta "));
        assertThat(bars).noneMatch(l -> l.contains("?") || l.contains("0.00x") || l.contains(" 0.0 fps") || l.contains("-1"));
    }

    /** spool wait as on a terminal: the bar on stderr (into wait.err), the summary line on stdout. */
    private Process waitWithABar(String id) throws Exception {
        ProcessBuilder builder = SpoolProcess.builder("wait", "--coordinator", cluster.url(), "--token", cluster.clientToken(), id);
        builder.command().add(1, "-Dspool.stdout.tty=true");
        return builder.redirectError(dir.resolve("wait.err").toFile()).start();
    }

    private static boolean ended(JsonNode job) {
        return Cluster.state(job, "COMPLETED") || Cluster.state(job, "FAILED") || Cluster.state(job, "CANCELLED");
    }

    /** Every file of the ladder but Spool's markers (dot files), as spool fetch would download it. */
    private static long bytesOf(Path out) throws Exception {
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(Files::isRegularFile).filter(f -> !out.relativize(f).toString().startsWith("."))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
