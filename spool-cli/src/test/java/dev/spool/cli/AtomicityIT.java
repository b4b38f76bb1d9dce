package dev.spool.cli;

import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.model.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A run that is stopped leaves no output, no staging directory and no ffmpeg behind. */
class AtomicityIT {
    @TempDir Path dir;

    @Test
    void sigtermDuringTheEncodeLeavesNothingInOut() throws Exception {
        Path out = dir.resolve("out");
        Process run = startAndWaitForProgress(out);
        long pid = run.pid();
        List<ProcessHandle> children = run.descendants().toList();
        assertThat(children).as("ffmpeg is running").isNotEmpty();

        run.destroy();   // SIGTERM
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(out).doesNotExist();
        assertThat(siblingsOf(out)).isEmpty();
        waitUntil(() -> children.stream().noneMatch(ProcessHandle::isAlive), Duration.ofSeconds(10));
        assertThat(children).as("no ffmpeg outlives spool " + pid).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aStagingDirectoryLeftByAKilledRunIsRemovedByTheNextRun() throws Exception {
        Path out = dir.resolve("out");
        Process run = startAndWaitForProgress(out);
        List<ProcessHandle> children = run.descendants().toList();
        run.destroyForcibly();   // SIGKILL: no shutdown hook runs
        run.waitFor(30, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroyForcibly);   // the test stands in for the init system here
        assertThat(out).doesNotExist();
        assertThat(siblingsOf(out)).as("the killed run's staging directory is still there").isNotEmpty();

        SpoolProcess.Result next = SpoolProcess.run("run", TestMedia.small(1).toString(), out.toString());
        assertThat(next.exitCode()).as(next.stderr()).isZero();
        assertThat(siblingsOf(out)).isEmpty();
        assertThat(out.resolve("index.m3u8")).exists();
        Verified.output(out);
    }

    /** Starts a run on a clip long enough to be stopped mid-encode, and waits for its first progress line. */
    private static Process startAndWaitForProgress(Path out) throws Exception {
        Path source = TestMedia.get("long-360p.mp4", SampleMedia.Spec.video(640, 360, 30, 40));
        Process run = SpoolProcess.builder("run", source.toString(), out.toString(), "--json", "--preset", "slow")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(run.getInputStream()));
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.contains("\"event\":\"progress\"")) return run;
        }
        throw new AssertionError("spool exited before reporting progress (exit " + run.waitFor() + ")");
    }

    private static List<Path> siblingsOf(Path out) throws Exception {
        try (var list = Files.list(out.getParent())) {
            return list.filter(p -> p.getFileName().toString().contains(".spool-")).toList();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Poll.until(timeout, "the condition holds", condition);
    }
}
