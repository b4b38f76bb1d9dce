package dev.spool.coordinator.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.model.SpoolError;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retry policy refuses bad settings as a user error naming the option, never as a Java exception. */
class RetryPolicyTest {
    @Test
    void tooManyRetriesAreRefusedNamingMaxRetries() {
        assertThatThrownBy(() -> new RetryPolicy(101, Duration.ofSeconds(1), 2.0)).isInstanceOf(SpoolError.class)
                .hasFieldOrPropertyWithValue("field", "--max-retries").hasMessage("--max-retries must be between 0 and 100, not 101");
    }

    @Test
    void aNegativeDelayIsRefusedNamingRetryDelay() {
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(-1), 2.0)).isInstanceOf(SpoolError.class)
                .hasFieldOrPropertyWithValue("field", "--retry-delay");
    }

    @Test
    void aShrinkingOrNonNumericBackoffIsRefusedNamingBackoff() {
        for (double multiplier : new double[] {0.5, Double.NaN, Double.POSITIVE_INFINITY})
            assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(1), multiplier)).isInstanceOf(SpoolError.class)
                    .hasFieldOrPropertyWithValue("field", "--backoff");
    }

    @Test
    void delaysGrowByTheMultiplierAndStopAtAnHour() {
        RetryPolicy retry = new RetryPolicy(3, Duration.ofSeconds(10), 2.0);
        assertThat(retry.delayBefore(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(retry.delayBefore(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(retry.delayBefore(40)).isEqualTo(Duration.ofHours(1));
        assertThat(retry.maxAttempts()).isEqualTo(4);
    }
}
