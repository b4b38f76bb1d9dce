package dev.spool.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spool.model.SpoolError;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} of a worker ({@code --metrics-port}), on the JDK's own HTTP server: a worker
 * has no web framework and needs none for one read-only page. The format is chosen from the Accept
 * header by client_java, as the coordinator's is (Prometheus text, or OpenMetrics when asked).
 * Anything else is 404, and anything but GET or HEAD 405.
 */
public final class MetricsServer implements AutoCloseable {
    public static final String DEFAULT_HOST = "127.0.0.1";
    private static final String PATH = "/metrics";

    private final HttpServer server;
    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();

    private MetricsServer(HttpServer server, PrometheusRegistry registry) {
        this.server = server;
        this.registry = registry;
    }

    /** Serves {@code registry} on HOST:PORT (0: a free port, see {@link #port()}); a taken port names --metrics-port. */
    public static MetricsServer start(String host, int port, PrometheusRegistry registry) {
        if (port < 0 || port > 65535) throw SpoolError.invalid("--metrics-port", "must be 0..65535 (0: any free port)");
        if (host == null || host.isBlank()) throw SpoolError.invalid("--metrics-host", "must not be empty");
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) throw SpoolError.invalid("--metrics-host", "'" + host + "' is not a known host name or address");
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (BindException e) {
            // the JDK says which: a port another process holds, or an address no interface here has
            if (e.getMessage() != null && e.getMessage().contains("in use"))
                throw SpoolError.invalid("--metrics-port", port + " on " + host + " cannot be used (" + e.getMessage()
                        + "): is another process listening there?");
            throw SpoolError.invalid("--metrics-host", "'" + host + "' is not an address of this machine (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw SpoolError.environment("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage());
        }
        MetricsServer metrics = new MetricsServer(server, registry);
        server.createContext("/", metrics::handle);
        // a virtual thread per scrape: a slow scraper holds nothing else up
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return metrics;
    }

    /** The port it listens on (the one chosen for port 0). */
    public int port() { return server.getAddress().getPort(); }

    /** The address to scrape, for the worker's startup line. */
    public String url() {
        String host = server.getAddress().getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + PATH;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                reply(exchange, 404, "text/plain; charset=utf-8", "not found: this port serves only GET /metrics\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            ExpositionFormatWriter writer = formats.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
            // protocol buffers need a library Spool does not ship: text, which every scraper accepts
            if (!writer.isAvailable()) writer = formats.getPrometheusTextFormatWriter();
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            writer.write(body, registry.scrape());
            reply(exchange, 200, writer.getContentType(), method.equals("HEAD") ? null : body.toByteArray());
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body == null ? -1 : body.length == 0 ? -1 : body.length);
        if (body != null && body.length > 0) try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
