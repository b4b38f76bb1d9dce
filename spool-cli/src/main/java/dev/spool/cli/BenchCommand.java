package dev.spool.cli;

import dev.spool.model.encode.EncodeOptions;
import dev.spool.media.encode.LadderCommand;
import dev.spool.media.plan.LadderPlan;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.probe.Probe;
import dev.spool.media.ffmpeg.ToolProcess;
import dev.spool.media.ffmpeg.ExitCleanup;
import dev.spool.model.SpoolError;
import dev.spool.media.plan.Rendition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** {@code spool bench ...}: Spool measured against the raw tools it wraps. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks against raw ffmpeg.",
        subcommands = {BenchCommand.Run.class, DispatchBench.class, SplitBench.class, StorageBench.class, OperationsBench.class,
                DashboardBench.class})
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Runs a plain ffmpeg ladder command, as a user would type it, into {@code dir}; {@code launcher} may pin it (taskset). */
    static void rawLadder(FfmpegTools tools, LadderPlan plan, List<String> args, Path dir, UnaryOperator<ProcessBuilder> launcher) {
        try {
            for (Rendition r : plan.renditions()) Files.createDirectories(dir.resolve(r.name()));
            Files.createDirectories(dir.resolve(LadderPlan.AUDIO_DIR));
        } catch (IOException e) {
            throw SpoolError.output(dir.toString(), "cannot be written: " + e.getMessage());
        }
        ToolProcess.Result result = ToolProcess.run("ffmpeg", launcher.apply(tools.ffmpeg(args)), line -> { });
        if (!result.ok()) throw SpoolError.encoder("raw ffmpeg failed: " + result.lastError());
    }

    /**
     * Times {@code spool run} (a new JVM, probe, encode, packaging, verification, commit) against
     * the single ffmpeg command that renders the same ladder, on a generated 1080p30 source.
     */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Wall time of `spool run` versus the equivalent raw ffmpeg ladder command.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--seconds", defaultValue = "60", description = "Source length. Default: ${DEFAULT-VALUE}.")
        int seconds;

        @Option(names = "--rounds", defaultValue = "3", description = "Rounds, each running raw ffmpeg and spool run, in alternating order. Default: ${DEFAULT-VALUE}.")
        int rounds;

        @Option(names = "--ffmpeg", paramLabel = "PATH", description = "ffmpeg to use instead of the bundled one.")
        Path ffmpeg;

        @Override
        public Integer call() throws Exception {
            if (seconds < 1 || seconds > 3600) throw SpoolError.invalid("--seconds", "must be between 1 and 3600");
            Rounds alternation = new Rounds(rounds);
            FfmpegTools tools = FfmpegTools.locate(ffmpeg);
            Path source = SampleCache.benchmarkClip(tools, seconds);
            LadderPlan plan = LadderPlan.of(new Probe(tools).probe(source), EncodeOptions.defaults());
            Path work = Files.createTempDirectory("spool-bench-");
            ExitCleanup.track(work);
            try {
                List<String> raw = LadderCommand.args(plan, source, work.resolve("raw"), false);
                System.out.println("raw ffmpeg command:\n  " + tools.ffmpeg().getFileName() + " " + quoted(raw));
                // both unpinned, both with ffmpeg's own thread count: the same ladder, the same machine
                Rounds.Result r = alternation
                        .variant("raw ffmpeg", Rounds.timed(() -> {
                            ExitCleanup.deleteTree(work.resolve("raw"));
                            rawLadder(tools, plan, raw, work.resolve("raw"), UnaryOperator.identity());
                        }))
                        .variant("spool run", round -> {
                            Path out = work.resolve("spool-" + round);
                            long start = System.nanoTime();
                            timeSpool(source, out);
                            double wall = (System.nanoTime() - start) / 1e9;
                            ExitCleanup.deleteTree(out);
                            return java.util.Map.of(Rounds.WALL, wall);
                        })
                        .run(System.out);
                System.out.printf(Locale.ROOT, "%nsource: %d s 1080p30, ladder %s + audio (%s, preset %s)%n", seconds,
                        plan.renditions().stream().map(Rendition::name).collect(Collectors.joining(",")),
                        plan.options().codec().encoder(), plan.options().preset());
                System.out.printf(Locale.ROOT, "%-28s %s%n", "raw ffmpeg ladder, s", Rounds.Spread.of(r.values("raw ffmpeg", Rounds.WALL)).format("%.2f"));
                System.out.printf(Locale.ROOT, "%-28s %s%n", "spool run (JVM start incl.)", Rounds.Spread.of(r.values("spool run", Rounds.WALL)).format("%.2f"));
                System.out.printf(Locale.ROOT, "%-28s %s  (target <= 1.05)%n", "ratio spool / raw, median",
                        Rounds.Spread.of(r.ratios("spool run", "raw ffmpeg", Rounds.WALL)).format("%.3f"));
                return 0;
            } finally {
                ExitCleanup.deleteQuietly(work);
                ExitCleanup.untrack(work);
            }
        }

        /** Runs `spool run` as a new process, through the launcher when there is one, so JVM start is counted. */
        private void timeSpool(Path source, Path out) {
            List<String> command = new ArrayList<>();
            String launcher = System.getenv("SPOOL_LAUNCHER");
            if (launcher != null && Files.isExecutable(Path.of(launcher))) {
                command.add(launcher);
            } else {
                command.add(ProcessHandle.current().info().command().orElse("java"));
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), Spool.class.getName()));
            }
            command.addAll(List.of("run", source.toString(), out.toString(), "--json"));
            if (ffmpeg != null) command.addAll(List.of("--ffmpeg", ffmpeg.toString()));
            ToolProcess.Result result = ToolProcess.run("spool run", new ProcessBuilder(command), line -> { });
            if (!result.ok()) throw SpoolError.encoder("spool run failed: " + result.lastError());
        }

        private static String quoted(List<String> args) {
            return args.stream().map(a -> a.matches("[A-Za-z0-9_./:=+%,-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                    .collect(Collectors.joining(" "));
        }
    }
}
