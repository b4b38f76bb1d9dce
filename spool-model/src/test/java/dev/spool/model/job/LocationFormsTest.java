package dev.spool.model.job;

import dev.spool.model.SpoolError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocationFormsTest {
    private static JobSpec job(String input, String output) {
        return new JobSpec(input, output, List.of(new OutputSpec("360p", null, null, null)), null, null, null, null, null,
                null, null, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gopher://x", "file:///etc/passwd", "FILE:/etc/passwd", "ftp://host/a.mp4", "data://text/plain,x", "rtmp://h/live"})
    void anInputInASchemeSpoolDoesNotReadIsRefusedNamingInput(String input) {
        assertThatThrownBy(() -> job(input, "/srv/out")).isInstanceOfSatisfying(SpoolError.class, e -> {
            org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo("input");
            org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains("'" + input + "'", "URL, which Spool does not read");
        });
    }

    @org.junit.jupiter.api.Test
    void gcsKeepsItsOwnMessageWithTheWayThroughItsS3Api() {
        assertThatThrownBy(() -> job("gs://bucket/a.mp4", "/srv/out")).isInstanceOfSatisfying(SpoolError.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains("Google Cloud Storage", "s3://bucket/a.mp4"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../outside/secret.mp4", "in/../../x.mp4", ".."})
    void aRelativeInputThatClimbsOutIsRefused(String input) {
        assertThatThrownBy(() -> job(input, "/srv/out")).isInstanceOfSatisfying(SpoolError.class, e -> {
            org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo("input");
            org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains("relative path that climbs out");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"gopher://x/out", "../out", "file:///tmp/out"})
    void anOutputOfTheSameShapesIsRefusedNamingOutput(String output) {
        assertThatThrownBy(() -> job("/srv/in.mp4", output)).isInstanceOfSatisfying(SpoolError.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo("output"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/srv/in.mp4", "movies/film.mkv", "in/./a.mkv", "a/../b.mp4", "s3://bucket/a.mp4", "spool://uploads/a.mp4",
            "https://media.example/a.mp4", "HTTP://media.example/a.mp4", "clip:2.mp4", "C:/media/a.mp4"})
    void pathsAndTheSchemesSpoolReadsStillPass(String input) {
        assertThatCode(() -> job(input, "/srv/out")).doesNotThrowAnyException();
    }
}
