package dev.spool.storage;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A 429 from the coordinator: retried like any passing failure, but after the time its Retry-After
 * asks for (held to {@link #MAX_WAIT}) instead of the usual backoff, which would only be refused again.
 */
final class RateLimited extends IOException {
    /** The longest one wait may be, whatever the server asks. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final Duration retryAfter;

    private RateLimited(Duration retryAfter) {
        super("rate-limited by the coordinator (Retry-After " + retryAfter.toSeconds() + " s)");
        this.retryAfter = retryAfter;
    }

    static RateLimited of(HttpResponse<?> r) {
        return new RateLimited(retryAfter(r.headers().firstValue("Retry-After").orElse(null)));
    }

    Duration retryAfter() { return retryAfter; }

    /** Whole seconds as the coordinator sends them; anything else (an HTTP date, garbage) is 1 s. */
    static Duration retryAfter(String header) {
        if (header != null && header.strip().matches("\\d{1,9}")) return Duration.ofSeconds(Math.max(1, Long.parseLong(header.strip())));
        return Duration.ofSeconds(1);
    }
}
