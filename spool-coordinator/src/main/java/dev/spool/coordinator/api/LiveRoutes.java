package dev.spool.coordinator.api;

import dev.spool.model.protocol.Api;
import io.javalin.Javalin;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * {@code GET /api/v1/live}: the {@link LiveFeed} as server-sent events. The request's own (virtual)
 * thread writes its client's frames and a ping comment every {@link #PING_MS}, which also keeps the
 * connection past Jetty's idle timeout. Javalin's own SSE handler answers nothing (an empty 200) to
 * a request whose Accept is not exactly text/event-stream and writes from the caller's thread; this
 * one refuses such a request with a 406 naming Accept and writes through the client's bounded queue.
 */
final class LiveRoutes {
    static final long PING_MS = 15_000;

    private final LiveFeed feed;
    private final Clock clock;
    /** Whether the last stream was written from a virtual thread (Javalin's useVirtualThreads); for tests. */
    volatile boolean lastOnVirtualThread;

    LiveRoutes(LiveFeed feed, Clock clock) {
        this.feed = feed;
        this.clock = clock;
    }

    void register(Javalin app) {
        app.get(Api.LIVE, this::stream, Role.READ);
    }

    private void stream(Context ctx) throws IOException {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            ApiErrors.render(ctx, 406, "NOT_ACCEPTABLE", "this route is a stream of server-sent events: send Accept: text/event-stream "
                    + "(a browser's EventSource does)", "Accept");
            return;
        }
        lastOnVirtualThread = Thread.currentThread().isVirtual();
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setCharacterEncoding("UTF-8");
        res.setContentType("text/event-stream");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");   // a proxy in front must not buffer the stream
        ServletOutputStream out = res.getOutputStream();
        LiveClients.Client client = feed.clients().join();
        try {
            write(out, LiveClients.frame("hello", LiveFeed.json(Map.of("at", clock.instant().toString()))));
            while (true) {
                String frame = client.next(PING_MS);
                if (frame == null) frame = ": ping\n\n";
                else if (frame.equals(LiveClients.END)) break;
                write(out, frame);
            }
        } catch (IOException e) {
            // the browser went away: nothing to tell it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // the coordinator is stopping
        } finally {
            feed.clients().leave(client);
        }
    }

    private static void write(ServletOutputStream out, String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
