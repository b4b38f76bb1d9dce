package dev.spool.coordinator.api;

import dev.spool.coordinator.queue.Delivery;
import dev.spool.coordinator.queue.JobQueue;
import dev.spool.model.SpoolError;
import dev.spool.model.net.RedactedUrl;
import dev.spool.model.protocol.Api;
import dev.spool.model.protocol.Replies;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Webhook deliveries as an operator sees them: the newest (of one state), and sending one again. */
final class WebhookRoutes {
    private final JobQueue queue;
    private final Clock clock;

    WebhookRoutes(JobQueue queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    void register(Javalin app) {
        app.get(Api.WEBHOOK_DELIVERIES, this::list, Role.READ);
        app.post(Api.WEBHOOK_REDELIVER, this::redeliver, Role.SUBMIT);
        app.get(Api.WEBHOOK_ENDPOINTS, this::endpoints, Role.READ);
        app.post(Api.WEBHOOK_RESUME, this::resume, Role.SUBMIT);
    }

    private void endpoints(Context ctx) {
        ctx.json(new Replies.WebhookEndpoints(queue.failingEndpoints().stream().map(e -> new Replies.WebhookEndpoint(
                RedactedUrl.of(e.url()), JobViews.time(e.failingSince()), e.paused(), JobViews.time(e.pausedAt()), e.lastError()))
                .toList()));
    }

    private void resume(Context ctx) {
        Replies.ResumeEndpoint r = ApiErrors.parse(ctx, Replies.ResumeEndpoint.class, BodyLimit.PROTOCOL);
        if (r.url() == null || r.url().isBlank()) throw SpoolError.invalid("url", "is required: the endpoint to call again");
        // the full URL, or the redacted one the endpoints list shows, when it stands for one endpoint only
        List<String> failing = queue.failingEndpoints().stream().map(Delivery.Endpoint::url).toList();
        List<String> urls = failing.contains(r.url()) ? List.of(r.url())
                : failing.stream().filter(u -> RedactedUrl.of(u).equals(r.url())).toList();
        if (urls.isEmpty()) throw new SpoolError(SpoolError.Code.NOT_FOUND, "url", "no failing webhook endpoint " + RedactedUrl.of(r.url()));
        if (urls.size() > 1)
            throw new SpoolError(SpoolError.Code.CONFLICT, "url", r.url() + " stands for " + urls.size()
                    + " failing endpoints (their secrets are masked); give the endpoint's full URL");
        queue.resumeEndpoint(urls.getFirst());
        ctx.json(new Replies.Ack(true));
    }

    private void list(Context ctx) {
        Optional<Delivery.State> state = Optional.ofNullable(ctx.queryParam("state")).map(s -> {
            try {
                return Delivery.State.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw SpoolError.invalid("state", "must be one of pending, delivered, failed, disabled, not '" + s + "'");
            }
        });
        int limit = JobRoutes.parseLimit(ctx.queryParam("limit"));
        ctx.json(new Replies.WebhookList(queue.recentDeliveries(state, limit).stream().map(JobViews::delivery).toList()));
    }

    private void redeliver(Context ctx) {
        String id = ctx.pathParam("id");
        if (!id.matches("msg_[A-Za-z0-9_-]{1,40}")) throw SpoolError.invalid("id", "is not a webhook-id (msg_...)");
        if (!queue.redeliver(id, clock.instant()))
            throw new SpoolError(SpoolError.Code.NOT_FOUND, "id", "no webhook delivery " + id);
        ctx.status(202).json(new Replies.Ack(true));
    }
}
