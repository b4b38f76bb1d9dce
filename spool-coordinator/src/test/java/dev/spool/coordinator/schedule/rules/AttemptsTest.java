package dev.spool.coordinator.schedule.rules;

import static dev.spool.coordinator.schedule.rules.Attempts.Verdict.GIVE_UP;
import static dev.spool.coordinator.schedule.rules.Attempts.Verdict.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The retry rules without a database: attempts, the same input error twice, and the escalation line. */
class AttemptsTest {
    @Test
    void aRetryableFailureIsRetriedUntilTheLastAttempt() {
        assertThat(Attempts.afterFailure(1, 4, true, "ffmpeg exited 1", null)).isEqualTo(RETRY);
        assertThat(Attempts.afterFailure(3, 4, true, "ffmpeg exited 1", "ffmpeg exited 1")).isEqualTo(RETRY);
        assertThat(Attempts.afterFailure(4, 4, true, "ffmpeg exited 1", "ffmpeg exited 1")).isEqualTo(GIVE_UP);
    }

    @Test
    void anInputErrorIsRetriedOnceButTheSameOneTwiceIsFinal() {
        assertThat(Attempts.afterFailure(1, 4, false, "no such file", null)).as("maybe one worker's mount").isEqualTo(RETRY);
        assertThat(Attempts.afterFailure(2, 4, false, "no such file", "no such file")).isEqualTo(GIVE_UP);
        assertThat(Attempts.afterFailure(2, 4, false, "no such file", "lease expired")).as("another error").isEqualTo(RETRY);
    }

    @Test
    void aLostAttemptIsFinalOnlyAfterTheLast() {
        assertThat(Attempts.afterLoss(1, 2)).isEqualTo(RETRY);
        assertThat(Attempts.afterLoss(2, 2)).isEqualTo(GIVE_UP);
    }

    @Test
    void theEscalationSaysWhyRetryingWillNotHelp() {
        assertThat(Attempts.escalation(4, 4, "ffmpeg exited 1"))
                .isEqualTo("retries used up: all 4 attempts failed; last error: ffmpeg exited 1");
        assertThat(Attempts.escalation(1, 1, "x")).startsWith("retries used up: all 1 attempt failed");
        assertThat(Attempts.escalation(2, 4, "no such file"))
                .isEqualTo("failed for good on attempt 2 (the same error again: retrying cannot help); last error: no such file");
    }
}
