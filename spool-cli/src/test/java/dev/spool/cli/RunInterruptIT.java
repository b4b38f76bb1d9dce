package dev.spool.cli;

import dev.spool.media.ffmpeg.SampleMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Ctrl-C on {@code spool run}: one line says what was stopped and that OUT is untouched; exit 130. */
class RunInterruptIT {
    @TempDir Path dir;

    @Test
    void ctrlCDuringTheEncodeSaysWhatWasStoppedAndThatOutIsUntouched() throws Exception {
        Path out = dir.resolve("out");
        Path source = TestMedia.get("long-360p.mp4", SampleMedia.Spec.video(640, 360, 30, 40));
        Path err = dir.resolve("run.err");
        Process run = SpoolProcess.builder("run", source.toString(), out.toString(), "--json", "--preset", "slow")
                .redirectError(err.toFile()).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(run.getInputStream()));
        String line;
        while ((line = lines.readLine()) != null && !line.contains("\"event\":\"progress\"")) { /* until the encode runs */ }
        assertThat(line).as("spool exited before reporting progress").isNotNull();

        new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor(5, TimeUnit.SECONDS);   // Ctrl-C
        Thread.ofVirtual().start(() -> lines.lines().count());   // keep its stdout flowing
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<String> said = Files.readAllLines(err).stream().filter(l -> !l.isBlank() && !l.startsWith("WARNING:")).toList();
        assertThat(run.exitValue()).isEqualTo(130);
        assertThat(said).singleElement().satisfies(l -> assertThat(l)
                .isEqualTo("spool: stopped while encoding long-360p.mp4; " + out + " is untouched (the staged output beside it was deleted)"));
        assertThat(out).doesNotExist();
        try (var siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".spool-"));
        }
    }
}
