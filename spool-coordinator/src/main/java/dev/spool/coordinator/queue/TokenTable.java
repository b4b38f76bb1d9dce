package dev.spool.coordinator.queue;

import dev.spool.model.SpoolError;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Named client tokens and the join token, by hash. A revoked token keeps its row, marked
 * {@code revoked_at}: lookups skip it, and its name may be given to a new token.
 */
final class TokenTable {
    private static final String NAMED_COLUMNS = "id, name, role, created_at, expires_at, last_used_at";
    private static final String LIVE = "revoked_at IS NULL";

    private final Sql sql;

    TokenTable(Sql sql) {
        this.sql = sql;
    }

    /** The live token with this hash (a revoked one is not found). */
    Optional<JobQueue.TokenRecord> live(String hash) {
        return sql.tx(c -> Sql.one(c, "SELECT kind, worker_id, name, role, expires_at FROM tokens WHERE hash = ? AND " + LIVE,
                rs -> new JobQueue.TokenRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Sql.instant(rs, "expires_at")), hash));
    }

    JobQueue.NamedToken create(String hash, String name, String role, Instant now, Instant expiresAt) {
        return sql.tx(c -> {
            if (Sql.one(c, "SELECT 1 FROM tokens WHERE kind = 'client' AND name = ? AND " + LIVE, rs -> 1, name).isPresent())
                throw taken(name);
            String id = id(hash);
            // two creates of one name at once both pass the check above on PostgreSQL: the unique
            // index decides, and the loser is told as the check would have told it
            int made = Sql.update(c, "INSERT INTO tokens (hash, kind, worker_id, created_at, id, name, role, expires_at) "
                    + "VALUES (?, 'client', NULL, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", hash, now, id, name, role, orNull(expiresAt));
            if (made == 0) throw taken(name);
            return new JobQueue.NamedToken(id, name, role, now, expiresAt, null);
        });
    }

    /** The live client tokens, oldest first. */
    List<JobQueue.NamedToken> named() {
        return sql.tx(c -> Sql.query(c, "SELECT " + NAMED_COLUMNS + " FROM tokens WHERE kind = 'client' AND " + LIVE
                + " ORDER BY created_at, name", TokenTable::named));
    }

    /** Revokes the live client token of this name; false when there is none. */
    boolean revoke(String name, Instant now) {
        return sql.tx(c -> Sql.update(c, "UPDATE tokens SET revoked_at = ? WHERE kind = 'client' AND name = ? AND " + LIVE,
                now, name)) > 0;
    }

    /** In one transaction: every live join token revoked, the new one saved. Worker credentials are other rows. */
    void rotateJoin(String hash, Instant now) {
        sql.tx(c -> {
            Sql.update(c, "UPDATE tokens SET revoked_at = ? WHERE kind = 'join' AND " + LIVE, now);
            return Sql.update(c, "INSERT INTO tokens (hash, kind, worker_id, created_at, id) VALUES (?, 'join', NULL, ?, ?)",
                    hash, now, id(hash));
        });
    }

    void used(String hash, Instant now) {
        sql.tx(c -> Sql.update(c, "UPDATE tokens SET last_used_at = ? WHERE hash = ?", now, hash));
    }

    private static SpoolError taken(String name) {
        return new SpoolError(SpoolError.Code.CONFLICT, "name", "a token named '" + name
                + "' exists; revoke it first (spool tokens revoke " + name + ") or choose another name");
    }

    private static String id(String hash) {
        return "tok_" + hash.substring(0, Math.min(16, hash.length()));
    }

    private static Object orNull(Instant t) {
        return t != null ? t : new Sql.NullOf(Types.BIGINT);
    }

    private static JobQueue.NamedToken named(ResultSet rs) throws SQLException {
        return new JobQueue.NamedToken(rs.getString("id"), rs.getString("name"), rs.getString("role"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at"), Sql.instant(rs, "last_used_at"));
    }
}
