package dev.spool.cli.chaos;

import dev.spool.cli.ListeningLine;
import dev.spool.model.protocol.Api;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.SpoolError;
import dev.spool.model.client.HttpApi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.OptionalInt;

/**
 * The coordinators and workers of a campaign as separate processes on loopback, each started with
 * this JVM's own java and class path, its output appended to DIR/logs/NAME.log. Coordinators keep
 * their port and data across restarts; workers keep their --id and cache.
 */
final class ChaosCluster implements AutoCloseable {
    static final Duration CALL = Duration.ofSeconds(20);
    /** How long a client call keeps trying while no coordinator answers (one may be restarting). */
    static final Duration UNREACHABLE_FOR = Duration.ofSeconds(90);
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /** What the processes are started with. */
    record Settings(int workers, int coordinators, String dbUrl, Duration workerTimeout) {
        Settings {
            if (workers < 1) throw new IllegalArgumentException("workers must be 1 or more, not " + workers);
            if (coordinators < 1 || coordinators > 1 && dbUrl == null)
                throw new IllegalArgumentException("coordinators must be 1, or more on PostgreSQL, not " + coordinators);
        }
    }

    private final Path dir;
    private final Settings settings;
    private final int[] ports;
    private final Process[] coordinators;
    private final Process[] workers;
    private String clientToken;
    private String joinToken;

    ChaosCluster(Path dir, Settings settings) {
        this.dir = dir;
        this.settings = settings;
        this.ports = new int[settings.coordinators()];   // 0 until each first listens on the port the kernel gave it
        this.coordinators = new Process[settings.coordinators()];
        this.workers = new Process[settings.workers()];
    }

    static String coordinatorName(int i) {
        return "c" + (i + 1);
    }

    static String workerName(int i) {
        return "w" + (i + 1);
    }

    String url(int coordinator) {
        return "http://127.0.0.1:" + ports[coordinator];
    }

    int coordinatorCount() {
        return coordinators.length;
    }

    int workerCount() {
        return workers.length;
    }

    /**
     * Starts (or restarts) coordinator i and returns once it listens. The first start takes a port
     * the kernel gives it ({@code --port 0}), so campaigns side by side never race for one; a
     * restart takes the same port, which the workers have in their coordinator lists.
     */
    void startCoordinator(int i) {
        List<String> args = new ArrayList<>(List.of("coordinator", "--host", "127.0.0.1", "--port", Integer.toString(ports[i]),
                "--data", dir.resolve("data").toString(), "--worker-timeout", Long.toString(settings.workerTimeout().toSeconds()),
                "--heartbeat", "1", "--retry-delay", "1"));
        if (settings.dbUrl() != null) args.addAll(List.of("--db", settings.dbUrl()));
        coordinators[i] = launch(coordinatorName(i), args);
        ports[i] = awaitListening(i);
        if (clientToken == null) readTokens();
    }

