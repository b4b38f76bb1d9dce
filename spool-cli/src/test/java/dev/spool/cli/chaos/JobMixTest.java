package dev.spool.cli.chaos;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobMixTest {
    @Test
    void theSameSeedGivesTheSameJobs() {
        assertThat(JobMix.of(42, 12, 8, 16)).isEqualTo(JobMix.of(42, 12, 8, 16));
        assertThat(JobMix.of(42, 12, 8, 16)).isNotEqualTo(JobMix.of(43, 12, 8, 16));
    }

    @Test
    void theFaultCountDoesNotChangeTheClips() {
        assertThat(JobMix.of(42, 12, 8, 16).jobs()).extracting(ChaosJob::clip)
                .isEqualTo(JobMix.of(42, 12, 3, 16).jobs().stream().map(ChaosJob::clip).toList());
    }

    @Test
    void everyMixHasASplitJobWithAudioAndAWholeJobWithout() {
        for (long seed = 0; seed < 50; seed++) {
            JobMix mix = JobMix.of(seed, 2, 3, 8);
            assertThat(mix.jobs().get(0)).satisfies(j -> {
                assertThat(j.split()).isTrue();
                assertThat(j.audio()).isTrue();
                assertThat(j.seconds()).isGreaterThanOrEqualTo(JobMix.MIN_SPLIT_SECONDS);
            });
            assertThat(mix.jobs().get(1)).satisfies(j -> {
                assertThat(j.split()).isFalse();
                assertThat(j.audio()).isFalse();
            });
        }
    }

    @Test
    void clipsFitTheLongestAndOnlyLongEnoughOnesSplit() {
        for (long seed = 0; seed < 50; seed++) {
            for (ChaosJob j : JobMix.of(seed, 12, 8, 16).jobs()) {
                assertThat(j.seconds()).isBetween(4, 16);
                if (j.split()) assertThat(j.seconds()).isGreaterThanOrEqualTo(JobMix.MIN_SPLIT_SECONDS);
            }
        }
    }

    @Test
    void aQuarterOfTheJobsStartAtOnceAndTheRestArriveBeforeEveryLaterFault() {
        JobMix mix = JobMix.of(7, 12, 8, 16);
        assertThat(mix.inWave(0)).hasSize(3);
        for (int w = 1; w < 8; w++) assertThat(mix.inWave(w)).as("wave " + w).isNotEmpty();
        int total = 0;
        for (int w = 0; w < 8; w++) total += mix.inWave(w).size();
        assertThat(total).isEqualTo(12);
    }

    @Test
    void fewerJobsThanFaultsStillAllGoIn() {
        JobMix mix = JobMix.of(7, 4, 8, 16);
        assertThat(mix.jobs()).allSatisfy(j -> assertThat(j.wave()).isBetween(0, 7));
        assertThat(mix.inWave(0)).hasSize(1);
    }

    @Test
    void withoutFaultsEveryJobStartsAtOnce() {
        assertThat(JobMix.of(7, 5, 0, 16).inWave(0)).hasSize(5);
    }

    @Test
    void aClipTooShortToSplitIsRefusedByName() {
        assertThatThrownBy(() -> JobMix.of(1, 3, 3, 5)).hasMessageContaining("longestClip");
    }
}
