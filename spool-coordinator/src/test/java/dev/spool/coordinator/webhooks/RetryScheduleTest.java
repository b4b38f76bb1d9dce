package dev.spool.coordinator.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void theDefaultScheduleSpansAboutThreeDaysWithUpToTenPercentJitter() {
        Duration total = RetrySchedule.DEFAULT.delays().stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(total).isBetween(Duration.ofHours(70), Duration.ofHours(80));
        for (int attempt = 1; attempt <= RetrySchedule.DEFAULT.delays().size(); attempt++) {
            Duration delay = RetrySchedule.DEFAULT.delays().get(attempt - 1);
            Instant next = RetrySchedule.DEFAULT.next(attempt, NOW, Optional.empty()).orElseThrow();
            assertThat(Duration.between(NOW, next)).isBetween(delay, delay.plus(delay.dividedBy(10)));
        }
        assertThat(RetrySchedule.DEFAULT.next(10, NOW, Optional.empty())).as("used up after the last delay").isEmpty();
    }

    @Test
    void retryAfterIsHonouredButNeverPastTheLastDelay() {
        RetrySchedule s = RetrySchedule.parse("1s,2m");
        assertThat(s.next(1, NOW, Optional.of(Duration.ofSeconds(30)))).contains(NOW.plusSeconds(30));
        assertThat(s.next(1, NOW, Optional.of(Duration.ofDays(9)))).contains(NOW.plus(Duration.ofMinutes(2)));
    }

    @Test
    void aBadScheduleNamesTheFlag() {
        assertThatThrownBy(() -> RetrySchedule.parse("5s,soon")).hasFieldOrPropertyWithValue("field", "--webhook-retries")
                .hasMessageContaining("'soon'");
    }
}
