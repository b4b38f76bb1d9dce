package dev.spool.coordinator.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook endpoint on loopback, as a client would write one: it checks each call's signature with
 * its own Standard Webhooks verification (not Spool's), remembers every call, and answers what its
 * script says for that webhook-id's n-th call.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One call as received. */
    public record Call(String id, String timestamp, String signature, String body, boolean signatureValid, Instant at) {}

    private final HttpServer server;
    private final byte[] key;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> perId = new ConcurrentHashMap<>();
    private volatile Function<Integer, Integer> script = n -> 200;

    /** @param secret the endpoint's secret, whsec_BASE64 or plain; null for unsigned calls */
    public WebhookReceiver(String secret) throws IOException {
        this.key = secret == null ? null : secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring(6))
                : secret.getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String ts = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String sig = exchange.getRequestHeaders().getFirst("webhook-signature");
            calls.add(new Call(id, ts, sig, new String(body, StandardCharsets.UTF_8), verify(id, ts, sig, body), Instant.now()));
            int n = perId.computeIfAbsent(String.valueOf(id), k -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(script.apply(n), -1);
            exchange.close();
        });
        server.start();
    }

    /** What to answer to the n-th call (from 1) of each webhook-id. */
    public void answer(Function<Integer, Integer> script) {
        this.script = script;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    private boolean verify(String id, String ts, String header, byte[] body) {
        if (key == null) return header == null;
        if (id == null || ts == null || header == null) return false;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(mac.doFinal((id + "." + ts + "." + new String(body, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8)));
            for (String part : header.split(" ")) if (part.equals("v1," + expected)) return true;
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
