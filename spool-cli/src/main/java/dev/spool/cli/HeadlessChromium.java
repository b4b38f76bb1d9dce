package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Wire;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol with the JDK's own
 * WebSocket: enough for a benchmark to load a page and read its performance entries, without a
 * browser-driver library in Spool's runtime (the browser tests use Selenium; this is not a test).
 * One page target; commands are sent one at a time and answered by id.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration COMMAND = Duration.ofSeconds(60);
    /** Without the background-networking flags Chromium keeps dialling Google, which a closed network refuses. */
    private static final List<String> FLAGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic", "--mute-audio", "--remote-debugging-port=0");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    /** Commands awaiting their answers, shared with the socket's listener. */
    private final Map<Integer, CompletableFuture<JsonNode>> pending;

    private HeadlessChromium(Process process, Path profile, WebSocket socket, Map<Integer, CompletableFuture<JsonNode>> pending) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
        this.pending = pending;
    }

    /** The browser named by SPOOL_CHROMIUM, or Debian's /usr/bin/chromium. */
    static HeadlessChromium start() throws IOException, InterruptedException {
        Path binary = Path.of(System.getenv().getOrDefault("SPOOL_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(binary))
            throw SpoolError.environment("this benchmark needs Chromium at " + binary + " (apt-get install chromium, or set SPOOL_CHROMIUM)");
        Path profile = Files.createTempDirectory("spool-chromium-");
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString(), "--user-data-dir=" + profile));
        command.addAll(FLAGS);
        command.add("about:blank");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            int port = devToolsPort(profile, process);
            HttpClient http = HttpClient.newHttpClient();
            // the page that about:blank opened: its own WebSocket, so Page and Runtime commands need no session id
            JsonNode targets = Wire.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(START).build(), HttpResponse.BodyHandlers.ofString()).body());
            String page = null;
            for (JsonNode t : targets) if (t.path("type").asText().equals("page")) page = t.path("webSocketDebuggerUrl").asText();
            if (page == null) throw SpoolError.environment("Chromium opened no page to drive");
            Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(START).buildAsync(URI.create(page), new Replies(pending))
                    .get(START.toSeconds(), TimeUnit.SECONDS);
            return new HeadlessChromium(process, profile, socket, pending);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw SpoolError.environment("cannot connect to Chromium's DevTools: " + e.getMessage());
        }
    }

    /** Chromium writes the port it chose into its profile once DevTools listens. */
    private static int devToolsPort(Path profile, Process process) throws IOException, InterruptedException {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw SpoolError.environment("Chromium exited at its start (exit " + process.exitValue() + ")");
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) return Integer.parseInt(lines.get(0).strip());
            }
            Thread.sleep(50);
        }
        throw SpoolError.environment("Chromium did not open DevTools within " + START.toSeconds() + " s");
    }

    /** Sends one DevTools command and waits for its result. */
    JsonNode call(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = Wire.JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", Wire.JSON.valueToTree(params));
        try {
            socket.sendText(message.toString(), true).get(COMMAND.toSeconds(), TimeUnit.SECONDS);
            JsonNode answer = reply.get(COMMAND.toSeconds(), TimeUnit.SECONDS);
            if (answer.has("error")) throw SpoolError.environment("Chromium refused " + method + ": " + answer.path("error").path("message").asText());
            return answer.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpoolError.environment("interrupted waiting for Chromium");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw SpoolError.environment("Chromium did not answer " + method + " within " + COMMAND.toSeconds() + " s");
        } finally {
            pending.remove(id);
        }
    }

    /** The value of a JavaScript expression in the page, a promise awaited. */
    JsonNode evaluate(String expression) {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "awaitPromise", true, "returnByValue", true));
        if (result.has("exceptionDetails"))
            throw SpoolError.environment("the page threw: " + result.path("exceptionDetails").path("exception").path("description").asText());
        return result.path("result").path("value");
    }

    @Override
    public void close() {
        socket.abort();
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dev.spool.media.ffmpeg.ExitCleanup.deleteQuietly(profile);
    }

    /** Answers by id; events (messages without an id) are not needed here. Text may come in parts. */
    private static final class Replies implements WebSocket.Listener {
        private final Map<Integer, CompletableFuture<JsonNode>> pending;
        private final StringBuilder partial = new StringBuilder();

        Replies(Map<Integer, CompletableFuture<JsonNode>> pending) {
            this.pending = pending;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = Wire.JSON.readTree(partial.toString());
                    CompletableFuture<JsonNode> waiting = message.has("id") ? pending.get(message.path("id").asInt()) : null;
                    if (waiting != null) waiting.complete(message);
                } catch (IOException ignored) {
                    // not JSON: DevTools sends only JSON, so nothing waits for this
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }
}
