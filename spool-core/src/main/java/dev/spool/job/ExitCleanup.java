package dev.spool.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What must not outlive Spool when it is stopped by Ctrl-C or SIGTERM: child processes are killed
 * first, then staging directories are deleted, so no ffmpeg keeps writing into a directory that is
 * being removed. One JVM shutdown hook does both, in that order (separate hooks would run in parallel).
 */
public final class ExitCleanup {
    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();
    private static volatile boolean shuttingDown;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::runAll, "spool-exit-cleanup"));
    }

    private ExitCleanup() {}

    public static void track(Process process) { PROCESSES.add(process); }

    public static void untrack(Process process) { PROCESSES.remove(process); }

    public static void track(Path directory) { DIRECTORIES.add(directory); }

    public static void untrack(Path directory) { DIRECTORIES.remove(directory); }

    /** True once the JVM has begun to shut down: work in progress should stop, not report failure. */
    public static boolean shuttingDown() { return shuttingDown; }

    private static void runAll() {
        shuttingDown = true;
        for (Process p : PROCESSES) p.descendants().forEach(ProcessHandle::destroy);
        for (Process p : PROCESSES) p.destroy();
        for (Process p : PROCESSES) {
            try {
                if (!p.waitFor(3, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Path dir : DIRECTORIES) deleteQuietly(dir);
    }

    /** Deletes a directory tree; used for staging areas that failed or were abandoned. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    public static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | RuntimeException ignored) {
            // best effort at exit; a stale staging directory is removed by the next run (StagedOutput)
        }
    }
}
