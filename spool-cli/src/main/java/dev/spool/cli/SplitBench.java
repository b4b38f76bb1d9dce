package dev.spool.cli;

import dev.spool.model.encode.EncodeOptions;
import dev.spool.media.encode.LadderCommand;
import dev.spool.media.plan.LadderPlan;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.probe.Probe;
import dev.spool.media.ffmpeg.ExitCleanup;
import dev.spool.media.plan.Rendition;
import dev.spool.model.encode.VideoCodec;
import dev.spool.media.run.LadderRun;
import dev.spool.media.run.RunSummary;
import dev.spool.media.run.SplitRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code spool bench split}: what splitting costs and buys on a 2-minute 1080p source: CPU seconds
 * of split versus single-pass encoding, wall time with 1 and 2 local workers of one ffmpeg thread
 * each, and the wall time modelled for more machines from the measured piece times. The single
 * pass and the splits alternate round by round (see {@link Rounds}), and like is compared with
 * like: one encoder thread everywhere, the single pass pinned to CPU 0 as the one-worker split is.
 */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = "CPU and wall time of split-and-stitch against the single pass, and a model for N machines.")
final class SplitBench implements Callable<Integer> {
    private static final String SINGLE = "single pass";
    private static final String SPLIT_1 = "split, 1 worker";
    private static final String SPLIT_2 = "split, 2 workers";
    private static final String CPU = "cpu s";

    @Option(names = "--seconds", defaultValue = "120") int seconds;
    @Option(names = "--piece-seconds", defaultValue = "30") int pieceSeconds;
    @Option(names = "--rounds", defaultValue = "2", description = "Rounds, each running the single pass and both splits. Default: ${DEFAULT-VALUE}.")
    int rounds;
    @Option(names = "--ffmpeg", paramLabel = "PATH") Path ffmpeg;

    @Override
    public Integer call() throws Exception {
        Rounds alternation = new Rounds(rounds);
        FfmpegTools tools = FfmpegTools.locate(ffmpeg);
        Path source = SampleCache.benchmarkClip(tools, seconds);
        Path work = Files.createTempDirectory("spool-bench-split-");
        ExitCleanup.track(work);
        try {
            EncodeOptions oneThread = new EncodeOptions(List.of(), VideoCodec.H264, null, EncodeOptions.DEFAULT_HLS_TIME,
                    EncodeOptions.SegmentFormat.FMP4, EncodeOptions.OutputFormat.HLS, EncodeOptions.DEFAULT_MASTER_NAME, 1);
            LadderPlan plan = LadderPlan.of(new Probe(tools).probe(source), oneThread);
            List<List<Long>> pieceRuns = new ArrayList<>();   // the one-worker runs' audio and piece times
            List<long[]> overheads = new ArrayList<>();         // their probe, and package + verify
            Rounds.Result r = alternation
                    .variant(SINGLE, round -> measured(() -> {
                        Path dir = work.resolve("single");
                        ExitCleanup.deleteTree(dir);
                        BenchCommand.rawLadder(tools, plan, LadderCommand.args(plan, source, dir, false), dir, SplitBench::onCpuZero);
                    }))
                    .variant(SPLIT_1, round -> {
                        List<Long> pieces = new ArrayList<>();
                        long[] overhead = new long[2];
                        var figures = measured(() -> split(tools, source, work.resolve("split1-" + round), oneThread, 1, pieces, overhead));
                        pieceRuns.add(pieces);
                        overheads.add(overhead);
                        return figures;
                    })
                    .variant(SPLIT_2, round -> measured(() -> split(tools, source, work.resolve("split2-" + round), oneThread, 2,
                            new ArrayList<>(), new long[2])))
                    .run(System.out);

            System.out.printf(Locale.ROOT, "%nsource: %d s 1080p30, ladder %s + audio, libx264 %s, one encoder thread, %d s pieces; "
                            + "median (min-max) over rounds%n",
                    seconds, plan.renditions().stream().map(Rendition::name).toList(), oneThread.preset(), pieceSeconds);
            System.out.printf(Locale.ROOT, "(a) CPU seconds: single pass %s, split %s%n", Rounds.Spread.of(r.values(SINGLE, CPU)).format("%.1f"),
                    Rounds.Spread.of(r.values(SPLIT_1, CPU)).format("%.1f"));
            System.out.printf(Locale.ROOT, "    ratio split / single, per round: %s (target <= 1.08)%n",
                    Rounds.Spread.of(r.ratios(SPLIT_1, SINGLE, CPU)).format("%.3f"));
            System.out.printf(Locale.ROOT, "(b) wall seconds, each on its own pinned core: single pass %s, 1 local worker %s, 2 local workers %s%n",
                    Rounds.Spread.of(r.values(SINGLE, Rounds.WALL)).format("%.1f"), Rounds.Spread.of(r.values(SPLIT_1, Rounds.WALL)).format("%.1f"),
                    Rounds.Spread.of(r.values(SPLIT_2, Rounds.WALL)).format("%.1f"));
            System.out.printf(Locale.ROOT, "    speed-up 2 workers over 1, per round: %s (target >= 1.8)%n",
                    Rounds.Spread.of(r.ratios(SPLIT_1, SPLIT_2, Rounds.WALL)).format("%.2f"));
            // the model from the one-worker round of median wall time: its pieces and overheads belong together
            List<Double> walls = r.values(SPLIT_1, Rounds.WALL);
            int median = walls.indexOf(walls.stream().sorted().toList().get((walls.size() - 1) / 2));
            List<Long> pieces = new ArrayList<>(pieceRuns.get(median));
            long[] overhead = overheads.get(median);
            long audio = pieces.removeFirst();   // recorded as index -1, finished first or not: see split()
            System.out.printf(Locale.ROOT, "(c) measured piece times (s), round %d: %s; audio %.1f s%n", median + 1,
                    pieces.stream().map(ms -> String.format(Locale.ROOT, "%.1f", ms / 1000.0)).toList(), audio / 1000.0);
            System.out.printf(Locale.ROOT, "    critical path = probe %.1f s + encode (pieces and audio, longest first) + package and verify %.1f s%n",
                    overhead[0] / 1000.0, overhead[1] / 1000.0);
            double one = (overhead[0] + makespan(pieces, audio, 1) + overhead[1]) / 1000.0;
            for (int machines : new int[] {1, 2, 4, 8, 16}) {
                double modelled = (overhead[0] + makespan(pieces, audio, machines) + overhead[1]) / 1000.0;
                System.out.printf(Locale.ROOT, "    %2d machines: modelled wall %.1f s, speed-up %.2f%n", machines, modelled, one / modelled);
            }
            return 0;
        } finally {
            ExitCleanup.deleteQuietly(work);
            ExitCleanup.untrack(work);
        }
    }

