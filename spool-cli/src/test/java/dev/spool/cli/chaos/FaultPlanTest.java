package dev.spool.cli.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultPlanTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(6);

    @Test
    void theSameSeedGivesTheSameSchedule() {
        assertThat(FaultPlan.of(42, 8, 3, 1, TIMEOUT)).isEqualTo(FaultPlan.of(42, 8, 3, 1, TIMEOUT));
    }

    @Test
    void anotherSeedGivesAnotherSchedule() {
        assertThat(FaultPlan.of(42, 8, 3, 1, TIMEOUT)).isNotEqualTo(FaultPlan.of(43, 8, 3, 1, TIMEOUT));
    }

    @Test
    void fourFaultsOrMoreCoverEveryKind() {
        for (long seed = 0; seed < 50; seed++) {
            List<Fault> faults = FaultPlan.of(seed, 4, 3, 2, TIMEOUT).faults();
            EnumSet<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
            faults.forEach(f -> kinds.add(f.kind()));
            assertThat(kinds).as("seed " + seed).containsExactlyInAnyOrder(FaultKind.values());
        }
    }

    @Test
    void targetsAreWorkersOrCoordinatorsThatExist() {
        for (long seed = 0; seed < 50; seed++) {
            for (Fault f : FaultPlan.of(seed, 20, 3, 2, TIMEOUT).faults()) {
                if (f.kind().hitsWorker()) assertThat(f.target()).isBetween(0, 2);
                else assertThat(f.target()).isBetween(0, 1);
            }
        }
    }

    @Test
    void aStoppedWorkerStaysStoppedPastItsLease() {
        for (long seed = 0; seed < 50; seed++) {
            for (Fault f : FaultPlan.of(seed, 20, 3, 1, TIMEOUT).faults()) {
                if (f.kind() == FaultKind.WORKER_STOP)
                    assertThat(f.holdMs()).isGreaterThanOrEqualTo(TIMEOUT.toMillis() + FaultPlan.MIN_PAST_LEASE_MS);
                else assertThat(f.holdMs()).isBetween(FaultPlan.MIN_DOWN_MS, FaultPlan.MAX_DOWN_MS);
                assertThat(f.gapMs()).isBetween(FaultPlan.MIN_GAP_MS, FaultPlan.MAX_GAP_MS);
            }
        }
    }

    @Test
    void faultsAreNumberedInTheOrderTheyRun() {
        assertThat(FaultPlan.of(1, 5, 3, 1, TIMEOUT).faults()).extracting(Fault::index).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void noFaultsIsAnEmptyPlan() {
        assertThat(FaultPlan.of(1, 0, 3, 1, TIMEOUT).faults()).isEmpty();
    }

    @Test
    void aNegativeCountIsRefusedByName() {
        assertThatThrownBy(() -> FaultPlan.of(1, -1, 3, 1, TIMEOUT)).hasMessageContaining("faults");
        assertThatThrownBy(() -> new Fault(0, FaultKind.WORKER_KILL, 0, -5, 0)).hasMessageContaining("gapMs");
    }
}
