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
}
