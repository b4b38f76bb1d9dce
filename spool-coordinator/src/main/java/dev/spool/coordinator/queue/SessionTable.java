package dev.spool.coordinator.queue;

import java.time.Instant;
import java.util.Optional;

/**
 * Dashboard sign-in sessions, by the hash of the cookie's value: the token they were made from (by
 * its hash), their CSRF token, and when they expire. An expired row is never found; the scheduler
 * sweeps them.
 */
final class SessionTable {
    private final Sql sql;

    SessionTable(Sql sql) {
        this.sql = sql;
    }

    void create(String idHash, String tokenHash, String csrfToken, Instant now, Instant expiresAt) {
        sql.tx(c -> Sql.update(c, "INSERT INTO dashboard_sessions (id_hash, token_hash, csrf_token, created_at, expires_at) "
                + "VALUES (?, ?, ?, ?, ?)", idHash, tokenHash, csrfToken, now, expiresAt));
    }

    Optional<JobQueue.SessionRecord> live(String idHash, Instant now) {
        return sql.tx(c -> Sql.one(c, "SELECT token_hash, csrf_token, created_at, expires_at FROM dashboard_sessions "
                + "WHERE id_hash = ? AND expires_at > ?", rs -> new JobQueue.SessionRecord(idHash, rs.getString(1), rs.getString(2),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at")), idHash, now));
    }

    boolean delete(String idHash) {
        return sql.tx(c -> Sql.update(c, "DELETE FROM dashboard_sessions WHERE id_hash = ?", idHash)) > 0;
    }

    int deleteExpired(Instant now) {
        return sql.tx(c -> Sql.update(c, "DELETE FROM dashboard_sessions WHERE expires_at <= ?", now));
    }
}
