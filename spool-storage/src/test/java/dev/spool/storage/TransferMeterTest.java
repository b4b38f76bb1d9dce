package dev.spool.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The stall rule on a clock the test moves (nanoseconds from the meter's start). */
class TransferMeterTest {
    private static final long S = 1_000_000_000L;
    private static final TransferStall RULE = new TransferStall(Duration.ofSeconds(10), Duration.ofSeconds(60), 1000);

    @Test
    void aTransferWithNoByteForTheIdleTimeHasStalled() {
        TransferMeter meter = new TransferMeter(RULE, 0);

        assertThat(meter.stalled(9 * S)).isEmpty();
        assertThat(meter.stalled(10 * S)).hasValueSatisfying(why -> assertThat(why).isEqualTo("stalled: no data for 10 s"));
    }

    @Test
    void aTrickleBelowTheMinimumOverAWholeWindowHasStalledThoughBytesKeepComing() {
        long start = System.nanoTime();
        TransferMeter meter = new TransferMeter(RULE, start);
        for (int second = 1; second <= 59; second++) {
            long now = start + second * S;
            meter.moved(1, now);   // a byte a second: never idle
            assertThat(meter.stalled(now)).as("second " + second).isEmpty();
        }
        assertThat(meter.stalled(start + 61 * S)).hasValueSatisfying(why ->
                assertThat(why).startsWith("stalled: 58 bytes in the last 60 s").contains("1000 bytes per 60 s"));
    }

    @Test
    void aTransferFastEnoughOverEveryWindowNeverStallsAndASentBodyIsNotJudged() {
        long start = System.nanoTime();
        TransferMeter meter = new TransferMeter(RULE, start);
        for (int second = 1; second <= 300; second++) {
            meter.moved(100, start + second * S);   // 6000 bytes a minute
            assertThat(meter.stalled(start + second * S)).as("second " + second).isEmpty();
        }
        meter.finished();
        assertThat(meter.stalled(start + 1000 * S)).isEmpty();
    }
}
