package dev.spool.coordinator.scale;

import dev.spool.coordinator.queue.ScaleState;
import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The policy on made-up pools and a clock that moves only when the test moves it. */
class ScalePolicyTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ScalePolicy POLICY = new ScalePolicy(0, 3, 0.8, 0.3, Duration.ofSeconds(30), Duration.ofSeconds(60));

    @Test
    void theFirstQueuedJobFromZeroAsksForOneWorker() {
        ScaleState zero = state(0, T0.minusSeconds(3600), null);
        var d = POLICY.decide(new PoolLoad("transcode", 1, 60, 0, 0, 0), zero, T0);
        assertThat(d.changed()).isTrue();
        assertThat(d.next().desired()).isEqualTo(1);
    }

    @Test
    void anEmptyQueueWithMinZeroWantsNoWorkers() {
        var d = POLICY.decide(new PoolLoad("transcode", 0, 0, 0, 0, 0), null, T0);
        assertThat(d.next().desired()).isZero();
        assertThat(d.changed()).as("nothing to start").isFalse();
    }

    @Test
    void queuedWorkInSecondsNotJobCountsSetsTheNeedWithinTheBounds() {
        assertThat(POLICY.target(new PoolLoad("p", 1, 10, 0, 0, 0))).as("one 10 s clip").isEqualTo(1);
        assertThat(POLICY.target(new PoolLoad("p", 200, 7200, 0, 0, 0))).as("a film in 200 pieces, capped at max").isEqualTo(3);
        assertThat(POLICY.target(new PoolLoad("p", 20, 40, 0, 0, 0))).as("20 two-second clips drain in the horizon with one").isEqualTo(1);
        assertThat(POLICY.target(new PoolLoad("p", 2, 7200, 0, 0, 0))).as("no more slots than tasks").isEqualTo(2);
        assertThat(new ScalePolicy(2, 3, 0.8, 0.3, Duration.ZERO, Duration.ofSeconds(60)).target(new PoolLoad("p", 0, 0, 0, 0, 0)))
                .as("min").isEqualTo(2);
    }

    @Test
    void busySlotsCountAndWorkersWithSeveralSlotsNeedFewerWorkers() {
        assertThat(POLICY.target(new PoolLoad("p", 2, 120, 2, 2, 2))).as("2 busy + 2 for the queue").isEqualTo(3);
        assertThat(POLICY.target(new PoolLoad("p", 2, 120, 2, 4, 1))).as("4-slot workers: 4 slots in one").isEqualTo(1);
    }

    @Test
    void aScaleUpWaitsWhileTheWorkersHaveFreeSlots() {
        ScaleState two = state(2, T0.minusSeconds(60), null);
        var roomy = POLICY.decide(new PoolLoad("p", 12, 1200, 2, 8, 2), two, T0);
        assertThat(roomy.target()).isEqualTo(3);
        assertThat(roomy.changed()).as("utilization 0.25: its free slots take the work").isFalse();
        var full = POLICY.decide(new PoolLoad("p", 12, 1200, 8, 8, 2), two, T0);
        assertThat(full.changed()).isTrue();
        assertThat(full.next().desired()).isEqualTo(3);
    }

    @Test
    void withFreeSlotsTheCountStillCoversTheWorkersAlreadyThere() {
        var d = POLICY.decide(new PoolLoad("p", 2, 120, 0, 1, 1), state(0, T0.minusSeconds(60), null), T0);
        assertThat(d.target()).isEqualTo(2);
        assertThat(d.changed()).isTrue();
        assertThat(d.next().desired()).as("the idle worker there, not a new one").isEqualTo(1);
    }

    @Test
    void aScaleDownWaitsForTheCooldownOfTheLowNeedAndOfTheLastChange() {
        ScaleState three = state(3, T0, null);
        PoolLoad idle = new PoolLoad("p", 0, 0, 0, 3, 3);
        var first = POLICY.decide(idle, three, T0.plusSeconds(10));
        assertThat(first.changed()).isFalse();
        assertThat(first.next().lowSince()).isEqualTo(T0.plusSeconds(10));
        var early = POLICY.decide(idle, first.next(), T0.plusSeconds(35));
        assertThat(early.changed()).as("low for 25 s only").isFalse();
        assertThat(early.next()).isEqualTo(first.next());
        var down = POLICY.decide(idle, first.next(), T0.plusSeconds(40));
        assertThat(down.changed()).isTrue();
        assertThat(down.next().desired()).isZero();
        assertThat(down.next().lowSince()).isNull();
        assertThat(down.next().changedAt()).isEqualTo(T0.plusSeconds(40));
    }

    @Test
    void aBriefDipInTheNeedDoesNotScaleDown() {
        ScaleState low = state(3, T0, T0.plusSeconds(5));
        var back = POLICY.decide(new PoolLoad("p", 5, 600, 3, 3, 3), low, T0.plusSeconds(20));
        assertThat(back.changed()).isFalse();
        assertThat(back.next().lowSince()).as("the low spell ended").isNull();
        var dipAgain = POLICY.decide(new PoolLoad("p", 0, 0, 0, 3, 3), back.next(), T0.plusSeconds(40));
        assertThat(dipAgain.changed()).as("its cooldown starts over").isFalse();
    }

    @Test
    void betweenTheThresholdsTheCountHolds() {
        ScaleState three = state(3, T0, T0);
        var busyish = POLICY.decide(new PoolLoad("p", 0, 0, 1, 3, 3), three, T0.plusSeconds(600));
        assertThat(busyish.target()).isEqualTo(1);
        assertThat(busyish.changed()).as("utilization 0.33 is over 0.3").isFalse();
        var quiet = POLICY.decide(new PoolLoad("p", 0, 0, 1, 4, 4), state(4, T0, T0), T0.plusSeconds(600));
        assertThat(quiet.changed()).as("0.25").isTrue();
        assertThat(quiet.next().desired()).isEqualTo(1);
    }

    @Test
    void aCountOutsideNewBoundsMovesAtOnce() {
        var d = POLICY.decide(new PoolLoad("p", 0, 0, 5, 5, 5), state(5, T0, null), T0.plusSeconds(1));
        assertThat(d.changed()).isTrue();
        assertThat(d.next().desired()).isEqualTo(3);
    }

    @Test
    void badSettingsNameTheirFlag() {
        assertThatThrownBy(() -> new ScalePolicy(4, 3, 0.8, 0.3, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(SpoolError.class).hasFieldOrPropertyWithValue("field", "--min-workers");
        assertThatThrownBy(() -> new ScalePolicy(0, 3, 0.5, 0.6, Duration.ZERO, Duration.ofSeconds(1)))
                .hasFieldOrPropertyWithValue("field", "--scale-down-threshold");
        assertThatThrownBy(() -> new ScalePolicy(0, 3, 1.5, 0.3, Duration.ZERO, Duration.ofSeconds(1)))
                .hasFieldOrPropertyWithValue("field", "--scale-up-threshold");
        assertThatThrownBy(() -> new ScalePolicy(0, 0, 0.8, 0.3, Duration.ZERO, Duration.ofSeconds(1)))
                .hasFieldOrPropertyWithValue("field", "--max-workers");
        assertThatThrownBy(() -> new ScalePolicy(0, 3, 0.8, 0.3, Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .hasFieldOrPropertyWithValue("field", "--scale-cooldown");
    }

    private static ScaleState state(int desired, Instant changedAt, Instant lowSince) {
        return new ScaleState("p", desired, changedAt, lowSince, 7);
    }
}
