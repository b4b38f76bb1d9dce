package dev.spool.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TaskRunnerTest {
    @TempDir Path dir;

    @Test
    void aWorkerReplacesAnEarlierLadderButNeverAFolderOfOtherFiles() throws Exception {
        Path ladder = Files.createDirectories(dir.resolve("ladder"));
        Files.writeString(ladder.resolve("index.m3u8"), "#EXTM3U\n");
        Files.writeString(Files.createDirectories(ladder.resolve("720p")).resolve("index.m3u8"), "#EXTM3U\n");
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(photos.resolve("holiday.jpg"), "jpeg");
        Path empty = Files.createDirectories(dir.resolve("empty"));

        assertThat(TaskRunner.holdsOnlyALadder(ladder, "index.m3u8")).isTrue();
        assertThat(TaskRunner.holdsOnlyALadder(empty, "index.m3u8")).isTrue();
        assertThat(TaskRunner.holdsOnlyALadder(photos, "index.m3u8")).isFalse();
        assertThat(TaskRunner.holdsOnlyALadder(dir.resolve("absent"), "index.m3u8")).isFalse();

        Files.writeString(ladder.resolve("notes.txt"), "mine");
        assertThat(TaskRunner.holdsOnlyALadder(ladder, "index.m3u8")).as("a ladder with someone's file beside it").isFalse();
    }
}
