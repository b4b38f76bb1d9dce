package dev.spool.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Calls a coordinator on loopback with raw JSON strings and the JDK's own client, so what a test
 * checks is the wire format itself, not what Spool's client classes make of it.
 */
final class RawHttp {
    /** Longer than any long poll a test asks for, so a hung server fails a test instead of the build. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    // HTTP/1.1: the JDK client would otherwise try an h2c upgrade, which is not what workers speak
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private volatile URI base;

    RawHttp(int port) {
        pointAt(port);
    }

    /** After a coordinator restart on port 0, the new port. */
    void pointAt(int port) {
        base = URI.create("http://127.0.0.1:" + port);
    }

    Reply get(String path, String token) {
        return join(send("GET", path, token, null));
    }

    Reply post(String path, String token, String json) {
        return join(send("POST", path, token, json));
    }

    Reply patch(String path, String token, String json) {
        return join(send("PATCH", path, token, json));
    }

    /** A GET with extra headers, given as name, value, name, value... */
    Reply getWith(String path, String token, String... headers) {
        return join(send("GET", path, token, null, HttpRequest.BodyPublishers.noBody(), headers));
    }

    /** Any method, with a JSON body (or null) and extra headers, given as name, value, name, value... */
    Reply sendWith(String method, String path, String token, String json, String... headers) {
        return join(send(method, path, token, json,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json), headers));
    }

    Reply put(String path, String token, String body) {
        return join(send("PUT", path, token, null, HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Posts with no Content-Length (Transfer-Encoding: chunked), as a streaming client would. */
    Reply postChunked(String path, String token, String json) {
        byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return join(send("POST", path, token, json,
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))));
    }

    /** Puts with no Content-Length (Transfer-Encoding: chunked), as an upload of unknown length is sent. */
    Reply putChunked(String path, String token, byte[] bytes) {
        return join(send("PUT", path, token, null,
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))));
    }

    /** Sends without waiting for the reply (a long poll); the reply records when it arrived. */
    CompletableFuture<Reply> send(String method, String path, String token, String json) {
        return send(method, path, token, json,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    }

    private CompletableFuture<Reply> send(String method, String path, String token, String json,
                                          HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).method(method, body);
        for (int i = 0; i + 1 < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        if (json != null) request.header("Content-Type", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        long sent = System.nanoTime();
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Reply(r.statusCode(), r.body(), parse(r.body()), sent, System.nanoTime(), r.headers()));
    }

    private static Reply join(CompletableFuture<Reply> reply) {
        try {
            return reply.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) throw new UncheckedIOException(io);
            throw e;
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();   // a test that cares asserts on body()
        }
    }

    /** A response: status, raw body, the body as JSON (missing if it was not JSON), and when it was sent and arrived. */
    record Reply(int status, String body, JsonNode json, long sentNanos, long receivedNanos, java.net.http.HttpHeaders headers) {
        JsonNode error() { return json.path("error"); }

        long millis() { return Duration.ofNanos(receivedNanos - sentNanos).toMillis(); }

        @Override
        public String toString() { return status + " " + body; }
    }
}
