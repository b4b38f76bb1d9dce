package dev.spool.cli;

import dev.spool.model.protocol.Api;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thousands of idle workers, each one keep-alive socket that long-polls the coordinator's sync
 * again whenever a poll comes back empty, as Spool's worker does; plain HTTP/1.1 on raw sockets, so
 * the crowd costs this process a virtual thread and a socket per worker, not an HTTP client each.
 */
final class LongPollCrowd implements AutoCloseable {
    static final int WAIT_MS = 30_000;
    static final int RAMP_MS = 10_000;
    private static final int REGISTER_AT_ONCE = 16;

    private final URI base;
    private final ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger assigned = new AtomicInteger();
    private final AtomicLong firstAssignedAt = new AtomicLong();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;

    LongPollCrowd(String url) {
        this.base = URI.create(url);
    }

    /** Registers {@code n} Spool workers (protocol 2) with the join token; their credentials, in order. */
    List<String[]> register(int n, String prefix, String joinToken) throws Exception {
        List<String[]> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) workers.add(new String[] {prefix + i, null});
        Semaphore gate = new Semaphore(REGISTER_AT_ONCE);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String[] w : workers) {
                pool.submit(() -> {
                    gate.acquire();
                    try (Socket s = connect()) {
                        JsonNode r = call(s, Api.WORKER_REGISTER, joinToken, Map.of("worker_id", w[0], "protocol", Api.LEASE_PROTOCOL,
                                "capabilities", Map.of("supported_codecs", List.of("libx264"), "max_resolution", "4k")));
                        w[1] = r.path("credential").asText();
                    } finally {
                        gate.release();
                    }
                    return null;
                });
            }
        }
        for (String[] w : workers) if (w[1] == null || w[1].isEmpty()) throw SpoolError.encoder("worker " + w[0] + " did not register");
        return workers;
    }

    /**
     * Starts every worker's poll loop, their first polls spread over {@link #RAMP_MS} as workers
     * that started at different times would be; returns at once.
     */
    void poll(List<String[]> workers) {
        for (int i = 0; i < workers.size(); i++) {
            String[] w = workers.get(i);
            long startAfter = (long) i * RAMP_MS / workers.size();
            threads.submit(() -> {
                Map<String, Object> body = Map.of("worker_id", w[0], "status", "IDLE", "wait_ms", WAIT_MS);
                Thread.sleep(startAfter);
                try (Socket s = connect()) {
                    open.add(s);
                    while (!stopping) {
                        sent.incrementAndGet();
                        JsonNode reply = call(s, Api.WORKER_SYNC, w[1], body);
                        if (reply.has("assigned_job")) {
                            firstAssignedAt.compareAndSet(0, System.nanoTime());
                            assigned.incrementAndGet();
                            return null;   // this worker is busy now; the crowd stays idle
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    if (!stopping) {
                        failures.incrementAndGet();
                        if (errors.size() < 5) errors.add(w[0] + ": " + e.getMessage());
                    }
                }
                return null;
            });
        }
    }

    int sent() { return sent.get(); }
    int failures() { return failures.get(); }
    int assigned() { return assigned.get(); }
    long firstAssignedAt() { return firstAssignedAt.get(); }
    List<String> errors() { return List.copyOf(errors); }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
        s.setSoTimeout(WAIT_MS + 60_000);
        return s;
    }

    /** One keep-alive POST on this socket; the reply's JSON, or an error naming the status. */
    private JsonNode call(Socket s, String path, String token, Object body) throws IOException {
        byte[] json = Wire.JSON.writeValueAsBytes(body);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(json);
        out.flush();
        InputStream in = s.getInputStream();
        String status = line(in);
        int length = -1;
        for (String h; !(h = line(in)).isEmpty(); )
            if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Integer.parseInt(h.substring(15).trim());
        if (length < 0) throw new IOException("no Content-Length in the reply to " + path + " (" + status + ")");
        byte[] reply = in.readNBytes(length);
        if (!status.contains(" 200 ")) throw new IOException(path + ": " + status + " " + new String(reply, StandardCharsets.UTF_8));
        return Wire.JSON.readTree(reply);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("the coordinator closed the connection");
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        stopping = true;
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing to stop the poll: nothing to do if it is gone already
            }
        }
        threads.shutdownNow();
    }
}
