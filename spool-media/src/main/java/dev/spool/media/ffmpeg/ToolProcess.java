package dev.spool.media.ffmpeg;

import dev.spool.model.SpoolError;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs ffmpeg or ffprobe to completion: stdout goes line by line to a consumer, the tail of stderr
 * is kept for the error message (and fed to the task's {@link LiveStderr}, if it has one), and the process is killed if the caller is interrupted or the JVM
 * shuts down. A tool that cannot even start is reported as an environment problem, naming a
 * missing system library when that is the cause.
 */
public final class ToolProcess {
    private static final int STDERR_LINES_KEPT = 40;

    /** What a finished process left behind. */
    public record Result(int exitCode, List<String> stderrTail) {
        public boolean ok() { return exitCode == 0; }
        public String lastError() { return ToolFailure.lastLine(stderrTail); }
    }

    private ToolProcess() {}

    public static Result run(String toolName, ProcessBuilder builder, Consumer<String> stdoutLines) {
        return run(toolName, builder, stdoutLines, null);
    }

    /**
     * Runs a tool whose stdout is ffmpeg's {@code -progress} output, watched: when its position
     * stops advancing for the watch's timeout, the process is killed and a retryable ENCODER error
     * says it stalled and for how long. {@code watch} null: not watched.
     */
    public static Result run(String toolName, ProcessBuilder builder, Consumer<String> stdoutLines, StallWatch watch) {
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw SpoolError.environment("cannot start " + toolName + " (" + builder.command().get(0) + "): " + e.getMessage());
        }
        ExitCleanup.track(process);
        Deque<String> stderr = new ArrayDeque<>();
        LiveStderr live = LiveStderr.current();   // the task's live tail, fed by the same reader
        Thread errReader = Thread.ofVirtual().start(() -> drain(process, stderr, live));
        // stdout is read on its own thread so that this one waits in waitFor(), which an interrupt
        // (a cancelled job, a timeout) does stop; a blocked readLine() would not
        Thread outReader = Thread.ofVirtual().start(() -> readLines(process, watch == null ? stdoutLines : watch.watching(stdoutLines)));
        try {
            int exit = watch == null ? process.waitFor() : waitWatched(toolName, process, watch);
            outReader.join();
            errReader.join();
            List<String> tail;
            synchronized (stderr) {
                tail = List.copyOf(stderr);
            }
            if (exit != 0) {
                String all = String.join("\n", tail);
                ToolFailure.missingLibrary(all).ifPresent(lib -> {
                    throw ToolFailure.missingLibraryError(toolName, lib);
                });
                if (ExitCleanup.shuttingDown()) throw SpoolError.interrupted(toolName + " was stopped");
            }
            return new Result(exit, tail);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpoolError.interrupted(toolName + " was interrupted");
        } finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            ExitCleanup.untrack(process);
        }
    }

    private static int waitWatched(String toolName, Process process, StallWatch watch) throws InterruptedException {
        while (!process.waitFor(watch.checkEvery().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            var still = watch.stalled();
            if (still.isPresent()) {
                // killed in the finally below, before the error reaches the task
                throw new SpoolError(SpoolError.Code.ENCODER, null, toolName + " stalled: no progress for "
                        + still.get().toSeconds() + " s (stall timeout " + watch.timeout().toSeconds() + " s); it was stopped");
            }
        }
        return process.exitValue();
    }

    private static void readLines(Process process, Consumer<String> lines) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) lines.accept(line);
        } catch (IOException ignored) {
            // the process was killed; what it had to say is gone with it
        }
    }

    /** Runs a tool and returns its whole stdout (for ffprobe's JSON). */
    public static String capture(String toolName, ProcessBuilder builder, Consumer<Result> onFailure) {
        StringBuilder out = new StringBuilder();
        Result result = run(toolName, builder, line -> out.append(line).append('\n'));
        if (!result.ok()) onFailure.accept(result);
        return out.toString();
    }

    private static void drain(Process process, Deque<String> tail, LiveStderr live) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > STDERR_LINES_KEPT) tail.removeFirst();
                }
                if (live != null) live.add(line);
            }
        } catch (IOException ignored) {
            // the process was killed; its stderr is gone with it
        }
    }
}
