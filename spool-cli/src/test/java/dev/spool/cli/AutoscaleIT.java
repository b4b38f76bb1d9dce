package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale to zero and back with real processes: a coordinator with min 0, max 3 and a --scale-exec
 * script (written here) that starts local {@code spool worker} processes up to the desired count;
 * a scale-down drains the workers the coordinator names, and they exit by themselves. 20 queued
 * jobs raise the count to 3, the queue drains, the count falls to 0 after the cooldown, every
 * worker exits 0, and every task ran once. Prints the scaling timeline.
 */
class AutoscaleIT {
    private static final Duration COOLDOWN = Duration.ofSeconds(4);
    private static final Map<String, Object> WHOLE = Map.of("piece_seconds", 0);

    @TempDir Path dir;
    private Cluster cluster;
    private final List<String> timeline = new ArrayList<>();
    private long start;

    @AfterEach
    void stopCluster() throws Exception {
        if (cluster != null) {
            for (Path pid : pids()) killWorker(pid);
            cluster.close();
        }
    }

    @Test
    void twentyJobsScaleToThreeWorkersAndBackToZeroWithEveryWorkerDrainedAndEveryTaskRunOnce() throws Exception {
        cluster = new Cluster(dir);
        Files.createDirectories(dir.resolve("workers"));
        Path script = dir.resolve("scale.sh");
        // the coordinator runs it (an argument list): the join token and URL are its arguments, the count its last
        cluster.startCoordinator("--heartbeat", "1", "--min-workers", "0", "--max-workers", "3", "--scale-cooldown",
                COOLDOWN.toSeconds() + "s", "--scale-exec", script.toString(), "--scale-exec", dir.toString());
        Files.writeString(script, scaleScript());
        script.toFile().setExecutable(true);
        start = System.nanoTime();
        Poll.until(Duration.ofSeconds(10), "the empty queue wants none", () -> stats().path("desired_workers").asInt() == 0);
        sample();

        Path clip = TestMedia.small(1);
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) jobs.add(cluster.submit(clip, dir.resolve("out-" + i), WHOLE, "240p"));
        int[] most = {0};
        Poll.until(Duration.ofSeconds(100), Duration.ofMillis(500), "every job completes", () -> {
            JsonNode s = sample();
            most[0] = Math.max(most[0], s.path("desired_workers").asInt());
            return s.path("jobs").path("completed").asInt() == 20;
        }, done -> done);
        Poll.until(Duration.ofSeconds(60), Duration.ofMillis(500), "the count falls to 0 and every worker exits", () -> {
            JsonNode s = sample();
            return s.path("desired_workers").asInt() == 0 && running() == 0;
        }, done -> done);
        sample();
        System.out.println("scaling timeline (s since the coordinator listened; queued media s; desired; worker processes; workers online):\n"
                + String.join("\n", timeline));

        assertThat(most[0]).as(String.join("\n", timeline)).isEqualTo(3);
        List<Path> exits;
        try (Stream<Path> files = Files.list(dir.resolve("workers"))) {
            exits = files.filter(f -> f.toString().endsWith(".exit")).toList();
        }
        assertThat(exits).as("every worker started exited").hasSize(pids().size()).hasSizeGreaterThanOrEqualTo(3);
        for (Path exit : exits) {
            String id = exit.getFileName().toString().replace(".exit", "");
            assertThat(Files.readString(exit).strip()).as(id + ": " + cluster.log(id)).isEqualTo("0");
            assertThat(cluster.log(id)).contains("drain");
        }
        Set<String> tasks = new HashSet<>();
        for (String id : jobs) {
            JsonNode job = cluster.job(id);
            assertThat(job.path("state").asText()).isEqualTo("COMPLETED");
            for (JsonNode bar : job.path("timeline")) {
                assertThat(bar.path("outcome").asText()).as(job.toPrettyString()).isEqualTo("done");
                assertThat(bar.path("attempt").asInt()).as("run once: " + job.toPrettyString()).isEqualTo(1);
                assertThat(tasks.add(bar.path("task_id").asText())).as("one attempt per task").isTrue();
            }
            assertThat(job.path("tasks").size()).isEqualTo(job.path("timeline").size());
        }
        assertThat(cluster.client().call("GET", "/api/v1/workers", null, Cluster.CALL).path("workers")).as("all deregistered").isEmpty();
    }

    private JsonNode stats() {
        return cluster.client().call("GET", "/api/v1/stats", null, Cluster.CALL);
    }

    private JsonNode sample() throws Exception {
        JsonNode s = stats();
        String line = String.format("%6.1f  %7.1f  %d  %d  %d", (System.nanoTime() - start) / 1e9, s.path("queued_work_seconds").asDouble(),
                s.path("desired_workers").asInt(), running(), s.path("workers").path("online").asInt());
        if (timeline.isEmpty() || !timeline.getLast().substring(6).equals(line.substring(6))) timeline.add(line);
        return s;
    }

    /** Worker processes the script started that have not exited. */
    private int running() throws Exception {
        int n = 0;
        for (Path pid : pids()) if (!Files.exists(Path.of(pid.toString().replace(".pid", ".exit")))) n++;
        return n;
    }

    private List<Path> pids() throws Exception {
        if (!Files.isDirectory(dir.resolve("workers"))) return List.of();
        try (Stream<Path> files = Files.list(dir.resolve("workers"))) {
            return files.filter(f -> f.toString().endsWith(".pid")).toList();
        }
    }

    private static void killWorker(Path pid) throws Exception {
        long id = Long.parseLong(Files.readString(pid).strip());
        ProcessHandle.of(id).ifPresent(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    /** Starts workers until as many run as asked, not counting those told to drain (they leave by themselves). */
    private String scaleScript() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return """
                #!/bin/sh
                dir="$1"; desired="$2"
                w="$dir/workers"
                for id in $(echo "$SPOOL_DRAIN_WORKERS" | tr ',' ' '); do touch "$w/$id.draining"; done
                running=0
                for f in "$w"/*.pid; do
                  [ -e "$f" ] || continue
                  id=$(basename "$f" .pid)
                  [ -e "$w/$id.exit" ] || [ -e "$w/$id.draining" ] || running=$((running + 1))
                done
                n=$(cat "$w/next" 2>/dev/null || echo 0)
                while [ "$running" -lt "$desired" ]; do
                  n=$((n + 1)); id="w-$n"
                  ( "%s" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "%s" worker --coordinator "%s" --id "$id" --token "%s" \\
                      --cache "$dir/cache-$id" > "$dir/$id.log" 2>&1; echo $? > "$w/$id.exit" ) < /dev/null &
                  echo $! > "$w/$id.pid"
                  running=$((running + 1))
                done
                echo "$n" > "$w/next"
                echo "asked $desired, started up to w-$n, draining: ${SPOOL_DRAIN_WORKERS:-none}"
                """.formatted(java, SpoolProcess.JAR.toAbsolutePath(), cluster.url(), cluster.joinToken());
    }
}
