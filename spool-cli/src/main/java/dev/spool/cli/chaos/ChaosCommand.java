package dev.spool.cli.chaos;

import dev.spool.coordinator.queue.LocalPostgres;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.ffmpeg.ExitCleanup;
import dev.spool.model.SpoolError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code spool chaos}: a bounded, reproducible fault campaign on this machine. A coordinator on
 * SQLite (or two on a PostgreSQL it starts itself) and N workers run as separate processes; M jobs
 * of generated clips are submitted while seeded faults hit them; then every job and output is
 * audited. Exit 0 when nothing was lost, stuck, doubled or committed by a refused lease, else 1.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a fault campaign against a coordinator and workers on this machine, then audit every job.",
                "Exit 0 when every job completed and verified with nothing lost, stuck, doubled or committed by a",
                "refused lease; 1 otherwise."})
public final class ChaosCommand implements Callable<Integer> {
    /** Short, so that faults resolve within seconds: a silent worker loses its tasks after this long. */
    static final Duration WORKER_TIMEOUT = Duration.ofSeconds(6);

    @Option(names = "--workers", defaultValue = "3", paramLabel = "N", description = "Worker processes. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--jobs", defaultValue = "12", paramLabel = "M", description = "Jobs submitted. Default: ${DEFAULT-VALUE}.")
    int jobs;

    @Option(names = "--faults", defaultValue = "8", paramLabel = "F", description = "Faults injected. Default: ${DEFAULT-VALUE}.")
    int faults;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the job mix and the fault schedule (default: random, printed).")
    Long seed;

    @Option(names = "--pg", description = "Two coordinators on one PostgreSQL that the campaign starts itself (Debian's binaries).")
    boolean pg;

    @Option(names = "--dir", paramLabel = "DIR", description = "Work directory, absent or empty (default: a temporary one, deleted on success).")
    Path dir;

    @Option(names = "--timeout", defaultValue = "900", paramLabel = "SECONDS", description = "Bound on the whole campaign. Default: ${DEFAULT-VALUE}.")
    int timeout;

    @Option(names = "--clip-seconds", defaultValue = "16", paramLabel = "S", description = "Longest generated clip. Default: ${DEFAULT-VALUE}.")
    int clipSeconds;

    @Option(names = "--json", description = "One JSON object per line: each fault, then the summary.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        check();
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000);
        FfmpegTools tools = FfmpegTools.locate(null);
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("spool-chaos-") : prepared(dir);
        Narration say = new Narration(System.out, json);
        Campaign.Settings settings = new Campaign.Settings(s, workers, jobs, faults, clipSeconds,
                Duration.ofSeconds(timeout), WORKER_TIMEOUT);
        String setup = "seed " + s + ", " + (pg ? "2 coordinators on PostgreSQL" : "1 coordinator on SQLite") + ", " + workers
                + " workers, " + jobs + " jobs, " + faults + " faults";
        say.note(0, "spool chaos: " + setup + "; work in " + work + " (reproduce with --seed " + s + ")");
        Campaign.Outcome outcome;
        try {
            outcome = run(settings, work, tools, say);
        } catch (SpoolError e) {
            System.err.println("spool: the campaign could not run; its directory is kept: " + work + " (logs in " + work.resolve("logs") + ")");
            throw e;
        }
        if (json) say.print(Report.json(setupJson(s, work), outcome));
        else Report.text(System.out, setup, outcome);
        boolean ok = outcome.audit().ok();
        if (ok && temporary) ExitCleanup.deleteQuietly(work);
        else if (!ok) System.err.println("spool: chaos found problems; the campaign's directory is kept: " + work + " (logs in "
                + work.resolve("logs") + ")");
        return ok ? 0 : 1;
    }

    private Campaign.Outcome run(Campaign.Settings settings, Path work, FfmpegTools tools, Narration say) {
        LocalPostgres postgres = pg ? LocalPostgres.start() : null;
        ChaosCluster cluster = new ChaosCluster(work, new ChaosCluster.Settings(workers, pg ? 2 : 1,
                postgres == null ? null : postgres.createDatabase("spool"), WORKER_TIMEOUT));
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                cluster.close();
                if (postgres != null) postgres.close();
            }
        };
        Thread hook = new Thread(stop, "spool-chaos-stop");   // Ctrl-C leaves no process behind
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return new Campaign(settings, work, tools, say).run(cluster);
        } finally {
            stop.run();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    private void check() {
        if (workers < 1 || workers > 16) throw SpoolError.invalid("--workers", "must be between 1 and 16, not " + workers);
        if (jobs < 1 || jobs > 200) throw SpoolError.invalid("--jobs", "must be between 1 and 200, not " + jobs);
        if (faults < 0 || faults > 100) throw SpoolError.invalid("--faults", "must be between 0 and 100, not " + faults);
        if (timeout < 30 || timeout > 86_400) throw SpoolError.invalid("--timeout", "must be between 30 and 86400 seconds, not " + timeout);
        if (clipSeconds < JobMix.MIN_SPLIT_SECONDS || clipSeconds > 120)
            throw SpoolError.invalid("--clip-seconds", "must be between " + JobMix.MIN_SPLIT_SECONDS + " and 120, not " + clipSeconds);
    }

    /** The user's --dir: created when absent; refused when it already holds something. */
    private static Path prepared(Path dir) {
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) throw SpoolError.invalid("--dir", "is not a directory: " + dir);
            Files.createDirectories(dir);
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) throw SpoolError.invalid("--dir", "must be empty or absent: " + dir);
            }
            return dir.toAbsolutePath();
        } catch (IOException e) {
            throw SpoolError.output(dir.toString(), "cannot be created: " + e.getMessage());
        }
    }

    private Map<String, Object> setupJson(long s, Path work) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("seed", s);
        v.put("database", pg ? "postgresql" : "sqlite");
        v.put("coordinators", pg ? 2 : 1);
        v.put("workers", workers);
        v.put("faults_planned", faults);
        v.put("dir", work.toString());
        return v;
    }
}
