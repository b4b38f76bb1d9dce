package dev.spool.coordinator.api;

import dev.spool.coordinator.queue.JobQueue;
import dev.spool.model.protocol.TokenRole;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;

import java.util.Optional;
import java.util.Set;

/**
 * Bearer-token checks before every matched route, by the {@link Role} the route declared: health is
 * open, the worker protocol takes a join token or a worker's own credential, the client API a client
 * token of a role the route admits. An expired token is refused by its expiry, which travels with
 * the cached record, so it stops at its second. A revoked token is no longer found; on the
 * coordinator that revoked it at once, on the others within {@link #CACHE_NANOS}.
 */
final class Auth {
    /** Known tokens are remembered this long, sparing every request a lookup; a revocation takes effect within it. */
    static final long CACHE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    private final JobQueue queue;
    private final RateLimiter limiter;
    private final java.util.Map<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

    private record Cached(JobQueue.TokenRecord token, long until) {}

    private final java.time.Clock clock;

    Auth(JobQueue queue, java.time.Clock clock, RateLimiter limiter) {
        this.queue = queue;
        this.clock = clock;
        this.limiter = limiter;
    }

    /** Forgets a revoked client token at once on this node; other coordinators stop it within the cache window. */
    void forgetToken(String name) {
        cache.values().removeIf(c -> c.token().kind().equals(Tokens.CLIENT) && name.equals(c.token().name()));
    }

    /** Forgets the join token at once on this node (it was rotated); worker credentials stay. */
    void forgetJoin() {
        cache.values().removeIf(c -> c.token().kind().equals(Tokens.JOIN));
    }

    /** Forgets a worker's credentials at once on this node (revoked on re-registration or departure). */
    void forgetWorker(String workerId) {
        cache.values().removeIf(c -> workerId.equals(c.token().workerId()));
    }

    private Optional<JobQueue.TokenRecord> lookup(String hash) {
        long now = System.nanoTime();
        Cached hit = cache.get(hash);
        if (hit != null && hit.until() - now > 0) return Optional.of(hit.token());
        Optional<JobQueue.TokenRecord> found = queue.token(hash);
        if (found.isPresent()) {
            if (cache.size() > 100_000) cache.clear();   // bound it; the queue is the truth
            cache.put(hash, new Cached(found.get(), now + CACHE_NANOS));
            // once per window, not per request; worker credentials are many and busy, their syncs tell enough
            if (found.get().kind().equals(Tokens.CLIENT)) queue.tokenUsed(hash, clock.instant());
        } else {
            cache.remove(hash);
        }
        return found;
    }

    /** Before the matched route: its declared {@link Role} says which token it takes; none declared, none passes. */
    void check(Context ctx) {
        Role role = role(ctx.routeRoles());
        if (role == Role.OPEN) return;
        if (role == null) {
            deny(ctx, 403, "this route declares no access role");
            return;
        }
        Caller caller = authenticate(ctx);
        if (caller == null) return;
        if (!role.admits(caller)) {
            deny(ctx, 403, role.refusal(caller));
            return;
        }
        ctx.attribute(Caller.ATTRIBUTE, caller);
    }

    /**
     * Who the request's bearer token says is calling; null once the refusal is written: 401 for no token
     * or an unknown, revoked or expired one, 429 when the token is over its rate or the client address has
     * sent too many bad tokens. An address over that allowance is refused before its token is even looked
     * up (unless the token was seen valid moments ago), so guessing costs the guesser time and the database nothing.
     */
    Caller authenticate(Context ctx) {
        String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        String address = ctx.ip();
        if (!header.startsWith("Bearer ")) {
            if (!badToken(ctx, address)) deny(ctx, 401, "a bearer token is required (Authorization: Bearer ...)");
            return null;
        }
        String hash = Tokens.hash(header.substring(7).strip());
        long exhausted = limiter.badTokensExhausted(address);
        if (exhausted > 0 && !cache.containsKey(hash)) {
            RateLimiter.refuse(ctx, exhausted, "too many requests with a bad or missing token from " + address);
            return null;
        }
        Optional<JobQueue.TokenRecord> token = lookup(hash);
        if (token.isEmpty()) {
            if (!badToken(ctx, address)) deny(ctx, 401, "the token is not valid");
            return null;
        }
        long wait = limiter.admitToken(ctx, hash);
        if (wait > 0) {
            RateLimiter.refuse(ctx, wait, "rate-limited: this token is over its limit (--rate-limit, --rate-limit-bytes)");
            return null;
        }
        JobQueue.TokenRecord t = token.get();
        if (t.expiresAt() != null && !clock.instant().isBefore(t.expiresAt())) {
            deny(ctx, 401, "the token expired on " + t.expiresAt());
            return null;
        }
        return new Caller(t.kind(), t.workerId(), t.name(), t.role() == null ? null : TokenRole.parse("role", t.role()));
    }

    /** Counts a bad or missing token against the address; true when that was one too many and the 429 is written. */
    private boolean badToken(Context ctx, String address) {
        long wait = limiter.badToken(address);
        if (wait == 0) return false;
        RateLimiter.refuse(ctx, wait, "too many requests with a bad or missing token from " + address);
        return true;
    }

    /** The one role a route declared, or null when it declared none or several (refused: fail closed). */
    static Role role(Set<RouteRole> roles) {
        return roles.size() == 1 && roles.iterator().next() instanceof Role r ? r : null;
    }

    private static void deny(Context ctx, int status, String message) {
        ApiErrors.render(ctx, status, status == 401 ? "UNAUTHORIZED" : "FORBIDDEN", message, null);
        ctx.skipRemainingHandlers();
    }
}
