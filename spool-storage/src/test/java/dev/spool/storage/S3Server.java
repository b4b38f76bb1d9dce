package dev.spool.storage;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server for tests: S3Proxy (Maven Central, copied to target/s3proxy by the
 * build) on loopback, keeping its buckets as directories under a data directory, so it can be
 * stopped and started again on the same port with its objects (and multipart uploads) intact.
 * S3Proxy takes no port 0, so its first start probes for a free port, and tries another when a
 * test JVM beside this one took that port in between.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "spool-test";
    public static final String SECRET_KEY = "spool-test-secret";

    private static final int PORT_ATTEMPTS = 5;
    private static final String STARTED = "Started Server";

    private final Path dir;
    private int port;   // 0 until the first start has found one
    private Process process;

    S3Server(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("data"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void configure() throws IOException {
        Files.writeString(dir.resolve("s3proxy.conf"), String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dir.resolve("data")) + "\n");
    }

    public static S3Server start(Path dir) throws Exception {
        S3Server server = new S3Server(dir);
        server.start();
        return server;
    }

    /** Starts the server: on the port it had, or first on a free one. */
    public void start() throws Exception {
        boolean first = port == 0;
        for (int attempt = 1; ; attempt++) {
            if (first) {
                port = freePort();
                configure();
            }
            List<String> said = launch();
            if (!said.isEmpty() && said.getLast().contains(STARTED)) return;
            boolean taken = said.stream().anyMatch(l -> l.contains("Address already in use"));
            if (!first || !taken || attempt == PORT_ATTEMPTS)
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ": " + String.join("\n", said));
        }
    }

    /** Runs S3Proxy and reads its output until it has started (its last line is then {@link #STARTED}) or exited. */
    private List<String> launch() throws IOException {
        Path jar = Path.of("target/s3proxy/s3proxy.jar").toAbsolutePath();
        if (!Files.exists(jar)) throw new IllegalStateException(jar + " is missing: the build copies it (mvn generate-test-resources)");
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--properties", dir.resolve("s3proxy.conf").toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        List<String> said = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line; (line = out.readLine()) != null; ) {
            said.add(line);
            if (line.contains(STARTED)) break;
            if (System.nanoTime() > deadline) throw new IllegalStateException("S3Proxy did not start: " + line);
        }
        if (said.isEmpty() || !said.getLast().contains(STARTED)) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return said;
        }
        Thread.ofVirtual().start(() -> {
            try {
                while (out.readLine() != null) { }
            } catch (IOException ignored) {
                // the server was stopped
            }
        });
        return said;
    }

    /** Kills the server at once (SIGKILL): connections in flight are cut. */
    public void stop() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public URI endpoint() { return URI.create("http://127.0.0.1:" + port); }

    public int port() { return port; }

    public S3Settings settings() {
        return new S3Settings(endpoint(), "us-east-1", true, ACCESS_KEY, SECRET_KEY);
    }

    /** A plain SDK client for the test's own setup and checks. */
    public S3Client client() {
        // S3Proxy does not take the SDK's newer streaming checksums (aws-chunked trailers): only when required
        return S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))).build();
    }

    public void createBucket(String name) {
        try (S3Client s3 = client()) {
            s3.createBucket(r -> r.bucket(name));
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) stop();
    }
}
