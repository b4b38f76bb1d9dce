package dev.spool.coordinator.api;

import io.javalin.http.Context;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The {@link Limits} applied: a request bucket and a byte bucket per token, and a bucket per client
 * address for requests whose token is missing or unknown. Over a limit the request is answered 429
 * RATE_LIMITED with Retry-After in whole seconds, rounded up. Buckets live in memory, per coordinator:
 * with several coordinators behind one address each one grants its own share.
 */
final class RateLimiter {
    /** Set on a request: the byte meter its body and upload are counted against. */
    static final String METER = "spool.byte-meter";
    /** Beyond this many buckets of one kind the full (idle) ones are forgotten. */
    static final int MAX_BUCKETS = 100_000;

    private final Limits limits;
    private final LongSupplier nanos;
    private final Map<String, TokenBucket> requests = new ConcurrentHashMap<>();
    private final Map<String, TokenBucket> bytes = new ConcurrentHashMap<>();
    private final Map<String, TokenBucket> addresses = new ConcurrentHashMap<>();

    RateLimiter(Limits limits, LongSupplier nanos) {
        this.limits = limits;
        this.nanos = nanos;
    }

    /** Counts bytes of one request's body or upload against its token; answers nanoseconds to pause (0: none). */
    interface ByteMeter {
        ByteMeter NONE = n -> 0;

        long spent(long n);
    }

    /**
     * A request with a known token: 0 when admitted (its byte meter is set on {@code ctx}), else the
     * nanoseconds until one would be. {@code key} identifies the token (its hash, never the token).
     */
    long admitToken(Context ctx, String key) {
        if (limits.bytes() != null) {
            TokenBucket b = bucket(bytes, key, limits.bytes());
            long debt = b.debtNanos();
            if (debt > 0) return debt;
            ctx.attribute(METER, (ByteMeter) b::spend);
        }
        if (limits.requests() == null) return 0;
        return bucket(requests, key, limits.requests()).take(1);
    }

    /** Whether a client address has used up its allowance of bad tokens: 0 when not, else nanoseconds to wait. */
    long badTokensExhausted(String address) {
        if (limits.badTokens() == null) return 0;
        TokenBucket b = addresses.get(address);
        return b == null ? 0 : b.debtNanos();
    }

    /** Counts one request with a bad or missing token: 0 while the address is within its allowance. */
    long badToken(String address) {
        if (limits.badTokens() == null) return 0;
        return bucket(addresses, address, limits.badTokens()).take(1);
    }

    private TokenBucket bucket(Map<String, TokenBucket> buckets, String key, Limits.Rate rate) {
        TokenBucket b = buckets.get(key);
        if (b != null) return b;
        if (buckets.size() >= MAX_BUCKETS) buckets.values().removeIf(TokenBucket::full);
        return buckets.computeIfAbsent(key, k -> new TokenBucket(rate.perSecond(), rate.burst(), nanos));
    }

    /** 429 with Retry-After (seconds, rounded up, at least 1) and the API's error body. */
    static void refuse(Context ctx, long waitNanos, String what) {
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        ctx.header("Retry-After", Long.toString(seconds));
        ApiErrors.render(ctx, 429, "RATE_LIMITED", what + "; retry after " + seconds + " s", null);
        ctx.skipRemainingHandlers();
    }
}
