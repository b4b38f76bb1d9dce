package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.coordinator.testing.SelfSigned;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator on HTTPS from PEM files, as separate processes: a worker and the CLI that trust
 * its certificate with --tls-ca work as over HTTP, one that does not is told why; bad files are one
 * line naming the flag; listening beyond loopback in clear is warned about.
 */
class TlsIT {
    private static final String WARNING = "tokens cross the network in clear";
    @TempDir Path dir;
    private Cluster cluster;

    @BeforeEach
    void createCluster() throws Exception {
        cluster = new Cluster(dir);
    }

    @AfterEach
    void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void aWorkerTrustingTheCertificateRunsAJobThroughSpoolFilesAndTheCliSeesItWithTlsCa() throws Exception {
        SelfSigned identity = SelfSigned.write(dir, "coordinator");
        cluster.withTls(identity).startCoordinator();
        cluster.startWorker("secure", "--root", Files.createDirectories(dir.resolve("worker-disk")).toString());
        String ca = identity.cert().toString();

        // the input is uploaded to spool:// and the ladder written there: both sides' file clients go over TLS
        SpoolProcess.Result submitted = SpoolProcess.run("submit", TestMedia.small(1).toString(), "--output", "spool://outputs/tls",
                "--renditions", "240p", "--piece-seconds", "0", "--coordinator", cluster.url(), "--token", cluster.clientToken(), "--tls-ca", ca);
        assertThat(submitted.exitCode()).as(submitted.stderr()).isZero();
        String id = submitted.stdout().strip();
        JsonNode job = cluster.awaitJob(id, j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), Duration.ofMinutes(3));

        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(job.path("input").asText()).startsWith("spool://uploads/");
        Path fetched = dir.resolve("fetched");
        SpoolProcess.Result fetch = SpoolProcess.run("fetch", id, fetched.toString(), "--coordinator", cluster.url(),
                "--token", cluster.clientToken(), "--tls-ca", ca);
        assertThat(fetch.exitCode()).as(fetch.stderr()).isZero();
        Verified.output(fetched);
        SpoolProcess.Result jobs = SpoolProcess.run("jobs", "--coordinator", cluster.url(), "--token", cluster.clientToken(),
                "--tls-ca", identity.cert().toString());
        assertThat(jobs.exitCode()).as(jobs.stderr()).isZero();
        assertThat(jobs.stdout()).contains(id);
        ProcessBuilder fromEnv = SpoolProcess.builder("jobs", "--coordinator", cluster.url(), "--token", cluster.clientToken())
                .redirectErrorStream(true);
        fromEnv.environment().put("SPOOL_TLS_CA", identity.cert().toString());
        Process p = fromEnv.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("SPOOL_TLS_CA instead of the flag").contains(id);
    }

    @Test
    void aClientWithoutTheCaIsRefusedSayingTheCertificateIsNotTrusted() throws Exception {
        cluster.withTls(SelfSigned.write(dir, "coordinator")).startCoordinator();

        SpoolProcess.Result jobs = SpoolProcess.run("jobs", "--coordinator", cluster.url(), "--token", cluster.clientToken());
        SpoolProcess.Result plain = SpoolProcess.run("jobs", "--coordinator", cluster.url().replace("https:", "http:"),
                "--token", cluster.clientToken());

        assertThat(jobs.exitCode()).isNotZero();
        assertThat(jobs.stderr().strip()).startsWith("spool: ").contains("TLS certificate is not trusted", "--tls-ca")
                .doesNotContain("Exception", "sun.security").hasLineCount(1);
        assertThat(plain.exitCode()).isNotZero();
        assertThat(plain.stderr().strip()).contains("an https:// coordinator given as http://?").hasLineCount(1);
    }

    @Test
    void badCertificateKeyAndCaFilesAreOneLineNamingTheFlagAndTheFile() throws Exception {
        SelfSigned one = SelfSigned.write(dir, "one");
        SelfSigned other = SelfSigned.write(dir, "other");
        Path junk = Files.writeString(dir.resolve("junk.pem"), "hello\n");
        Path missing = dir.resolve("missing.pem");
        String data = dir.resolve("data").toString();

        expect(3, "spool: --tls-cert " + missing + ": does not exist",
                "coordinator", "--host", "127.0.0.1", "--port", "0", "--data", data, "--tls-cert", missing.toString(), "--tls-key", one.key().toString());
        expect(3, "spool: --tls-cert " + junk + ": ",
                "coordinator", "--host", "127.0.0.1", "--port", "0", "--data", data, "--tls-cert", junk.toString(), "--tls-key", one.key().toString());
        expect(3, "spool: --tls-key " + junk + ": ",
                "coordinator", "--host", "127.0.0.1", "--port", "0", "--data", data, "--tls-cert", one.cert().toString(), "--tls-key", junk.toString());
        expect(3, "spool: --tls-key " + other.key() + ": is not the private key of the certificate in " + one.cert(),
                "coordinator", "--host", "127.0.0.1", "--port", "0", "--data", data, "--tls-cert", one.cert().toString(), "--tls-key", other.key().toString());
        expect(2, "spool: --tls-key is required with --tls-cert",
                "coordinator", "--host", "127.0.0.1", "--port", "0", "--data", data, "--tls-cert", one.cert().toString());
        expect(3, "spool: --tls-ca " + junk + ": ",
                "jobs", "--coordinator", "https://127.0.0.1:1", "--token", "t", "--tls-ca", junk.toString());
        expect(3, "spool: --tls-ca " + missing + ": does not exist",
                "worker", "--coordinator", "https://127.0.0.1:1", "--token", "t", "--cache", dir.resolve("cache").toString(),
                "--tls-ca", missing.toString());
    }

    private static void expect(int exit, String start, String... args) throws Exception {
        SpoolProcess.Result r = SpoolProcess.run(args);
        assertThat(r.stderr().strip()).as("spool " + String.join(" ", args)).startsWith(start).hasLineCount(1)
                .doesNotContain("Exception", "bouncycastle", "at dev.");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(exit);
    }

    @Test
    void listeningOnAllInterfacesWithoutTlsWarnsAndOnLoopbackItDoesNot() throws Exception {
        assertThat(outputUntilListening("0.0.0.0")).contains("spool: warning: " + WARNING);
        assertThat(outputUntilListening("127.0.0.1")).doesNotContain(WARNING);
    }

    /** What a coordinator on this host prints (stdout and stderr) up to its "listening on" line. */
    private String outputUntilListening(String host) throws Exception {
        CoordinatorProcess c = CoordinatorProcess.start(List.of("--host", host, "--port", "0",
                "--data", dir.resolve("data-" + host).toString()));
        try {
            return String.join("\n", c.startup());
        } finally {
            c.process().destroyForcibly();
            c.process().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
