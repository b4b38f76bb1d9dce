package dev.spool.model.job;

import dev.spool.model.SpoolError;
import java.util.List;

/** Where to tell the client about a job's end, and the secret that signs the call (checked by {@link JobSpec} at submit). */
public record WebhookSpec(String url, String secret, List<String> events) {
    public WebhookSpec {
        events = events == null ? List.of("completed", "failed") : List.copyOf(events);
    }

    void check() {
        if (url == null || !(url.startsWith("https://") || url.startsWith("http://")))
            throw SpoolError.invalid("webhook.url", "must be an http(s) URL");
    }
}
