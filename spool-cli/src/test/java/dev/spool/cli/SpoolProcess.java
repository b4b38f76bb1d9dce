package dev.spool.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code spool.jar} as a separate process, as a user would. */
final class SpoolProcess {
    static final Path JAR = Path.of(System.getProperty("spool.jar", "target/spool.jar"));
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    /** What a finished process printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private SpoolProcess() {}

    static ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(java.util.Map.of(), args);
    }

    /** The same, with these variables added to its environment. */
    static Result run(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = builder(args);
        builder.environment().putAll(env);
        Process p = builder.start();
        byte[][] streams = new byte[2][];
        Thread stdout = Thread.ofVirtual().start(() -> streams[0] = readAll(p.getInputStream()));
        Thread stderr = Thread.ofVirtual().start(() -> streams[1] = readAll(p.getErrorStream()));
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("spool " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        stdout.join();
        stderr.join();
        return new Result(p.exitValue(), new String(streams[0], StandardCharsets.UTF_8), new String(streams[1], StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
