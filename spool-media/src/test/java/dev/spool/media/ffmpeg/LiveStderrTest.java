package dev.spool.media.ffmpeg;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The task's live stderr tail is fed by ToolProcess's one reader, readable while the tool runs. */
class LiveStderrTest {
    @Test
    void aToolsStderrReachesTheLiveTailOfTheThreadThatRanItWhileItRuns() throws Exception {
        AtomicReference<List<String>> midway = new AtomicReference<>();
        AtomicReference<List<String>> after = new AtomicReference<>();
        AtomicReference<ToolProcess.Result> result = new AtomicReference<>();
        Thread task = Thread.ofVirtual().start(() -> {
            try (LiveStderr live = LiveStderr.open(3)) {
                Thread watcher = Thread.ofVirtual().start(() -> {
                    while (live.snapshot().size() < 3) Thread.onSpinWait();
                    midway.set(live.snapshot());
                });
                result.set(ToolProcess.run("sh", new ProcessBuilder("sh", "-c",
                        "for i in 1 2 3 4; do echo line $i >&2; done; sleep 1; echo done"), line -> { }));
                try {
                    watcher.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                after.set(live.snapshot());
            }
        });
        task.join();
        assertThat(midway.get()).as("seen while the tool still ran").hasSize(3);
        assertThat(after.get()).containsExactly("line 2", "line 3", "line 4");
        assertThat(result.get().stderrTail()).as("the failure's own tail is kept as before").containsExactly("line 1", "line 2", "line 3", "line 4");
    }

    @Test
    void aThreadWithoutALiveTailKeepsNone() {
        assertThat(LiveStderr.current()).isNull();
        ToolProcess.Result r = ToolProcess.run("sh", new ProcessBuilder("sh", "-c", "echo x >&2"), line -> { });
        assertThat(r.stderrTail()).containsExactly("x");
        assertThat(LiveStderr.current()).isNull();
    }
}
