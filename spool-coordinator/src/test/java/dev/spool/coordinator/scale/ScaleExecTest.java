package dev.spool.coordinator.scale;

import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --scale-exec with real scripts: its arguments and environment, its exit code, and a hung one killed. */
class ScaleExecTest {
    @TempDir Path dir;

    @Test
    void theProgramGetsItsArgumentsTheCountLastAndTheDrainedWorkersInItsEnvironment() throws Exception {
        Path seen = dir.resolve("seen");
        Path script = script("printf '%s|' \"$@\" > \"" + seen + "\"; echo \"$SPOOL_POOL $SPOOL_DESIRED_WORKERS $SPOOL_PREVIOUS_WORKERS "
                + "$SPOOL_DRAIN_WORKERS\" >> \"" + seen + "\"; exit 3");
        try (ScaleExec exec = new ScaleExec(List.of(script.toString(), "a b", "--flag"), Duration.ofSeconds(20))) {
            assertThat(exec.run("transcode", 3, 1, List.of("w-1", "w-2"))).isEqualTo(3);
        }
        assertThat(Files.readString(seen)).isEqualTo("a b|--flag|1|transcode 1 3 w-1,w-2\n");
    }

    @Test
    void aHungProgramIsKilledAfterTheTimeout() throws Exception {
        Path script = script("exec sleep 60");
        try (ScaleExec exec = new ScaleExec(List.of(script.toString()), Duration.ofMillis(500))) {
            long start = System.nanoTime();
            assertThat(exec.run("transcode", 0, 1, List.of())).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aProgramThatLeavesAChildHoldingItsOutputDoesNotHoldTheCoordinator() throws Exception {
        Path script = script("sleep 30 & echo started");
        try (ScaleExec exec = new ScaleExec(List.of(script.toString()), Duration.ofSeconds(20))) {
            long start = System.nanoTime();
            assertThat(exec.run("transcode", 0, 1, List.of())).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void noProgramNamesTheFlag() {
        assertThatThrownBy(() -> new ScaleExec(List.of(), Duration.ofSeconds(1)))
                .isInstanceOf(SpoolError.class).hasFieldOrPropertyWithValue("field", "--scale-exec");
    }

    private Path script(String body) throws Exception {
        Path script = dir.resolve("scale-" + System.nanoTime() + ".sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        script.toFile().setExecutable(true);
        return script;
    }
}
