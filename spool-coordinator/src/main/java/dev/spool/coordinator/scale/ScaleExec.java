package dev.spool.coordinator.scale;

import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code --scale-exec}: a program run with the desired count as its last argument whenever a pool's
 * count changes, e.g. a script that starts or stops workers on other machines or calls a cloud API.
 * An argument list, never a shell. Its environment has SPOOL_DESIRED_WORKERS, SPOOL_PREVIOUS_WORKERS,
 * SPOOL_POOL and SPOOL_DRAIN_WORKERS (the ids told to drain, comma-separated; they exit by themselves
 * once their task is done). Runs one at a time, in order; its exit code and output are logged; one
 * still running after the timeout is killed (itself: what it started in the background is its business).
 */
public final class ScaleExec implements Actuator, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ScaleExec.class.getName());
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** The output logged at most: a chatty script must not flood the log. */
    static final int LOGGED_CHARS = 4000;

    private final List<String> command;
    private final Duration timeout;
    private final ExecutorService runs = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("spool-scale-exec").factory());

    public ScaleExec(List<String> command, Duration timeout) {
        if (command == null || command.isEmpty() || command.getFirst().isBlank())
            throw SpoolError.invalid("--scale-exec", "needs a program to run");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw SpoolError.invalid("--scale-exec-timeout", "must be more than 0");
        this.command = List.copyOf(command);
        this.timeout = timeout;
    }

    @Override
    public boolean drains() { return true; }

    @Override
    public void scaled(String pool, int previous, int desired, List<String> drained) {
        runs.execute(() -> run(pool, previous, desired, drained));
    }

    /** Runs the program once and waits for it (at most the timeout); returns its exit code, -1 when killed or it could not start. */
    int run(String pool, int previous, int desired, List<String> drained) {
        List<String> args = new ArrayList<>(command);
        args.add(Integer.toString(desired));
        Path output = null;
        try {
            // a file, not a pipe: workers the script starts in the background inherit its output and would hold a pipe open
            output = Files.createTempFile("spool-scale-exec", ".log");
            ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("SPOOL_DESIRED_WORKERS", Integer.toString(desired));
            pb.environment().put("SPOOL_PREVIOUS_WORKERS", Integer.toString(previous));
            pb.environment().put("SPOOL_POOL", pool);
            pb.environment().put("SPOOL_DRAIN_WORKERS", String.join(",", drained));
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                LOG.log(System.Logger.Level.WARNING, "--scale-exec " + command.getFirst() + " " + desired + " (pool " + pool
                        + ") was still running after " + timeout.toSeconds() + " s and was killed; output: " + tail(output));
                return -1;
            }
            int code = p.exitValue();
            LOG.log(code == 0 ? System.Logger.Level.INFO : System.Logger.Level.WARNING, "--scale-exec " + command.getFirst() + " " + desired
                    + " (pool " + pool + ") exited " + code + "; output: " + tail(output));
            return code;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "--scale-exec " + command.getFirst() + " could not run: " + e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            if (output != null) try {
                Files.deleteIfExists(output);
            } catch (IOException ignored) {
                // a temporary file left behind
            }
        }
    }

    private static String tail(Path output) throws IOException {
        String text = new String(Files.readAllBytes(output), StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) return "(none)";
        return text.length() <= LOGGED_CHARS ? text : "..." + text.substring(text.length() - LOGGED_CHARS);
    }

    public String describe() {
        return "--scale-exec " + String.join(" ", command) + " (timeout " + timeout.toSeconds() + " s)";
    }

    @Override
    public void close() {
        runs.shutdownNow();
    }
}
