package dev.spool.coordinator.queue;

import dev.spool.model.SpoolError;

import java.io.IOException;
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
 * A throw-away PostgreSQL server run from the distribution's binaries (Debian's
 * /usr/lib/postgresql/VERSION/bin, or SPOOL_PG_BIN), for chaos campaigns ({@code spool chaos --pg})
 * and the tests: initdb into a temporary directory, the server on a free loopback port, databases made
 * on demand; stopped and deleted by {@link #close()}. As root the server runs as the {@code postgres}
 * account, because PostgreSQL refuses to run as root. Durability is off: nothing here is kept.
 */
public final class LocalPostgres implements AutoCloseable {
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    static final String SUPERUSER = "spool";
    static final String SERVER_ACCOUNT = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final int PORT_ATTEMPTS = 3;

    private final Path bin;
    private final Path root;
    private final boolean asServerAccount;
    private int port;
    private Process server;

    private LocalPostgres(Path bin, Path root, boolean asServerAccount) {
        this.bin = bin;
        this.root = root;
        this.asServerAccount = asServerAccount;
    }

    /** Starts a server, or says plainly why it cannot. */
    public static LocalPostgres start() {
        Path bin = binaries();
        boolean asRoot = new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        LocalPostgres pg;
        try {
            Path root = Files.createTempDirectory("spool-chaos-pg-");
            if (asRoot) ownByServerAccount(root);
            pg = new LocalPostgres(bin, root, asRoot);
        } catch (IOException e) {
            throw SpoolError.environment("cannot prepare a directory for PostgreSQL: " + e.getMessage());
        }
        try {
            pg.run("initdb", "-D", pg.data().toString(), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync");
            pg.launch();
            return pg;
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of a database on this server. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
    }

    private Path data() {
        return root.resolve("data");
    }

    private Path log() {
        return root.resolve("server.log");
    }

    private void run(String program, String... args) {
        List<String> command = command(program, args);
        try {
            Process p = process(command).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
            if (!p.waitFor(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw failure(program + " timed out after " + STARTUP_TIMEOUT.toSeconds() + " s");
            }
            if (p.exitValue() != 0) throw failure(program + " exited with " + p.exitValue());
        } catch (IOException e) {
            throw failure("cannot run " + program + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpoolError.interrupted("interrupted while starting PostgreSQL");
        }
    }

    /** The server as our child, so an early exit (a port taken since we probed it) shows at once. */
    private void launch() {
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            List<String> command = command("postgres", "-D", data().toString(), "-p", String.valueOf(port),
                    "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + root, "-c", "max_connections=300",
                    // a campaign's database is thrown away: durability is not what is under test here
                    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
            try {
                server = process(command).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
            } catch (IOException e) {
                throw failure("cannot run postgres: " + e.getMessage());
            }
            if (awaitConnection()) return;
            boolean portTaken = !server.isAlive() && logTail().contains("could not bind");
            if (!portTaken || attempt == PORT_ATTEMPTS)
                throw failure(server.isAlive() ? "postgres accepted no connection within " + STARTUP_TIMEOUT.toSeconds() + " s"
                        : "postgres exited with " + server.exitValue());
        }
    }

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
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Drops any database of this name (closing its connections) and creates it empty; returns its URL. */
    public synchronized String createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches())
            throw new IllegalArgumentException("a database name must match " + DATABASE_NAME + ", got '" + name + "'");
        try (Connection admin = DriverManager.getConnection(url("postgres")); Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            sql.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw SpoolError.environment("cannot create database " + name + " on the local PostgreSQL: " + e.getMessage());
        }
        return url(name);
    }

    @Override
    public void close() {
        if (server != null && server.isAlive()) {
            try {
                // -m immediate: the cluster is thrown away, a clean checkpoint would be wasted time
                process(command("pg_ctl", "stop", "-D", data().toString(), "-m", "immediate", "-w"))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
                if (!server.waitFor(5, TimeUnit.SECONDS)) server.destroyForcibly();
            } catch (IOException | InterruptedException e) {
                server.destroyForcibly();
            }
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            System.err.println("spool: could not delete " + root + ": " + e.getMessage());
        }
    }

    private List<String> command(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (asServerAccount) command.addAll(List.of("runuser", "-u", SERVER_ACCOUNT, "--"));
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        return command;
    }

    /** The server account may not be able to enter our working directory: commands run in its own. */
    private ProcessBuilder process(List<String> command) {
        return new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
    }

    private SpoolError failure(String what) {
        return SpoolError.environment("PostgreSQL did not start: " + what + "; its log " + log() + " ends with: " + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = new String(Files.readAllBytes(log()), StandardCharsets.UTF_8).lines().toList();
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** SPOOL_PG_BIN if set, else the newest version under /usr/lib/postgresql (Debian's layout). */
    private static Path binaries() {
        String override = System.getenv("SPOOL_PG_BIN");
        if (override != null && !override.isBlank()) return Path.of(override);
        Path versions = Path.of("/usr/lib/postgresql");
        try (Stream<Path> dirs = Files.isDirectory(versions) ? Files.list(versions) : Stream.empty()) {
            return dirs.filter(d -> d.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .filter(d -> Files.isExecutable(d.resolve("bin/postgres")))
                    .max(Comparator.comparingDouble(d -> Double.parseDouble(d.getFileName().toString())))
                    .map(d -> d.resolve("bin"))
                    .orElseThrow(() -> SpoolError.environment("--pg needs PostgreSQL's server binaries: none under " + versions
                            + "/*/bin (sudo apt-get install -y postgresql, or set SPOOL_PG_BIN)"));
        } catch (IOException e) {
            throw SpoolError.environment("cannot look for PostgreSQL under " + versions + ": " + e.getMessage());
        }
    }

    /** initdb then creates data/ inside with the 0700 mode and the owner PostgreSQL insists on. */
    private static void ownByServerAccount(Path dir) throws IOException {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        try {
            view.setOwner(users.lookupPrincipalByName(SERVER_ACCOUNT));
            view.setGroup(users.lookupPrincipalByGroupName(SERVER_ACCOUNT));
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw SpoolError.environment("--pg as root needs the '" + SERVER_ACCOUNT + "' account to run PostgreSQL "
                    + "(useradd --system " + SERVER_ACCOUNT + ")");
        }
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw SpoolError.environment("no free loopback port: " + e.getMessage());
        }
    }
}
