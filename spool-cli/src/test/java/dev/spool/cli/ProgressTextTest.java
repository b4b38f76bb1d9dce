package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.protocol.Wire;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What a person reads while a job runs: only the figures there are, the percent once. */
class ProgressTextTest {

    @Test
    void unknownRateAndEtaArePrintedAsNothing() {
        assertThat(ProgressText.figures(0, 0, -1)).isEmpty();
        assertThat(ProgressText.figures(61, 0, -1)).isEqualTo("61.0 fps");
        assertThat(ProgressText.figures(61, 2.034, 75)).isEqualTo("61.0 fps  2.03x  eta 1:15");
    }

    @Test
    void theBarShowsItsPercentOnceAndTheTimeSoFar() {
        String line = ProgressText.barLine("encode", 37.4, Duration.ofSeconds(72), "61.0 fps");

        assertThat(line).startsWith("encode  37% │").endsWith("│ 1:12  61.0 fps");
        assertThat(line.split("%", -1)).as("one percent sign").hasSize(2);
        assertThat(ProgressText.barLine("encode", 0, Duration.ZERO, "")).endsWith("│ 0:00");
    }

    @Test
    void aRunningJobsLineHasNoPlaceholderForFiguresItDoesNotHave() throws Exception {
        JsonNode job = json("{\"job_id\":\"job_1\",\"state\":\"RUNNING\",\"progress\":12.5,\"fps\":0,\"speed\":0,"
                + "\"eta_sec\":-1,\"input\":\"/in/a.mp4\"}");

        assertThat(ClientCommands.line(job)).isEqualTo("job_1  RUNNING    12.5%  /in/a.mp4");
    }

    @Test
    void aRunningSplitJobsLineHasItsAddedUpRateAndEta() throws Exception {
        JsonNode job = json("{\"job_id\":\"job_1\",\"state\":\"RUNNING\",\"progress\":40,\"fps\":90,\"speed\":3,"
                + "\"eta_sec\":24,\"input\":\"/in/a.mp4\"}");

        assertThat(ClientCommands.line(job)).isEqualTo("job_1  RUNNING    40.0%  90.0 fps  3.00x  eta 0:24  /in/a.mp4");
    }

    @Test
    void aCompletedJobsLineEndsWithWhatItProduced() throws Exception {
        JsonNode job = json("{\"job_id\":\"job_1\",\"state\":\"COMPLETED\",\"progress\":100,\"input\":\"/in/a.mp4\","
                + "\"outputs\":{\"manifest_url\":\"/out/a/index.m3u8\"},"
                + "\"result\":{\"frames_encoded\":720,\"duration_seconds\":24.0,\"output_size_bytes\":2345678}}");

        assertThat(ClientCommands.line(job)).isEqualTo(
                "job_1  COMPLETED 100.0%  /in/a.mp4  -> /out/a/index.m3u8  (720 frames, 24.0 s, 2.3 MB)");
    }

    @Test
    void statusListsTasksInTheOrderTheyRunWhateverOrderTheyCameIn() throws Exception {
        JsonNode tasks = json("[{\"kind\":\"package\"},{\"kind\":\"encode-video\",\"piece\":2},{\"kind\":\"encode-audio\"},"
                + "{\"kind\":\"encode-video\",\"piece\":0},{\"kind\":\"probe\"},{\"kind\":\"encode-video\",\"piece\":1}]");

        assertThat(ClientCommands.inRunOrder(tasks)).extracting(t -> t.path("kind").asText() + t.path("piece").asText(""))
                .containsExactly("probe", "encode-video0", "encode-video1", "encode-video2", "encode-audio", "package");
    }

    private static JsonNode json(String text) throws Exception {
        return Wire.JSON.readTree(text);
    }
}
