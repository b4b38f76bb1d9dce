package dev.spool.model.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

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
    void anHttpsUrlToAPlainHttpServerSaysItDoesNotSpeakTls() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {   // answers in plain HTTP whatever comes, as an http:// coordinator would
                try (java.net.Socket s = plain.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes());
                } catch (IOException ignored) {
                    // the test is over
                }
            });
            assertThat(NetworkFailure.describe(failureOf("https://127.0.0.1:" + plain.getLocalPort() + "/")))
                    .isEqualTo("it does not speak TLS there (an http:// URL?)");
        }
    }

    private static IOException failureOf(String url) throws InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError(url + " answered");
    }
}
