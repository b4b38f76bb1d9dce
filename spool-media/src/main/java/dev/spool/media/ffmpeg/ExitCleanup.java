package dev.spool.media.ffmpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What must not outlive Spool when it is stopped by Ctrl-C or SIGTERM: child processes are killed
 * first, then staging directories are deleted, so no ffmpeg keeps writing into a directory that is
 * being removed. One JVM shutdown hook does both, in that order (separate hooks would run in parallel).
 */
public final class ExitCleanup {
    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();
    private static final Set<java.util.function.Supplier<String>> STOP_LINES = ConcurrentHashMap.newKeySet();
    private static volatile boolean shuttingDown;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::runAll, "spool-exit-cleanup"));
    }

    private ExitCleanup() {}

    public static void track(Process process) { PROCESSES.add(process); }

    public static void untrack(Process process) { PROCESSES.remove(process); }

    public static void track(Path directory) { DIRECTORIES.add(directory); }

    public static void untrack(Path directory) { DIRECTORIES.remove(directory); }

    /** Says what a stop interrupted, once it has been cleaned up; closed when the work ends by itself. */
    public interface StopLine extends AutoCloseable {
        @Override void close();
    }

    /**
     * A line for stderr if the JVM is stopped (Ctrl-C, SIGTERM) before the returned handle is closed:
     * printed after the children are killed and the staging deleted, so it can say OUT is untouched.
     */
    public static StopLine sayOnStop(java.util.function.Supplier<String> line) {
        STOP_LINES.add(line);
        return () -> STOP_LINES.remove(line);
    }

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
        for (var line : STOP_LINES) System.err.println(line.get());
        System.err.flush();
    }

    /**
     * Deletes a directory tree; used for staging areas that failed or were abandoned. Serialized,
     * because the shutdown hook and the interrupted run may both be removing the same tree.
     */
    public static synchronized void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) throw e;
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    public static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | RuntimeException ignored) {
            // best effort at exit; a stale staging directory is removed by the next run (StagedOutput)
        }
    }
}
