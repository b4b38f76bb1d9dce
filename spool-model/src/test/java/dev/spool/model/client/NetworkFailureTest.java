package dev.spool.model.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLException;

import static org.assertj.core.api.Assertions.assertThat;

/** The JDK's own failures, described in words: the HTTP client throws them with no message. */
class NetworkFailureTest {
    @Test
    void aClosedPortIsAConnectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(NetworkFailure.describe(failureOf("http://127.0.0.1:" + port + "/"))).startsWith("connection refused");
    }

    @Test
    void aHostNameThatDoesNotResolveIsAnUnknownHost() throws Exception {
        assertThat(NetworkFailure.describe(failureOf("http://no-such-host.invalid/"))).isEqualTo("unknown host name");
    }

    @Test
    void aMessageThatIsOnlyAJavaClassNameIsNotShown() {
        IOException e = new IOException("java.net.SocketException: Broken pipe", new IOException("Broken pipe"));
        assertThat(NetworkFailure.describe(e)).isEqualTo("Broken pipe");
    }

    @Test
    void aTlsHandshakeWithAPlainHttpPortSaysItDoesNotSpeakTls() {
        // what the JDK throws when Jetty answers a ClientHello in plain HTTP; CoordinatorTlsTest meets it for real
        IOException e = new IOException(new SSLException("Unrecognized SSL message, plaintext connection?"));
        assertThat(NetworkFailure.describe(e)).isEqualTo("it does not speak TLS there (an http:// URL?)");
    }

    /** With Spool's own client settings and a timeout, as every call Spool makes has one: a server that answers nothing fails the test, not hangs it. */
    private static IOException failureOf(String url) throws InterruptedException {
        HttpClient http = CoordinatorTrust.SYSTEM.client().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            return e;
        } finally {
            http.shutdownNow();   // close() would wait for an exchange the JDK may never finish
        }
        throw new AssertionError(url + " answered");
    }
}