    /** Runs a split job; records the audio's time first, then each piece's, in piece order. */
    private long split(FfmpegTools tools, Path source, Path out, EncodeOptions options, int workers, List<Long> pieceMs,
                       long[] overhead) {
        long[] byPiece = new long[1024];
        long[] audio = {0};
        int[] count = {0};
        long start = System.nanoTime();
        RunSummary summary = new SplitRun(tools, workers, pieceSeconds, true).run(new LadderRun.Request(source, out, options, false), new LadderRun.Listener() {
            @Override public synchronized void pieceDone(int index, long wallMs) {
                if (index < 0) audio[0] = wallMs;
                else {
                    byPiece[index] = wallMs;
                    count[0] = Math.max(count[0], index + 1);
                }
            }
        });
        long wall = (System.nanoTime() - start) / 1_000_000;
        ExitCleanup.deleteQuietly(out);   // a 1080p ladder per run and round would fill a small disk
        overhead[0] = summary.probeMs();
        overhead[1] = summary.packageMs() + summary.verifyMs();
        pieceMs.add(audio[0]);
        for (int i = 0; i < count[0]; i++) pieceMs.add(byPiece[i]);
        return wall;
    }

    /** Longest-first list scheduling of the pieces and the audio on M machines. */
    static long makespan(List<Long> pieces, long audio, int machines) {
        List<Long> work = new ArrayList<>(pieces);
        work.add(audio);
        work.sort(Collections.reverseOrder());
        long[] load = new long[machines];
        for (long w : work) {
            int least = 0;
            for (int m = 1; m < machines; m++) if (load[m] < load[least]) least = m;
            load[least] += w;
        }
        long max = 0;
        for (long l : load) max = Math.max(max, l);
        return max;
    }

    /** Wall and CPU seconds of the child processes (ffmpeg) while the work ran, from /proc/self/stat. */
    private static java.util.Map<String, Double> measured(Rounds.Work work) throws Exception {
        long ticks = childTicks();
        long start = System.nanoTime();
        work.run();
        return java.util.Map.of(Rounds.WALL, (System.nanoTime() - start) / 1e9, CPU, (childTicks() - ticks) / 100.0);   // USER_HZ is 100
    }

    /** The single pass on CPU 0, where the one-worker split runs its ffmpeg (SplitRun pins worker W to CPU W). */
    private static ProcessBuilder onCpuZero(ProcessBuilder ffmpeg) {
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", "0"));
        pinned.addAll(ffmpeg.command());
        return ffmpeg.command(pinned);
    }

    private static long childTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);   // cutime + cstime (fields 16 and 17)
    }
}
