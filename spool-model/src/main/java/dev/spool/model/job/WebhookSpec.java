package dev.spool.model.job;

import dev.spool.model.SpoolError;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * Where to tell the client about a job (seed 000's {@code webhook {url, events, secret}}), the
 * secret that signs each call (Standard Webhooks; a {@code whsec_} secret is base64, any other is
 * used as its UTF-8 bytes), and the body's shape: seed 000's JSON, or a preset for Discord, Slack
 * or ntfy. Checked by {@link JobSpec} at submit.
 */
public record WebhookSpec(String url, String secret, List<String> events, String format) {
    /** What a job can be told of; "progress" (each tenth of the job passed) only when asked for. */
    public static final List<String> EVENTS = List.of("queued", "started", "progress", "completed", "failed", "cancelled", "escalated");
    /** What a coordinator-wide subscription hears unless told otherwise: every event but progress. */
    public static final List<String> DEFAULT_SUBSCRIPTION = List.of("queued", "started", "completed", "failed", "cancelled", "escalated");
    public static final Set<String> FORMATS = Set.of("json", "discord", "slack", "ntfy");
    public static final String JSON = "json";

    public WebhookSpec {
        events = events == null ? List.of("completed", "failed") : List.copyOf(events);
        format = format == null ? JSON : format;
    }

    public WebhookSpec(String url, String secret, List<String> events) {
        this(url, secret, events, null);
    }

    void check() {
        checkUrl("webhook.url", url);
        for (String e : events)
            if (!EVENTS.contains(e)) throw SpoolError.invalid("webhook.events", "has '" + e + "'; the events are " + String.join(", ", EVENTS));
        if (!FORMATS.contains(format))
            throw SpoolError.invalid("webhook.format", "must be one of json, discord, slack, ntfy, not '" + format + "'");
        if (secret != null && secret.isBlank()) throw SpoolError.invalid("webhook.secret", "must not be blank (leave it out for unsigned calls)");
    }

    /** An absolute http(s) URL with a host; where it leads is checked when it is called. */
    public static void checkUrl(String field, String url) {
        URI uri;
        try {
            uri = url == null ? null : new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw SpoolError.invalid(field, "is not a URL: " + e.getReason());
        }
        if (uri == null || uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                || uri.getHost() == null)
            throw SpoolError.invalid(field, "must be an http(s) URL with a host");
    }
}
