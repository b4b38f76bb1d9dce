package dev.spool.coordinator.api;

import dev.spool.coordinator.queue.JobQueue;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Api;
import dev.spool.model.protocol.TokenMessages;
import dev.spool.model.protocol.TokenRole;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The tokens API, admin tokens only: named client tokens made (the secret is in the reply, once),
 * listed (never the secret), revoked; and the join token rotated. Registered workers hold their
 * own credentials, so a rotation stops only new registrations with the old join token.
 */
final class TokenRoutes {
    private final JobQueue queue;
    private final Clock clock;
    private final Auth auth;

    TokenRoutes(JobQueue queue, Clock clock, Auth auth) {
        this.queue = queue;
        this.clock = clock;
        this.auth = auth;
    }

    void register(Javalin app) {
        app.get(Api.TOKENS, this::list, Role.ADMIN);
        app.post(Api.TOKENS, this::create, Role.ADMIN);
        app.delete(Api.TOKEN, this::revoke, Role.ADMIN);
        app.post(Api.JOIN_ROTATE, this::rotateJoin, Role.ADMIN);
    }

    private void list(Context ctx) {
        Instant now = clock.instant();
        ctx.json(new TokenMessages.TokenList(queue.namedTokens().stream().map(t -> view(t, now)).toList()));
    }

    private void create(Context ctx) {
        TokenMessages.CreateToken request = ApiErrors.parse(ctx, TokenMessages.CreateToken.class, BodyLimit.PROTOCOL);
        Instant now = clock.instant();
        Duration expiry = request.expiry();
        Instant expiresAt = expiry == null ? null : now.plus(expiry);
        String secret = Tokens.generate(Tokens.CLIENT);
        JobQueue.NamedToken made = queue.createToken(Tokens.hash(secret), request.name(), request.role().wire(), now, expiresAt);
        ctx.status(201).json(new TokenMessages.TokenCreated(made.name(), request.role(), secret, text(made.createdAt()),
                text(made.expiresAt())));
    }

    private void revoke(Context ctx) {
        String name = TokenMessages.checkName("name", ctx.pathParam("name"));
        Instant now = clock.instant();
        JobQueue.NamedToken target = queue.namedTokens().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new SpoolError(SpoolError.Code.NOT_FOUND, "name", "no live token named '" + name + "'"));
        // revoking the last admin token would leave tokens manageable only by editing the database
        boolean lastAdmin = isLiveAdmin(target, now) && queue.namedTokens().stream().filter(t -> isLiveAdmin(t, now)).count() == 1;
        if (lastAdmin)
            throw new SpoolError(SpoolError.Code.CONFLICT, "name", "'" + name + "' is the last admin token that has not expired; "
                    + "create another admin token first (spool tokens create NAME --role admin)");
        if (!queue.revokeToken(name, now))
            throw new SpoolError(SpoolError.Code.NOT_FOUND, "name", "no live token named '" + name + "'");
        auth.forgetToken(name);
        ctx.json(new TokenMessages.TokenRevoked(name, now.toString()));
    }

    private void rotateJoin(Context ctx) {
        String join = Tokens.generate(Tokens.JOIN);
        Instant now = clock.instant();
        queue.rotateJoinToken(Tokens.hash(join), now);
        auth.forgetJoin();
        ctx.json(new TokenMessages.JoinRotated(join, now.toString()));
    }

    private static boolean isLiveAdmin(JobQueue.NamedToken t, Instant now) {
        return TokenRole.ADMIN.wire().equals(t.role()) && (t.expiresAt() == null || now.isBefore(t.expiresAt()));
    }

    private static TokenMessages.TokenView view(JobQueue.NamedToken t, Instant now) {
        return new TokenMessages.TokenView(t.id(), t.name(), t.role() == null ? null : TokenRole.parse("role", t.role()),
                text(t.createdAt()), text(t.expiresAt()), text(t.lastUsedAt()), t.expiresAt() != null && !now.isBefore(t.expiresAt()));
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
