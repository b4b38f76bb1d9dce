package dev.spool.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A {@code spool coordinator} process, started and read up to its "listening on" line. Started on
 * {@code --port 0} it takes a port the kernel gives it, so test JVMs running side by side never
 * race for one; the port it reports is then the one to call (and to restart on).
 */
record CoordinatorProcess(Process process, int port, List<String> startup) {
    /** Starts {@code spool coordinator ARGS} (give it {@code --port 0} for a free port); fails if it exits before listening. */
    static CoordinatorProcess start(List<String> args) throws IOException {
        return start(args, java.util.Map.of());
    }

    /** The same, with these variables added to its environment. */
    static CoordinatorProcess start(List<String> args, java.util.Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of("coordinator"));
        command.addAll(args);
        ProcessBuilder builder = SpoolProcess.builder(command.toArray(String[]::new)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(env);
        Process p = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        List<String> lines = new ArrayList<>();
        for (String line; (line = out.readLine()) != null; ) {
            lines.add(line);
            OptionalInt port = ListeningLine.port(line);
            if (port.isPresent()) {
                Thread.ofVirtual().start(() -> drain(out));
                return new CoordinatorProcess(p, port.getAsInt(), List.copyOf(lines));
            }
        }
        throw new AssertionError("spool " + String.join(" ", command) + " exited before listening:\n" + String.join("\n", lines));
    }

    /** Keeps the pipe flowing so the coordinator never blocks on a full one. */
    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) { /* discard */ }
        } catch (IOException ignored) {
            // it exited
        }
    }
}
