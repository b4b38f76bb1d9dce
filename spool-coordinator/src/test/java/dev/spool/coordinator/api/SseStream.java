package dev.spool.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A server-sent events client on loopback, as a browser's EventSource is: GET with
 * Accept: text/event-stream, a cookie or a bearer token, the stream read line by line on a thread
 * of its own; each message keeps when it arrived.
 */
final class SseStream implements AutoCloseable {
    /** One message: its event name, its data, and System.nanoTime() at its arrival. */
    record Message(String event, String data, long at) {
        JsonNode json() {
            try {
                return RawHttp.JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final List<Message> seen = new ArrayList<>();
    private final HttpResponse<Stream<String>> response;
    private final Thread reader;

    /** Connects; {@code auth} is "Cookie" or "Authorization" and {@code value} its value. */
    SseStream(int port, String auth, String value) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + dev.spool.model.protocol.Api.LIVE))
                .header("Accept", "text/event-stream").header(auth, value).GET().build();
        response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        reader = Thread.ofPlatform().daemon().name("sse-test-reader").start(this::read);
    }

    int status() { return response.statusCode(); }

    String header(String name) { return response.headers().firstValue(name).orElse(null); }

    private void read() {
        String event = "message";
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (var it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (!data.isEmpty()) messages.add(new Message(event, data.toString(), System.nanoTime()));
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    if (!data.isEmpty()) data.append('\n');
                    data.append(line.substring(6));
                }
            }
        } catch (RuntimeException e) {
            // closed by the test, or by the server
        }
    }

    /** The first message of this event whose data matches, waiting up to {@code within}; fails the test otherwise. */
    Message next(String event, Predicate<JsonNode> matches, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (Message m : seen) if (m.event().equals(event) && matches.test(m.json())) return m;
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = left > 0 ? messages.poll(left, TimeUnit.NANOSECONDS) : null;
            if (m == null) throw new AssertionError("no '" + event + "' message as expected within " + within + "; seen: " + seen);
            seen.add(m);
            if (m.event().equals(event) && matches.test(m.json())) return m;
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
        reader.interrupt();
    }
}
