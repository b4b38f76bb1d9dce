package dev.spool.coordinator.api;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bucket's arithmetic, on a clock the test steps. */
class TokenBucketTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private void advance(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void aFullBucketGrantsItsBurstAtOnceThenSaysHowLongUntilTheNext() {
        TokenBucket b = new TokenBucket(2, 5, now::get);
        for (int i = 0; i < 5; i++) assertThat(b.take(1)).as("take " + i).isZero();
        long wait = b.take(1);
        assertThat(wait).as("one token at 2/s is 500 ms away").isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        advance(499);
        assertThat(b.take(1)).as("1 ms early").isPositive();
        advance(1);
        assertThat(b.take(1)).isZero();
        assertThat(b.take(1)).isPositive();
    }

    @Test
    void refillStopsAtTheBurst() {
        TokenBucket b = new TokenBucket(10, 3, now::get);
        for (int i = 0; i < 3; i++) b.take(1);
        advance(60_000);   // a minute idle is worth 600 tokens, but the bucket holds 3
        assertThat(b.full()).isTrue();
        for (int i = 0; i < 3; i++) assertThat(b.take(1)).isZero();
        assertThat(b.take(1)).isPositive();
    }

    @Test
    void aRefusedTakeTakesNothing() {
        TokenBucket b = new TokenBucket(1, 2, now::get);
        assertThat(b.take(3)).as("more than the bucket holds").isPositive();
        assertThat(b.take(2)).as("both tokens still there").isZero();
    }

    @Test
    void spendingLeavesADebtThatIsRepaidAtTheRate() {
        TokenBucket b = new TokenBucket(1000, 1000, now::get);   // bytes: 1000/s
        assertThat(b.spend(600)).isZero();
        assertThat(b.debtNanos()).isZero();
        long wait = b.spend(2400);   // a stream read 3000 bytes against 1000 of room: 2000 in debt
        assertThat(wait).isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(b.debtNanos()).as("in debt: refused until repaid").isPositive();
        advance(1999);
        assertThat(b.debtNanos()).isPositive();
        advance(2);
        assertThat(b.debtNanos()).isZero();
    }

    @Test
    void aClockThatGoesBackwardsGrantsNothingExtra() {
        TokenBucket b = new TokenBucket(1, 1, now::get);
        assertThat(b.take(1)).isZero();
        advance(-10_000);
        assertThat(b.take(1)).isPositive();
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new TokenBucket(0, 5, now::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, now::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
