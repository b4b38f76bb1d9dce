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
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server for tests: S3Proxy (Maven Central, copied to target/s3proxy by the
 * build) on loopback, keeping its buckets as directories under a data directory, so it can be
 * stopped and started again on the same port with its objects (and multipart uploads) intact.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "spool-test";
    public static final String SECRET_KEY = "spool-test-secret";

    private final Path dir;
    private final int port;
    private Process process;

    S3Server(Path dir) throws IOException {
        this.dir = dir;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir.resolve("data"));
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

    public void start() throws Exception {
        Path jar = Path.of("target/s3proxy/s3proxy.jar").toAbsolutePath();
        if (!Files.exists(jar)) throw new IllegalStateException(jar + " is missing: the build copies it (mvn generate-test-resources)");
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--properties", dir.resolve("s3proxy.conf").toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line; (line = out.readLine()) != null; ) {
            if (line.contains("Started Server")) break;
            if (System.nanoTime() > deadline) throw new IllegalStateException("S3Proxy did not start: " + line);
        }
        if (!process.isAlive()) throw new IllegalStateException("S3Proxy exited: " + process.exitValue());
        Thread.ofVirtual().start(() -> {
            try {
                while (out.readLine() != null) { }
            } catch (IOException ignored) {
                // the server was stopped
            }
        });
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
