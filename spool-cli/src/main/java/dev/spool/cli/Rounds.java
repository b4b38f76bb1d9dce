package dev.spool.cli;

import dev.spool.model.SpoolError;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a benchmark's variants alternately, round after round, so a machine that slows down or
 * speeds up in the meantime weighs on every variant alike instead of on whichever ran last; each
 * round's ratio compares runs made moments apart. Odd rounds run the variants in the order given,
 * even rounds in reverse (A B, B A, A B ...), so neither always runs first (warm caches, a rising
 * load). Every run is printed as it ends; ratios are summarised by their median and spread.
 */
final class Rounds {
    /** One variant's run: its figures by name (seconds, CPU seconds, MiB/s ...). */
    @FunctionalInterface
    interface Variant {
        Map<String, Double> run(int round) throws Exception;
    }

    interface Work {
        void run() throws Exception;
    }

    static final String WALL = "wall s";

    private final int rounds;
    private final Map<String, Variant> variants = new LinkedHashMap<>();

    Rounds(int rounds) {
        if (rounds < 1 || rounds > 50) throw SpoolError.invalid("--rounds", "must be between 1 and 50, not " + rounds);
        this.rounds = rounds;
    }

    Rounds variant(String name, Variant variant) {
        if (variants.putIfAbsent(name, variant) != null) throw new IllegalArgumentException("two variants named " + name);
        return this;
    }

    /** A variant whose one figure is its wall time in seconds. */
    static Variant timed(Work work) {
        return round -> {
            long start = System.nanoTime();
            work.run();
            return Map.of(WALL, (System.nanoTime() - start) / 1e9);
        };
    }

    /** Runs every round, printing each run's figures to {@code out} as it ends. */
    Result run(PrintStream out) throws Exception {
        Map<String, List<Map<String, Double>>> runs = new LinkedHashMap<>();
        variants.keySet().forEach(name -> runs.put(name, new ArrayList<>()));
        List<String> order = new ArrayList<>(variants.keySet());
        for (int round = 1; round <= rounds; round++) {
            List<String> now = round % 2 == 1 ? order : order.reversed();
            for (String name : now) {
                Map<String, Double> figures = Map.copyOf(variants.get(name).run(round));
                runs.get(name).add(figures);
                out.printf(Locale.ROOT, "round %d/%d: %s: %s%n", round, rounds, name, describe(figures));
            }
        }
        return new Result(runs);
    }

    private static String describe(Map<String, Double> figures) {
        return figures.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue())).collect(Collectors.joining(", "));
    }

    /** Every run's figures, by variant, in round order. */
    record Result(Map<String, List<Map<String, Double>>> runs) {
        /** One figure of a variant, round by round. */
        List<Double> values(String variant, String figure) {
            List<Map<String, Double>> of = runs.get(variant);
            if (of == null) throw new IllegalArgumentException("no variant " + variant);
            return of.stream().map(f -> {
                Double v = f.get(figure);
                if (v == null) throw new IllegalArgumentException(variant + " has no figure " + figure);
                return v;
            }).toList();
        }

        /** {@code a}'s figure over {@code b}'s, round by round: each ratio from runs made moments apart. */
        List<Double> ratios(String a, String figureA, String b, String figureB) {
            List<Double> top = values(a, figureA);
            List<Double> bottom = values(b, figureB);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < top.size(); i++) ratios.add(top.get(i) / bottom.get(i));
            return ratios;
        }

        List<Double> ratios(String a, String b, String figure) {
            return ratios(a, figure, b, figure);
        }
    }

    /** The median of some figures and their spread (lowest and highest). */
    record Spread(double median, double min, double max, int n) {
        static Spread of(List<Double> values) {
            if (values.isEmpty()) throw new IllegalArgumentException("no values");
            List<Double> sorted = values.stream().sorted().toList();
            int mid = sorted.size() / 2;
            double median = sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
            return new Spread(median, sorted.getFirst(), sorted.getLast(), sorted.size());
        }

        /** "1.023 (1.010-1.041, 3 rounds)" with the given number format. */
        String format(String number) {
            return String.format(Locale.ROOT, number + " (" + number + "-" + number + ", %d round%s)", median, min, max, n, n == 1 ? "" : "s");
        }
    }
}
