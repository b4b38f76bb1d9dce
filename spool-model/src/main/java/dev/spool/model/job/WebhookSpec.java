package dev.spool.model.job;

import dev.spool.model.SpoolError;
import java.util.List;

/** Where to tell the client about a job's end, and the secret that signs the call. */
public record WebhookSpec(String url, String secret, List<String> events) {
    public WebhookSpec {
        if (url == null || !(url.startsWith("https://") || url.startsWith("http://")))
            throw SpoolError.invalid("webhook.url", "must be an http(s) URL");
        events = events == null ? List.of("completed", "failed") : List.copyOf(events);
    }
}
