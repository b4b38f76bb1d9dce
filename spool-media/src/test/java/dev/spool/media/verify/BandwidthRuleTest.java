package dev.spool.media.verify;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BandwidthRuleTest {

    @Test
    void aPeakAboveOrEqualToTheAverageKeepsTheRule() {
        assertThat(BandwidthRule.problem(Map.of("BANDWIDTH", "2749070", "AVERAGE-BANDWIDTH", "2749069"))).isEmpty();
        assertThat(BandwidthRule.problem(Map.of("BANDWIDTH", "128000", "AVERAGE-BANDWIDTH", "128000"))).isEmpty();
    }

    @Test
    void aPeakBelowTheAverageIsNamedWithBothValues() {
        assertThat(BandwidthRule.problem(Map.of("BANDWIDTH", "2740980", "AVERAGE-BANDWIDTH", "2749069")))
                .contains("BANDWIDTH 2740980 is below AVERAGE-BANDWIDTH 2749069");
    }

    @Test
    void bothAttributesMustBeThere() {
        assertThat(BandwidthRule.problem(Map.of("BANDWIDTH", "2740980"))).contains("no AVERAGE-BANDWIDTH");
        assertThat(BandwidthRule.problem(Map.of("AVERAGE-BANDWIDTH", "2740980"))).contains("no BANDWIDTH");
    }

    @Test
    void aValueThatIsNotAWholeNumberIsRefused() {
        assertThat(BandwidthRule.problem(Map.of("BANDWIDTH", "2.7e6", "AVERAGE-BANDWIDTH", "2740980")))
                .contains("BANDWIDTH '2.7e6' is not a whole number of bits per second");
        assertThat(BandwidthRule.problem(Map.of("BANDWIDTH", "2740980", "AVERAGE-BANDWIDTH", "-1")))
                .contains("AVERAGE-BANDWIDTH '-1' is not a whole number of bits per second");
    }
}
