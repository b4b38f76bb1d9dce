package dev.spool.model.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Api;
import dev.spool.model.protocol.WorkerMessages;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A coordinator's reply that cannot be read (another version's message, a proxy's page) is a
 * protocol error that says so and advises no retry, not a retryable encoder failure.
 */
class HttpApiTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    /** A server on loopback answering every request 200 with this body. */
    private HttpApi answering(String contentType, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return new HttpApi("http://127.0.0.1:" + server.getAddress().getPort(), "token");
    }

    @Test
    void aReplyWithAFieldThisVersionDoesNotKnowIsAProtocolErrorNamingTheFieldWithoutRetryAdvice() throws IOException {
        HttpApi api = answering("application/json", "{\"granted\":true,\"lease_id\":\"l-1\",\"window_ms\":1000,\"granted_to\":\"someone\"}");

        assertThatThrownBy(() -> api.call("POST", Api.jobCommit("job_abc"), null, TIMEOUT, WorkerMessages.CommitGranted.class))
                .isInstanceOfSatisfying(SpoolError.class, e -> {
                    assertThat(e.code()).isEqualTo(SpoolError.Code.PROTOCOL);
                    assertThat(e.code().retryable()).isFalse();
                    assertThat(e.field()).isEqualTo("coordinator");
                    assertThat(e.getMessage()).contains("POST " + Api.jobCommit("job_abc")).contains("unknown field 'granted_to'")
                            .contains("protocol " + Api.PROTOCOL).doesNotContain("dev.spool").doesNotContain("CommitGranted");
                });
    }

    @Test
    void aReplyWhoseFieldHasTheWrongKindNamesThatField() throws IOException {
        HttpApi api = answering("application/json", "{\"ack\":true,\"heartbeat_interval_sec\":\"soon\"}");

        assertThatThrownBy(() -> api.call("POST", Api.WORKER_REGISTER, null, TIMEOUT, WorkerMessages.Registered.class))
                .isInstanceOfSatisfying(SpoolError.class, e -> {
                    assertThat(e.code()).isEqualTo(SpoolError.Code.PROTOCOL);
                    assertThat(e.getMessage()).contains("'heartbeat_interval_sec'").doesNotContain("java.").doesNotContain("`int`");
                });
    }

    @Test
    void aSuccessThatIsNotJsonIsAProtocolErrorShowingWhatCame() throws IOException {
        HttpApi api = answering("text/html", "<html><body>Welcome to the captive portal</body></html>");

        assertThatThrownBy(() -> api.call("GET", Api.WORKERS, null, TIMEOUT))
                .isInstanceOfSatisfying(SpoolError.class, e -> {
                    assertThat(e.code()).isEqualTo(SpoolError.Code.PROTOCOL);
                    assertThat(e.getMessage()).contains("not JSON").contains("captive portal");
                });
    }

    /** A server on loopback answering 429 (Retry-After: 1) to the first {@code limited} requests, then 200 {}. */
    private HttpApi limitedFor(int limited, Duration wait, java.util.concurrent.atomic.AtomicInteger seen) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            boolean refuse = seen.incrementAndGet() <= limited;
            byte[] bytes = (refuse ? "{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"rate-limited: this token is over its limit\"}}" : "{}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (refuse) exchange.getResponseHeaders().add("Retry-After", "1");
            exchange.sendResponseHeaders(refuse ? 429 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return new HttpApi(CoordinatorUrls.parse("http://127.0.0.1:" + server.getAddress().getPort()), "token", wait);
    }

    @Test
    void a429IsWaitedOutForItsRetryAfterAndTheSameCallSucceeds() throws IOException {
        var seen = new java.util.concurrent.atomic.AtomicInteger();
        HttpApi api = limitedFor(2, Duration.ofSeconds(10), seen);
        long started = System.nanoTime();
        assertThat(api.call("GET", Api.JOBS, null, TIMEOUT).isObject()).isTrue();
        assertThat(seen.get()).as("sent three times").isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited 1 s twice").isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aCoordinatorThatKeepsSaying429IsGivenUpOnAfterTheBoundInWords() throws IOException {
        var seen = new java.util.concurrent.atomic.AtomicInteger();
        HttpApi api = limitedFor(Integer.MAX_VALUE, Duration.ofSeconds(2), seen);
        assertThatThrownBy(() -> api.call("GET", Api.JOBS, null, TIMEOUT)).isInstanceOfSatisfying(SpoolError.class, e -> {
            assertThat(e.getMessage()).startsWith("rate-limited by the coordinator at http://127.0.0.1:")
                    .contains("after waiting 2 s").contains("this token is over its limit").doesNotContain("429").doesNotContain("dev.spool");
            assertThat(e.code().retryable()).as("a later try may pass").isTrue();
        });
        assertThat(seen.get()).as("the first try and one per second of the bound").isEqualTo(3);
    }

    @Test
    void retryAfterIsWholeSecondsAndAnythingElseIsOneSecond() {
        assertThat(HttpApi.retryAfter("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(HttpApi.retryAfter("0")).isEqualTo(Duration.ofSeconds(1));
        assertThat(HttpApi.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ofSeconds(1));
        assertThat(HttpApi.retryAfter(null)).isEqualTo(Duration.ofSeconds(1));
    }
}
