package dev.spool.media.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.model.SpoolError;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real ffmpeg whose input stops coming (a named pipe its writer keeps open but feeds no more) is killed. */
@Timeout(120)   // without the watch the encode would wait on its input for ever
class StallWatchTest {
    @TempDir Path dir;

    @Test
    void anEncodeWhoseInputStopsIsKilledWithARetryableErrorSayingItStalledAndForHowLong() throws Exception {
        FfmpegTools tools = FfmpegTools.locate(null).withStallTimeout(Duration.ofSeconds(2));
        Path clip = dir.resolve("clip.ts");
        ToolProcess.Result made = ToolProcess.run("ffmpeg", tools.ffmpeg(List.of("-v", "error", "-f", "lavfi", "-i",
                "testsrc2=size=320x180:rate=25:duration=8", "-c:v", "mpeg2video", "-f", "mpegts", clip.toString())), line -> { });
        assertThat(made.ok()).as(made.lastError()).isTrue();
        Path fifo = dir.resolve("input.ts");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        CountDownLatch done = new CountDownLatch(1);
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(Files.readAllBytes(clip));   // eight seconds of video (more than ffmpeg probes), then nothing more, the pipe still open
                out.flush();
                done.await(2, TimeUnit.MINUTES);
            } catch (Exception ignored) {
                // the reader was killed
            }
        });
        List<String> progress = new ArrayList<>();
        ProcessBuilder encode = tools.ffmpeg(List.of("-v", "error", "-nostdin", "-progress", "pipe:1", "-nostats", "-f", "mpegts",
                "-i", fifo.toString(), "-c:v", "libx264", "-preset", "ultrafast", "-f", "null", "-"));
        try {
            assertThatThrownBy(() -> ToolProcess.run("ffmpeg", encode, progress::add, tools.stallWatch()))
                    .isInstanceOfSatisfying(SpoolError.class, e -> {
                        assertThat(e.code()).isEqualTo(SpoolError.Code.ENCODER);
                        assertThat(e.code().retryable()).isTrue();
                        assertThat(e.getMessage()).matches("ffmpeg stalled: no progress for \\d+ s \\(stall timeout 2 s\\); it was stopped");
                    });
        } finally {
            done.countDown();
            writer.join();
        }
        assertThat(progress).as("it had started encoding").anyMatch(l -> l.startsWith("frame=") && !l.equals("frame=0"));
    }

    @Test
    void positionsThatAdvanceKeepTheWatchQuietAndTheEndIsNeverAStall() throws Exception {
        StallWatch watch = new StallWatch(Duration.ofMillis(1));
        watch.accept("frame=10");
        Thread.sleep(5);
        assertThat(watch.stalled()).isPresent();
        watch.accept("frame=11");
        assertThat(watch.stalled()).isEmpty();
        watch.accept("progress=end");
        Thread.sleep(5);
        assertThat(watch.stalled()).isEmpty();
    }
}
