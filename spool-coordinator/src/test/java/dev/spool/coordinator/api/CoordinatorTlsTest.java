package dev.spool.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.coordinator.testing.SelfSigned;
import dev.spool.model.SpoolError;
import dev.spool.model.client.CoordinatorTrust;
import dev.spool.model.client.CoordinatorUrls;
import dev.spool.model.client.HttpApi;
import dev.spool.model.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorTlsTest {
    private static final Duration CALL = Duration.ofSeconds(20);
    @TempDir Path dir;
    private Coordinator coordinator;

    @AfterEach
    void stop() {
        if (coordinator != null) coordinator.close();
    }

    private int start(SelfSigned identity) {
        coordinator = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, dir.resolve("data"), null, Duration.ofSeconds(30),
                Duration.ofSeconds(1), CoordinatorApiContract.RETRY, Duration.ofMillis(200), null,
                identity == null ? null : new CoordinatorTls(identity.cert(), identity.key())), Clock.systemUTC());
        return coordinator.port();
    }

    private String token() throws Exception {
        return Files.readAllLines(dir.resolve("data/tokens")).stream().filter(l -> l.startsWith("SPOOL_TOKEN="))
                .map(l -> l.substring("SPOOL_TOKEN=".length())).findFirst().orElseThrow();
    }

    private static HttpApi client(String url, Path ca, String token) {
        CoordinatorUrls urls = CoordinatorUrls.parse(url).trusting(ca == null ? CoordinatorTrust.SYSTEM : CoordinatorTrust.fromPem(ca));
        return new HttpApi(urls, token);
    }

    @Test
    void aClientTrustingTheCertificateReachesTheApiOverHttps() throws Exception {
        SelfSigned identity = SelfSigned.write(dir, "server");
        int port = start(identity);

        var jobs = client("https://127.0.0.1:" + port, identity.cert(), token()).call("GET", "/api/v1/jobs", null, CALL);

        assertThat(jobs.isObject() || jobs.isArray()).as(jobs.toString()).isTrue();
    }

    @Test
    void theDashboardsSessionCookieIsSecureUnderTls() throws Exception {
        SelfSigned identity = SelfSigned.write(dir, "server");
        int port = start(identity);
        java.net.http.HttpClient http = CoordinatorTrust.fromPem(identity.cert()).client().build();

        var reply = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:" + port + "/api/v1/session"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token() + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Set-Cookie").orElseThrow())
                .matches("spool_session=[A-Za-z0-9_-]{22}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure");
    }

    @Test
    void aClientWithoutTheCaIsRefusedSayingTheCertificateIsNotTrusted() throws Exception {
        SelfSigned identity = SelfSigned.write(dir, "server");
        int port = start(identity);

        assertThatThrownBy(() -> client("https://127.0.0.1:" + port, null, token()).call("GET", "/api/v1/jobs", null, CALL))
                .isInstanceOf(SpoolError.class)
                .hasMessageContaining("TLS certificate is not trusted").hasMessageContaining("--tls-ca")
                .hasMessageNotContaining("sun.security").hasMessageNotContaining("Exception");
    }

    @Test
    void plainHttpToTheTlsPortIsNotServedAndTheMessageSuggestsHttps() throws Exception {
        SelfSigned identity = SelfSigned.write(dir, "server");
        int port = start(identity);

        assertThatThrownBy(() -> client("http://127.0.0.1:" + port, null, token()).call("GET", "/api/v1/jobs", null, CALL))
                .isInstanceOf(SpoolError.class).hasMessageContaining("an https:// coordinator given as http://?");
    }

    @Test
    void httpsToAPlainCoordinatorSaysItDoesNotSpeakTls() throws Exception {
        int port = start(null);

        assertThatThrownBy(() -> client("https://127.0.0.1:" + port, null, token()).call("GET", "/api/v1/jobs", null, CALL))
                .isInstanceOf(SpoolError.class).hasMessageContaining("it does not speak TLS there (an http:// URL?)");
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        Path live = Files.createDirectories(dir.resolve("live"));
        SelfSigned first = SelfSigned.write(live, "server");
        int port = start(first);
        Path oldCert = Files.copy(first.cert(), dir.resolve("old.crt"));
        String token = token();
        assertThat(client("https://127.0.0.1:" + port, oldCert, token).call("GET", "/api/v1/jobs", null, CALL)).isNotNull();

        SelfSigned renewed = SelfSigned.write(live, "server");   // same paths, a new key and certificate, as certbot renews
        Path newCert = Files.copy(renewed.cert(), dir.resolve("new.crt"));

        Poll.until(Duration.ofSeconds(30), Duration.ofMillis(200), "the renewed certificate is served", () -> {
            try {
                return client("https://127.0.0.1:" + port, newCert, token).call("GET", "/api/v1/jobs", null, CALL) != null;
            } catch (SpoolError notYet) {
                return false;
            }
        }, ok -> ok);
        assertThatThrownBy(() -> client("https://127.0.0.1:" + port, oldCert, token).call("GET", "/api/v1/jobs", null, CALL))
                .hasMessageContaining("not trusted");
    }

    @Test
    void aMissingCertificateNamesItsFlagAndFile() {
        Path key = dir.resolve("none.key");
        assertThatThrownBy(() -> new CoordinatorTls(dir.resolve("none.crt"), key))
                .isInstanceOf(SpoolError.class).hasFieldOrPropertyWithValue("field", "--tls-cert")
                .hasMessage("--tls-cert " + dir.resolve("none.crt") + ": does not exist");
    }

    @Test
    void aFileThatIsNotPemIsRefusedNamingTheFlag() throws Exception {
        SelfSigned identity = SelfSigned.write(dir, "server");
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");

        assertThatThrownBy(() -> new CoordinatorTls(junk, identity.key())).isInstanceOf(SpoolError.class)
                .hasMessageStartingWith("--tls-cert " + junk + ": ").hasMessageNotContaining("bouncycastle")
                .satisfies(e -> assertThat(((SpoolError) e).code()).isEqualTo(SpoolError.Code.INPUT_UNREADABLE));
        assertThatThrownBy(() -> new CoordinatorTls(identity.cert(), junk)).isInstanceOf(SpoolError.class)
                .hasMessageStartingWith("--tls-key " + junk + ": ").hasMessageNotContaining("bouncycastle");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        SelfSigned one = SelfSigned.write(dir, "one");
        SelfSigned other = SelfSigned.write(dir, "other");

        assertThatThrownBy(() -> new CoordinatorTls(one.cert(), other.key())).isInstanceOf(SpoolError.class)
                .hasMessage("--tls-key " + other.key() + ": is not the private key of the certificate in " + one.cert());
    }

    @Test
    void rsaAndEcPairsAreAcceptedAndAMixIsNot() throws Exception {
        SelfSigned rsa = SelfSigned.write(dir, "rsa", "RSA");
        SelfSigned ec = SelfSigned.write(dir, "ec", "EC");

        assertThat(new CoordinatorTls(rsa.cert(), rsa.key()).cert()).isEqualTo(rsa.cert());
        assertThat(new CoordinatorTls(ec.cert(), ec.key()).cert()).isEqualTo(ec.cert());
        assertThatThrownBy(() -> new CoordinatorTls(rsa.cert(), ec.key())).hasMessageContaining("is not the private key");
        assertThatThrownBy(() -> new CoordinatorTls(ec.cert(), rsa.key())).hasMessageContaining("is not the private key");
    }

    @Test
    void onlyLoopbackAddressesCountAsKeepingTrafficOnThisMachine() {
        assertThat(CoordinatorTls.loopback("127.0.0.1")).isTrue();
        assertThat(CoordinatorTls.loopback("localhost")).isTrue();
        assertThat(CoordinatorTls.loopback("::1")).isTrue();
        assertThat(CoordinatorTls.loopback("0.0.0.0")).isFalse();
        assertThat(CoordinatorTls.loopback("::")).isFalse();
        assertThat(CoordinatorTls.loopback("10.0.0.5")).isFalse();
    }
}
