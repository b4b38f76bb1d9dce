package dev.spool.worker;

import dev.spool.model.SpoolError;
import dev.spool.model.testing.PrometheusSamples;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A worker's metrics page over real loopback HTTP: what it serves, what it refuses, and a port it cannot have. */
class MetricsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheRegistryOnAFreePortAndNothingElse() throws Exception {
        WorkerMetrics metrics = new WorkerMetrics();
        metrics.transferred(WorkerMetrics.Store.S3, false, 1234, 0.5);
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, metrics.registry())) {
            assertThat(server.port()).isPositive();
            assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/metrics");

            HttpResponse<String> text = send(server.url(), "GET", null);
            assertThat(text.statusCode()).isEqualTo(200);
            assertThat(text.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            PrometheusSamples samples = PrometheusSamples.parse(text.body());
            assertThat(samples.get("spool_worker_transfer_bytes_total", "store", "s3", "direction", "in")).isEqualTo(1234);
            assertThat(samples.get("spool_worker_transfer_seconds_total", "store", "s3", "direction", "in")).isEqualTo(0.5);

            HttpResponse<String> open = send(server.url(), "GET", "application/openmetrics-text; version=1.0.0");
            assertThat(open.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
            assertThat(open.body()).endsWith("# EOF\n");

            HttpResponse<String> head = send(server.url(), "HEAD", null);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(send(server.url(), "POST", null).statusCode()).isEqualTo(405);
            assertThat(send("http://127.0.0.1:" + server.port() + "/", "GET", null).statusCode()).isEqualTo(404);
            assertThat(send("http://127.0.0.1:" + server.port() + "/metrics/x", "GET", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aTakenPortOrABadOneNamesTheFlag() throws Exception {
        WorkerMetrics metrics = new WorkerMetrics();
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> MetricsServer.start("127.0.0.1", taken.getLocalPort(), metrics.registry()))
                    .isInstanceOfSatisfying(SpoolError.class, e -> {
                        assertThat(e.code()).isEqualTo(SpoolError.Code.INVALID);
                        assertThat(e.field()).isEqualTo("--metrics-port");
                    })
                    .hasMessageContaining("--metrics-port " + taken.getLocalPort() + " on 127.0.0.1 cannot be used");
        }
        assertThatThrownBy(() -> MetricsServer.start("127.0.0.1", 65536, metrics.registry()))
                .hasMessage("--metrics-port must be 0..65535 (0: any free port)");
        assertThatThrownBy(() -> MetricsServer.start("no-such-host.invalid", 0, metrics.registry()))
                .hasMessage("--metrics-host 'no-such-host.invalid' is not a known host name or address");
        assertThatThrownBy(() -> MetricsServer.start("192.0.2.1", 0, metrics.registry()))   // TEST-NET-1: on no interface here
                .hasMessageStartingWith("--metrics-host '192.0.2.1' is not an address of this machine");
    }

    private HttpResponse<String> send(String url, String method, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) request.header("Accept", accept);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
