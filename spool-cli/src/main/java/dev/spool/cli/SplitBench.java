package dev.spool.cli;

import dev.spool.encode.EncodeOptions;
import dev.spool.encode.LadderCommand;
import dev.spool.encode.LadderPlan;
import dev.spool.ffmpeg.FfmpegTools;
import dev.spool.ffmpeg.Probe;
import dev.spool.job.ExitCleanup;
import dev.spool.ladder.Rendition;
import dev.spool.ladder.VideoCodec;
import dev.spool.run.LadderRun;
import dev.spool.run.RunSummary;
import dev.spool.run.SplitRun;
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
 * each, and the wall time modelled for more machines from the measured piece times.
 */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = "CPU and wall time of split-and-stitch against the single pass, and a model for N machines.")
final class SplitBench implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "120") int seconds;
    @Option(names = "--piece-seconds", defaultValue = "30") int pieceSeconds;
    @Option(names = "--ffmpeg", paramLabel = "PATH") Path ffmpeg;

    @Override
    public Integer call() throws Exception {
        FfmpegTools tools = FfmpegTools.locate(ffmpeg);
        Path source = SampleCache.benchmarkClip(tools, seconds);
        Path work = Files.createTempDirectory("spool-bench-split-");
        ExitCleanup.track(work);
        try {
            EncodeOptions oneThread = new EncodeOptions(List.of(), VideoCodec.H264, null, EncodeOptions.DEFAULT_HLS_TIME,
                    EncodeOptions.SegmentFormat.FMP4, EncodeOptions.OutputFormat.HLS, EncodeOptions.DEFAULT_MASTER_NAME, 1);
            LadderPlan plan = LadderPlan.of(new Probe(tools).probe(source), oneThread);

            double singleCpu = childCpuSeconds(() -> BenchCommand.rawLadder(tools, plan,
                    LadderCommand.args(plan, source, work.resolve("single"), false), work.resolve("single")));
            // (a) runs the split with one worker pinned to one core, as (b)'s first run: same CPU either way
            List<Long> pieces = new ArrayList<>();
            long[] wall = new long[3];
            long[] overhead = new long[2];   // probe, and package + verify, from the one-worker run
            double splitCpu = childCpuSeconds(() -> wall[1] = split(tools, source, work.resolve("split1"), oneThread, 1, pieces, overhead));
            wall[2] = split(tools, source, work.resolve("split2"), oneThread, 2, new ArrayList<>(), new long[2]);

            System.out.printf(Locale.ROOT, "source: %d s 1080p30, ladder %s + audio, libx264 %s, one encoder thread, %d s pieces%n",
                    seconds, plan.renditions().stream().map(Rendition::name).toList(), oneThread.preset(), pieceSeconds);
            System.out.printf(Locale.ROOT, "(a) CPU seconds: single pass %.1f, split %.1f, ratio %.3f (target <= 1.08)%n",
                    singleCpu, splitCpu, splitCpu / singleCpu);
            System.out.printf(Locale.ROOT, "(b) wall, each worker pinned to one core: 1 local worker %.1f s, 2 local workers %.1f s, speed-up %.2f (target >= 1.8)%n",
                    wall[1] / 1000.0, wall[2] / 1000.0, (double) wall[1] / wall[2]);
            long audio = pieces.removeFirst();   // recorded as index -1, finished first or not: see split()
            System.out.printf(Locale.ROOT, "(c) measured piece times (s): %s; audio %.1f s%n",
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

    /** CPU seconds used by the child processes (ffmpeg) while the work ran, from /proc/self/stat. */
    private static double childCpuSeconds(Runnable work) throws IOException {
        long before = childTicks();
        work.run();
        return (childTicks() - before) / 100.0;   // USER_HZ is 100 on Linux
    }

    private static long childTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);   // cutime + cstime (fields 16 and 17)
    }
}
