package dev.spool.coordinator.webhooks;

import dev.spool.coordinator.queue.Delivery;
import dev.spool.model.net.AddressPolicy;

import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * One attempt at a delivery: the endpoint's address checked, the body signed with this attempt's
 * timestamp, a POST that follows no redirect and gives up after {@link #TIMEOUT}; the answer turned
 * into an outcome (2xx delivered, 410 gone, anything else tried again on the schedule, honouring
 * Retry-After).
 */
final class WebhookSender {
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    static final String USER_AGENT = "Spool-Webhooks/1";

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    private final WebhookSettings settings;
    private final Clock clock;
    private final AddressPolicy policy;

    WebhookSender(WebhookSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.policy = AddressPolicy.of(settings.allowPrivate());
    }

    Delivery.Outcome send(Delivery d, List<String> secrets) {
        Instant now = clock.instant();
        URI uri = URI.create(d.url());
        Optional<String> refused = refusal(uri.getHost());
        if (refused.isPresent()) return new Delivery.Outcome.GaveUp(null, refused.get());
        byte[] body = d.payload().getBytes(StandardCharsets.UTF_8);
        long timestamp = now.getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", WebhookPayload.contentType(d.format())).header("User-Agent", USER_AGENT)
                .header("webhook-id", d.id()).header("webhook-timestamp", Long.toString(timestamp))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!secrets.isEmpty()) request.header("webhook-signature", WebhookSignature.header(secrets, d.id(), timestamp, body));
        int attempts = d.attempts() + 1;
        try {
            // the timeout covers the wait for the status; the body is not read (an endpoint trickling one
            // would hold the call, and the dispatcher with it, past the claim)
            HttpResponse<java.io.InputStream> reply = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            reply.body().close();
            int status = reply.statusCode();
            if (status / 100 == 2) return new Delivery.Outcome.Delivered(status);
            if (status == 410) return new Delivery.Outcome.Gone("the endpoint answered 410 Gone: it asked to be called no more");
            return retry(attempts, status, "the endpoint answered " + status, retryAfter(reply, now));
        } catch (HttpTimeoutException e) {
            return retry(attempts, null, "no answer within " + TIMEOUT.toSeconds() + " s", Optional.empty());
        } catch (IOException e) {
            return retry(attempts, null, "cannot reach the endpoint" + (e.getMessage() != null ? ": " + e.getMessage() : " (the connection failed)"),
                    Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return retry(attempts, null, "the coordinator stopped while sending", Optional.empty());
        }
    }

    private Delivery.Outcome retry(int attempts, Integer status, String error, Optional<Duration> retryAfter) {
        Optional<Instant> next = settings.retries().next(attempts, clock.instant(), retryAfter);
        return next.<Delivery.Outcome>map(at -> new Delivery.Outcome.RetryAt(at, status, error))
                .orElseGet(() -> new Delivery.Outcome.GaveUp(status, error + " (after " + attempts + " attempts)"));
    }

    /**
     * Why the host may not be called, if it may not ({@link AddressPolicy}: link-local and metadata
     * never, loopback and private only with --allow-private-webhooks). The JDK's client resolves the
     * host again when it connects (it has no resolver per client, and TLS needs the name), so an
     * answer that changes between the check and the call is not caught here: see DESIGN §9.
     */
    Optional<String> refusal(String host) {
        try {
            policy.resolve(host);
            return Optional.empty();
        } catch (AddressPolicy.Refused refused) {
            String fix = refused.kind().neverAllowed() ? ", which the coordinator never calls"
                    : "; the coordinator calls loopback and private addresses only with --allow-private-webhooks";
            return Optional.of("the webhook URL's host " + host + " is " + refused.kind().described() + " ("
                    + refused.address().getHostAddress() + ")" + fix);
        } catch (UnknownHostException e) {
            return Optional.empty();   // unresolvable now: the attempt fails and is retried, DNS may come back
        }
    }

    /** Retry-After in seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(HttpResponse<?> reply, Instant now) {
        Optional<String> value = reply.headers().firstValue("Retry-After");
        if (value.isEmpty()) return Optional.empty();
        String v = value.get().strip();
        if (v.matches("\\d{1,9}")) return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        try {
            Duration d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return d.isNegative() ? Optional.empty() : Optional.of(d);
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
