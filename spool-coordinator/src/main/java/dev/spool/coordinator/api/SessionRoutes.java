package dev.spool.coordinator.api;

import dev.spool.coordinator.queue.JobQueue;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Api;
import dev.spool.model.protocol.DashboardMessages;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The dashboard's sign-in: a client token is exchanged for a session cookie (HttpOnly, SameSite=Strict,
 * Secure under TLS) and a CSRF token the page sends back on every change; signing out deletes the
 * session. The session is a row of the database, so every coordinator on it accepts the cookie.
 */
final class SessionRoutes {
    /** How long a session lasts, whatever is done with it. */
    static final Duration LIFETIME = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JobQueue queue;
    private final Clock clock;
    private final Auth auth;
    private final boolean secure;

    SessionRoutes(JobQueue queue, Clock clock, Auth auth, boolean secure) {
        this.queue = queue;
        this.clock = clock;
        this.auth = auth;
        this.secure = secure;
    }

    void register(Javalin app) {
        // OPEN: the token is in the body; Auth's bad-token allowance is applied to it as to a bearer token
        app.post(Api.SESSION, this::signIn, Role.OPEN);
        app.get(Api.SESSION, this::whoAmI, Role.READ);
        app.delete(Api.SESSION, this::signOut, Role.READ);
    }

    private void signIn(Context ctx) {
        // a cross-site form can post text/plain that parses as JSON, not application/json (that needs CORS,
        // which the coordinator does not grant): a page elsewhere cannot sign a browser in as someone else
        String type = ctx.header("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            ApiErrors.render(ctx, 415, "UNSUPPORTED_MEDIA_TYPE", "sign-in takes a JSON body: send Content-Type: application/json", "Content-Type");
            return;
        }
        DashboardMessages.SignIn request = ApiErrors.parse(ctx, DashboardMessages.SignIn.class, BodyLimit.PROTOCOL);
        Caller caller = auth.authenticateToken(ctx, request.token().strip());
        if (caller == null) return;   // refused, and counted against the address
        if (!caller.kind().equals(Tokens.CLIENT) || caller.role() == null)
            throw new SpoolError(SpoolError.Code.FORBIDDEN, "token", "only a client token (spool_c_...) can sign in to the dashboard; "
                    + caller.described());
        String id = random(16);   // 128 bits
        String csrf = random(24);
        Instant now = clock.instant();
        Instant expires = now.plus(LIFETIME);
        queue.createSession(Tokens.hash(id), Tokens.hash(request.token().strip()), csrf, now, expires);
        ctx.header("Set-Cookie", cookie(id, LIFETIME.toSeconds()));
        ctx.header("Cache-Control", "no-store");
        ctx.json(new DashboardMessages.Session(caller.name(), caller.role(), csrf, expires.toString()));
    }

    private void whoAmI(Context ctx) {
        Caller caller = ctx.attribute(Caller.ATTRIBUTE);
        JobQueue.SessionRecord session = ctx.attribute(Auth.SESSION);
        ctx.header("Cache-Control", "no-store");
        ctx.json(new DashboardMessages.Session(caller.name(), caller.role(), session == null ? null : session.csrfToken(),
                session == null ? null : session.expiresAt().toString()));
    }

    /** 204 whether or not the request came with a session (a bearer token has none to end); the cookie is cleared. */
    private void signOut(Context ctx) {
        JobQueue.SessionRecord session = ctx.attribute(Auth.SESSION);
        if (session != null) {
            queue.deleteSession(session.idHash());
            auth.forgetSession(session.idHash());
        }
        ctx.header("Set-Cookie", cookie("", 0));
        ctx.status(204);
    }

    private String cookie(String value, long maxAge) {
        return Auth.SESSION_COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAge + (secure ? "; Secure" : "");
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
