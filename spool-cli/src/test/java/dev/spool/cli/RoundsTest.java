package dev.spool.cli;

import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The alternation every `spool bench` runs its variants in, with fake variants whose figures are known. */
class RoundsTest {
    private final List<String> calls = new ArrayList<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    /** A variant that records its call and reports {@code seconds[round - 1]}. */
    private Rounds.Variant fake(String name, double... seconds) {
        return round -> {
            calls.add(name + round);
            return Map.of("s", seconds[round - 1]);
        };
    }

    @Test
    void variantsAlternateAndNeitherAlwaysRunsFirst() throws Exception {
        new Rounds(4).variant("A", fake("A", 1, 1, 1, 1)).variant("B", fake("B", 1, 1, 1, 1)).run(out);

        assertThat(calls).containsExactly("A1", "B1", "B2", "A2", "A3", "B3", "B4", "A4");
    }

    @Test
    void eachRoundsRatioComparesThatRoundsRunsOnly() throws Exception {
        // a machine slowing down: both variants take longer each round, B always 10% longer than A
        Rounds.Result r = new Rounds(3).variant("A", fake("A", 10, 20, 40)).variant("B", fake("B", 11, 22, 44)).run(out);

        assertThat(r.ratios("B", "A", "s")).allSatisfy(ratio -> assertThat(ratio).isCloseTo(1.1, within(1e-9)));
        assertThat(r.values("A", "s")).containsExactly(10.0, 20.0, 40.0);
    }

    @Test
    void ratiosMayCompareDifferentFiguresOfTwoVariants() throws Exception {
        Rounds.Result r = new Rounds(1)
                .variant("split", round -> Map.of("cpu s", 12.0, "wall s", 6.0))
                .variant("single", round -> Map.of("cpu s", 10.0, "wall s", 10.0)).run(out);

        assertThat(r.ratios("split", "cpu s", "single", "cpu s")).containsExactly(1.2);
        assertThat(r.ratios("single", "wall s", "split", "wall s")).containsExactly(10.0 / 6.0);
    }

    @Test
    void theSpreadIsTheMedianWithTheLowestAndHighest() {
        assertThat(Rounds.Spread.of(List.of(3.0, 1.0, 2.0))).isEqualTo(new Rounds.Spread(2.0, 1.0, 3.0, 3));
        assertThat(Rounds.Spread.of(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(new Rounds.Spread(2.5, 1.0, 4.0, 4));
        assertThat(Rounds.Spread.of(List.of(1.5)).format("%.2f")).isEqualTo("1.50 (1.50-1.50, 1 round)");
        assertThat(Rounds.Spread.of(List.of(1.0, 1.2)).format("%.3f")).isEqualTo("1.100 (1.000-1.200, 2 rounds)");
    }

    @Test
    void everyRunIsPrintedAsItEnds() throws Exception {
        new Rounds(2).variant("raw", fake("raw", 1.5, 1.25)).variant("spool", fake("spool", 2, 3)).run(out);

        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "round 1/2: raw: s 1.500", "round 1/2: spool: s 2.000", "round 2/2: spool: s 3.000", "round 2/2: raw: s 1.250");
    }

    @Test
    void aTimedVariantReportsItsWallTime() throws Exception {
        Rounds.Result r = new Rounds(1).variant("work", Rounds.timed(() -> calls.add("ran"))).run(out);

        assertThat(calls).containsExactly("ran");
        assertThat(r.values("work", Rounds.WALL)).singleElement().satisfies(s -> assertThat(s).isNotNegative());
    }

    @Test
    void roundsOutsideOneToFiftyAreRefusedNamingTheFlag() {
        assertThatThrownBy(() -> new Rounds(0)).isInstanceOf(SpoolError.class).hasMessageStartingWith("--rounds ");
        assertThatThrownBy(() -> new Rounds(51)).isInstanceOf(SpoolError.class).hasMessageStartingWith("--rounds ");
    }

    @Test
    void aFigureAVariantDoesNotReportIsAnError() throws Exception {
        Rounds.Result r = new Rounds(1).variant("A", fake("A", 1)).run(out);

        assertThatThrownBy(() -> r.values("A", "cpu s")).hasMessageContaining("cpu s");
        assertThatThrownBy(() -> r.values("C", "s")).hasMessageContaining("C");
    }
}
