package dev.spool.coordinator.api;

import dev.spool.coordinator.queue.JobQueue;
import dev.spool.model.protocol.TokenRole;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer-token (or dashboard session cookie) checks before every matched route, by the {@link Role} the route declared: health is
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

    /** The dashboard's session cookie: its value is 128 random bits; the database keeps only their hash. */
    static final String SESSION_COOKIE = "spool_session";
    /** The header a cookie-authenticated request that changes something carries (see {@link #csrfRefused}). */
    static final String CSRF_HEADER = "X-Spool-CSRF";
    /** Set on a request authenticated by its session cookie: the {@link JobQueue.SessionRecord}. */
    static final String SESSION = "spool.session";

    private record CachedSession(JobQueue.SessionRecord session, long until) {}

    private final java.util.Map<String, CachedSession> sessions = new java.util.concurrent.ConcurrentHashMap<>();

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
        if (csrfRefused(ctx)) return;   // before the role: a request that cannot show it is the dashboard's learns nothing
        if (!role.admits(caller)) {
            deny(ctx, 403, role.refusal(caller));
            return;
        }
        ctx.attribute(Caller.ATTRIBUTE, caller);
    }

    /**
     * Who the request's bearer token, or else its dashboard session cookie ({@value #SESSION_COOKIE}),
     * says is calling; null once the refusal is written: 401 for no token or an unknown, revoked or
     * expired one (a session: signed out, expired, or its token revoked or expired), 429 when the token
     * is over its rate or the client address has sent too many bad tokens. An address over that
     * allowance is refused before its token is even looked up (unless the token was seen valid moments
     * ago), so guessing costs the guesser time and the database nothing. A request that came with a
     * session has it as the {@link #SESSION} attribute.
     */
    Caller authenticate(Context ctx) {
        String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        String address = ctx.ip();
        if (header.startsWith("Bearer ")) return authenticateToken(ctx, header.substring(7).strip());
        String cookie = ctx.cookie(SESSION_COOKIE);
        if (cookie == null || cookie.isBlank()) {
            if (!badToken(ctx, address)) deny(ctx, 401, "a bearer token is required (Authorization: Bearer ...), or a session (sign in)");
            return null;
        }
        String idHash = Tokens.hash(cookie.strip());
        long exhausted = limiter.badTokensExhausted(address);
        if (exhausted > 0 && !sessions.containsKey(idHash)) {
            RateLimiter.refuse(ctx, exhausted, "too many requests with a bad or missing token from " + address);
            return null;
        }
        Optional<JobQueue.SessionRecord> session = session(idHash);
        if (session.isEmpty()) {
            if (!badToken(ctx, address)) deny(ctx, 401, "the session is not valid (signed out or expired): sign in again");
            return null;
        }
        Caller caller = authenticateHash(ctx, session.get().tokenHash(), address);
        if (caller != null) ctx.attribute(SESSION, session.get());
        return caller;
    }

    /** As {@link #authenticate} for a token given in the clear (a bearer token, or one signing in). */
    Caller authenticateToken(Context ctx, String token) {
        return authenticateHash(ctx, Tokens.hash(token), ctx.ip());
    }

    private Caller authenticateHash(Context ctx, String hash, String address) {
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

    /** A session row, remembered as tokens are; its expiry travels with it and is checked on every request. */
    private Optional<JobQueue.SessionRecord> session(String idHash) {
        long now = System.nanoTime();
        Instant wall = clock.instant();
        CachedSession hit = sessions.get(idHash);
        if (hit != null && hit.until() - now > 0)
            return wall.isBefore(hit.session().expiresAt()) ? Optional.of(hit.session()) : Optional.empty();
        Optional<JobQueue.SessionRecord> found = queue.session(idHash, wall);
        if (found.isPresent()) {
            if (sessions.size() > 100_000) sessions.clear();
            sessions.put(idHash, new CachedSession(found.get(), now + CACHE_NANOS));
        } else {
            sessions.remove(idHash);
        }
        return found;
    }

    /** Forgets a signed-out session at once on this node; other coordinators stop it within the cache window. */
    void forgetSession(String idHash) {
        sessions.remove(idHash);
    }

    /**
     * A request authenticated by its session cookie that may change something (not GET or HEAD) must
     * prove it comes from the dashboard's own page: the header {@value #CSRF_HEADER} equal to the
     * session's CSRF token (a cross-site form or fetch cannot read it). Compared in constant time.
     */
    private boolean csrfRefused(Context ctx) {
        JobQueue.SessionRecord session = ctx.attribute(SESSION);
        if (session == null) return false;
        String method = ctx.method().name();
        if (method.equals("GET") || method.equals("HEAD")) return false;
        String sent = ctx.header(CSRF_HEADER);
        boolean same = sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                session.csrfToken().getBytes(StandardCharsets.UTF_8));
        if (same) return false;
        ApiErrors.render(ctx, 403, "FORBIDDEN", CSRF_HEADER + (sent == null ? " is required" : " does not match this session's CSRF token")
                + " on a request signed in by session cookie that is not GET or HEAD (the csrf_token of GET " + dev.spool.model.protocol.Api.SESSION + ")",
                CSRF_HEADER);
        ctx.skipRemainingHandlers();
        return true;
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
