package dev.spool.coordinator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.model.SpoolError;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTimeoutTest {

    @Test
    void theOptionTakesOffAutoOrSecondsAndRefusesAnythingElseNamingTheFlag() {
        assertThat(TaskTimeout.parse("off")).isEqualTo(TaskTimeout.OFF);
        assertThat(TaskTimeout.parse(" AUTO ")).isEqualTo(TaskTimeout.AUTO);
        assertThat(TaskTimeout.parse("90")).isEqualTo(TaskTimeout.seconds(90));
        for (String bad : List.of("0", "-5", "10m", "", "forever"))
            assertThatThrownBy(() -> TaskTimeout.parse(bad)).as(bad).isInstanceOfSatisfying(SpoolError.class, e -> {
                assertThat(e.code()).isEqualTo(SpoolError.Code.INVALID);
                assertThat(e.getMessage()).startsWith("--task-timeout must be off, auto or a number of seconds");
            });
    }

    @Test
    void autoScalesWithTheMediaAboveItsFloorGivesAProbeTheFloorAndAnUnknownLengthNoLimit() {
        assertThat(TaskTimeout.AUTO.limitFor("encode-video", 30)).contains(Duration.ofMinutes(30));
        assertThat(TaskTimeout.AUTO.limitFor("transcode", 7200)).contains(Duration.ofHours(40));
        assertThat(TaskTimeout.AUTO.limitFor("probe", -1)).contains(Duration.ofMinutes(30));
        assertThat(TaskTimeout.AUTO.limitFor("transcode", -1)).isEmpty();
        assertThat(TaskTimeout.seconds(90).limitFor("transcode", -1)).contains(Duration.ofSeconds(90));
        assertThat(TaskTimeout.OFF.limitFor("probe", 10)).isEmpty();
    }
}
