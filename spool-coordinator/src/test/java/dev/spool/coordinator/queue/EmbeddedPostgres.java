package dev.spool.coordinator.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, run from the distribution's binaries (no Docker): one per
 * test JVM, started on first use, stopped and deleted when the JVM exits.
 */
final class EmbeddedPostgres {
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    static final String SUPERUSER = "spool";
    /** The account that runs the server when tests run as root, which PostgreSQL refuses. */
    static final String SERVER_ACCOUNT = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final int PORT_ATTEMPTS = 3;

    private static EmbeddedPostgres shared;
    private static RuntimeException startFailure;

    private final Path bin;
    private final Path root;
    private final Path data;
    private final Path log;
    private final boolean asServerAccount;
    private int port;
    private Process server;

    private EmbeddedPostgres(Path bin, Path root, boolean asServerAccount) {
        this.bin = bin;
        this.root = root;
        this.data = root.resolve("data");
        this.log = root.resolve("server.log");
        this.asServerAccount = asServerAccount;
    }

    /** The JVM's server, started on the first call; a failed start is rethrown to later callers. */
    static synchronized EmbeddedPostgres shared() {
        if (startFailure != null) throw startFailure;
        if (shared == null) {
            try {
                shared = start();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return shared;
    }

    int port() {
        return port;
    }

    /** Drops any database of this name (closing its connections) and creates it anew; returns its URL. */
    synchronized String createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches())
            throw new IllegalArgumentException("name must match " + DATABASE_NAME + ", got '" + name + "'");
        try (Connection admin = DriverManager.getConnection(url("postgres"));
             Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            sql.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
    }

    private static EmbeddedPostgres start() {
        Instant begun = Instant.now();
        boolean asRoot = isRoot();
        EmbeddedPostgres pg;
        try {
            Path dir = Files.createTempDirectory("spool-pg-");
            if (asRoot) ownByServerAccount(dir);
            pg = new EmbeddedPostgres(binaries(), dir, asRoot);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare a directory for PostgreSQL", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(pg::stopAndDelete, "embedded-postgres-stop"));
        pg.initdb();
        pg.launch();
        System.err.printf("EmbeddedPostgres: %s on 127.0.0.1:%d ready in %d ms (data in %s)%n",
                pg.bin, pg.port, Duration.between(begun, Instant.now()).toMillis(), pg.root);
        return pg;
    }

    private void initdb() {
        // --no-sync: a test cluster need not survive a crash; C locale keeps sorting identical everywhere.
        List<String> command = command("initdb", "-D", data.toString(), "-U", SUPERUSER, "--auth=trust",
                "--encoding=UTF8", "--locale=C", "--no-sync");
        try {
            Process initdb = process(command).redirectOutput(log.toFile()).start();
            if (!initdb.waitFor(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                initdb.destroyForcibly();
                throw failure("timed out after " + STARTUP_TIMEOUT, command);
            }
            if (initdb.exitValue() != 0) throw failure("exited with " + initdb.exitValue(), command);
        } catch (IOException e) {
            throw failure("could not run (" + e.getMessage() + ")", command);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted", command);
        }
    }

    /** Runs postgres as our child, so that an early exit (say, a port taken since we probed it) shows at once. */
    private void launch() {
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            List<String> command = command("postgres", "-D", data.toString(), "-p", String.valueOf(port),
                    "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + root,
                    "-c", "max_connections=300",
                    // Durability is not under test, and these make each commit far cheaper.
                    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
            try {
                server = process(command).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            } catch (IOException e) {
                throw failure("could not run (" + e.getMessage() + ")", command);
            }
            if (awaitConnection()) return;
            boolean portTaken = !server.isAlive() && logTail().contains("could not bind");
            if (!portTaken || attempt == PORT_ATTEMPTS)
                throw failure(server.isAlive() ? "accepted no connection within " + STARTUP_TIMEOUT
                        : "exited with " + server.exitValue(), command);
        }
    }

    /** Polls until a connection succeeds (true), the server exits (false), or the deadline passes (false). */
    private boolean awaitConnection() {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        Properties timeouts = new Properties();
        timeouts.setProperty("connectTimeout", "2");
        timeouts.setProperty("loginTimeout", "2");
        while (Instant.now().isBefore(deadline)) {
            try {
                DriverManager.getConnection(url("postgres"), timeouts).close();
                return true;
            } catch (SQLException notYet) {
                if (!server.isAlive()) return false;
            }
            try {
                Thread.sleep(POLL_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void stopAndDelete() {
        if (server != null && server.isAlive()) {
            try {
                // -m immediate: the cluster is thrown away, so a clean checkpoint is wasted time.
                process(command("pg_ctl", "stop", "-D", data.toString(), "-m", "immediate", "-w"))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
                if (!server.waitFor(5, TimeUnit.SECONDS)) server.destroyForcibly();
            } catch (IOException | InterruptedException e) {
                server.destroyForcibly();
            }
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("EmbeddedPostgres: could not delete " + root + ": " + e);
        }
    }

    private List<String> command(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (asServerAccount) command.addAll(List.of("runuser", "-u", SERVER_ACCOUNT, "--"));
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        return command;
    }

    /** The server account may not be able to enter our working directory, so commands run in the temp dir. */
    private ProcessBuilder process(List<String> command) {
        return new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
    }

    private IllegalStateException failure(String what, List<String> command) {
        return new IllegalStateException("PostgreSQL did not start: " + what + "\n  command: "
                + String.join(" ", command) + "\n  log " + log + " ends with:\n" + logTail());
    }

    private String logTail() {
        try {
            // Decoded leniently: a log in the server's locale must not hide the failure it explains.
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SPOOL_PG_BIN if set, else the newest major version under /usr/lib/postgresql (Debian's layout). */
    private static Path binaries() throws IOException {
        String override = System.getenv("SPOOL_PG_BIN");
        if (override != null && !override.isBlank()) return Path.of(override);
        Path versions = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(versions))
            throw new IllegalStateException("no PostgreSQL under " + versions + "; set SPOOL_PG_BIN to its bin directory");
        try (Stream<Path> dirs = Files.list(versions)) {
            return dirs.filter(d -> d.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .filter(d -> Files.isExecutable(d.resolve("bin/postgres")))
                    .max(Comparator.comparingDouble(d -> Double.parseDouble(d.getFileName().toString())))
                    .map(d -> d.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException(
                            "no bin/postgres under " + versions + "/*; set SPOOL_PG_BIN to its bin directory"));
        }
    }

    private static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /** initdb then creates data/ inside with the 0700 mode and owner PostgreSQL insists on. */
    private static void ownByServerAccount(Path dir) throws IOException {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName(SERVER_ACCOUNT));
        view.setGroup(users.lookupPrincipalByGroupName(SERVER_ACCOUNT));
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