    /** The port in coordinator i's "listening on" line of this start, once it prints one. */
    private int awaitListening(int i) {
        String name = coordinatorName(i);
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            OptionalInt port = ListeningLine.port(thisStart(name));
            if (port.isPresent()) return port.getAsInt();
            if (!coordinators[i].isAlive() || Instant.now().isAfter(deadline))
                throw SpoolError.environment("coordinator " + name + " did not start: " + lastWords(name) + " (see " + log(name) + ")");
            Pause.quietly(Duration.ofMillis(100));
        }
    }

    /** What a process's log holds since it was last started (each start appends to the log). */
    private String thisStart(String name) {
        try {
            String log = Files.readString(log(name));
            return log.substring(Math.max(0, log.lastIndexOf(startMarker(name))));
        } catch (IOException e) {
            return "";
        }
    }

    private static String startMarker(String name) {
        return "=== " + name + " started at ";
    }

    /** Starts (or restarts, under the same --id) worker i; it registers on its own once its probe is done. */
    void startWorker(int i) {
        List<String> urls = new ArrayList<>();
        int first = i % coordinators.length;
        // every coordinator, its own first: a worker whose coordinator dies moves to the next, keeping its leases
        for (int k = 0; k < coordinators.length; k++) urls.add(url((first + k) % coordinators.length));
        String name = workerName(i);
        workers[i] = launch(name, List.of("worker", "--coordinator", String.join(",", urls), "--id", name, "--token", joinToken,
                "--cache", dir.resolve("cache-" + name).toString(), "--root", dir.toString(), "--progress-interval", "0.5"));
    }

    Process coordinator(int i) {
        return coordinators[i];
    }

    Process worker(int i) {
        return workers[i];
    }

    /** Waits until every worker has registered with the coordinators. */
    void awaitWorkers(Instant deadline) {
        while (true) {
            JsonNode list = call("GET", Api.WORKERS, null).path("workers");
            long live = 0;
            for (JsonNode w : list) if (!w.path("status").asText().equalsIgnoreCase("OFFLINE")) live++;
            if (live >= workers.length) return;
            for (int i = 0; i < workers.length; i++)
                if (!workers[i].isAlive())
                    throw SpoolError.environment("worker " + workerName(i) + " exited with " + workers[i].exitValue()
                            + " before registering: " + lastWords(workerName(i)) + " (see " + log(workerName(i)) + ")");
            if (Instant.now().isAfter(deadline)) throw SpoolError.environment("only " + live + " of " + workers.length + " workers registered in time");
            Pause.quietly(Duration.ofMillis(250));
        }
    }

    /**
     * A client call to the first coordinator that answers, in order; while none does (a restart),
     * it keeps trying for {@link #UNREACHABLE_FOR}. Other errors are the API's answer and are thrown.
     */
    JsonNode call(String method, String path, Object body) {
        Instant deadline = Instant.now().plus(UNREACHABLE_FOR);
        while (true) {
            SpoolError last = null;
            for (int i = 0; i < coordinators.length; i++) {
                if (coordinators[i] == null || !coordinators[i].isAlive()) continue;
                try {
                    return new HttpApi(url(i), clientToken).call(method, path, body, CALL);
                } catch (SpoolError e) {
                    if (!"coordinator".equals(e.field())) throw e;
                    last = e;
                }
            }
            if (Instant.now().isAfter(deadline))
                throw last != null ? last : SpoolError.storage("no coordinator is running");
            Pause.quietly(Duration.ofMillis(200));
        }
    }

    /** Sends a signal (KILL, STOP, CONT) to a process and, for a worker, to its ffmpeg children too. */
    static void signal(Process p, String signal, boolean withChildren) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        if (withChildren) p.descendants().forEach(d -> command.add(Long.toString(d.pid())));
        command.add(Long.toString(p.pid()));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(10, TimeUnit.SECONDS);
            if (signal.equals("KILL")) p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw SpoolError.environment("cannot run kill: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpoolError.interrupted("interrupted");
        }
    }

    Path log(String name) {
        return dir.resolve("logs").resolve(name + ".log");
    }

    /** The last line a process wrote that starts with "spool:", its one-line complaint. */
    String lastWords(String name) {
        try {
            List<String> lines = Files.readAllLines(log(name)).stream().filter(l -> l.startsWith("spool:")).toList();
            return lines.isEmpty() ? "(nothing said)" : lines.getLast();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private Process launch(String name, List<String> args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.spool.cli.Spool"));
        command.addAll(args);
        try {
            Files.createDirectories(log(name).getParent());
            Files.writeString(log(name), startMarker(name) + Instant.now() + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile())).start();
        } catch (IOException e) {
            throw SpoolError.environment("cannot start " + name + ": " + e.getMessage());
        }
    }

    private void readTokens() {
        try {
            for (String line : Files.readAllLines(dir.resolve("data/tokens"))) {
                if (line.startsWith("SPOOL_TOKEN=")) clientToken = line.substring(12);
                if (line.startsWith("SPOOL_JOIN_TOKEN=")) joinToken = line.substring(17);
            }
        } catch (IOException e) {
            throw SpoolError.environment("the coordinator wrote no tokens file in " + dir.resolve("data") + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>();
        for (Process p : workers) if (p != null) all.add(p);
        for (Process p : coordinators) if (p != null) all.add(p);
        for (Process p : all) {
            if (p.isAlive()) signal(p, "CONT", true);   // a stopped process cannot die until it runs
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : all) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
