package dev.spool.coordinator.queue;

import dev.spool.model.SpoolError;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The webhook outbox's SQL: turning events after the cursor into deliveries (the cursor moves in
 * the same transaction), claiming due deliveries for one coordinator to send, recording attempts.
 * What to deliver and how to send it is the webhooks package's; this class only keeps the rows.
 */
final class WebhookOutbox {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, job_id, event, url, source, format, payload, state, attempts, next_attempt_at, "
            + "last_status, last_error, created_at, finished_at";

    private final Dialect dialect;

    WebhookOutbox(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Plans up to {@code limit} events; returns how many events were read (0: the outbox is drained). */
    int plan(Tx c, DeliveryPlanner planner, int limit, Instant now) throws SQLException {
        EventCursor cursor = Sql.one(c, "SELECT tx, id FROM webhook_cursor WHERE name = 'webhooks'" + dialect.forUpdate(),
                rs -> new EventCursor(rs.getLong(1), rs.getLong(2))).orElse(EventCursor.START);
        EventCursor[] last = {cursor};
        List<Event> events = Sql.query(c, "SELECT tx, id, job_id, task_id, worker_id, type, detail, at FROM events "
                + "WHERE (tx, id) > (?, ?)" + dialect.settledEvents() + " ORDER BY tx, id LIMIT ?", rs -> {
                    last[0] = new EventCursor(rs.getLong("tx"), rs.getLong("id"));
                    return Rows.event(rs);
                }, cursor.tx(), cursor.id(), limit);
        if (events.isEmpty()) return 0;
        Map<String, Optional<Job>> jobs = new HashMap<>();
        Map<String, Integer> attempts = new HashMap<>();
        for (Event e : events) {
            if (!planner.relevant().contains(e.type())) continue;   // most events (transfers, pieces, plans) make none
            Optional<Job> job = jobs.get(e.jobId());
            if (job == null) {
                job = Sql.one(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id = ?", Rows::job, e.jobId());
                jobs.put(e.jobId(), job);
                attempts.put(e.jobId(), Sql.one(c, "SELECT COALESCE(MAX(attempt), 0) FROM tasks WHERE job_id = ?",
                        rs -> rs.getInt(1), e.jobId()).orElse(0));
            }
            for (Delivery.Planned d : planner.plan(e, job, attempts.get(e.jobId()))) insert(c, d, now);
        }
        Sql.update(c, "UPDATE webhook_cursor SET tx = ?, id = ? WHERE name = 'webhooks'", last[0].tx(), last[0].id());
        return events.size();
    }

    private static void insert(Tx c, Delivery.Planned d, Instant now) throws SQLException {
        Sql.update(c, "INSERT INTO webhook_deliveries (id, job_id, event, url, source, format, payload, state, next_attempt_at, "
                + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", newId("msg_"), d.jobId(), d.event(), d.url(), d.source(), d.format(),
                d.payload(), Delivery.State.PENDING, now, now);
    }

    /** Takes up to {@code limit} due deliveries for this coordinator to send within {@code claimFor}. */
    List<Delivery> claim(Tx c, int limit, Instant now, Duration claimFor) throws SQLException {
        List<Delivery> due = Sql.query(c, "SELECT " + COLUMNS + " FROM webhook_deliveries WHERE state = " + Sql.literal(Delivery.State.PENDING)
                + " AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)"
                + " AND url NOT IN (SELECT url FROM webhook_endpoints WHERE paused_at IS NOT NULL) ORDER BY next_attempt_at LIMIT ?"
                + dialect.skipLocked(), WebhookOutbox::delivery, now, now, limit);
        List<Delivery> claimed = new ArrayList<>();
        for (Delivery d : due) {
            String token = newId("claim_");   // a fencing token: the claim of a coordinator whose time ran out is not this one
            if (Sql.update(c, "UPDATE webhook_deliveries SET claimed_until = ?, claim_token = ? WHERE id = ? AND state = ? "
                    + "AND (claimed_until IS NULL OR claimed_until < ?)", now.plus(claimFor), token, d.id(), Delivery.State.PENDING,
                    now) == 1)
                claimed.add(d.claimedAs(token));
        }
        return claimed;
    }

    /**
     * Records an attempt at a claimed delivery, and what it says of its endpoint: a success clears it,
     * a failure marks it failing (since its first failure) and pauses it once it has failed for
     * {@code pauseAfter}. False, and nothing recorded, when the delivery is no longer pending under this
     * claim: this coordinator's claim ran out and another took it, or it was cancelled meanwhile.
     */
    boolean attempted(Tx c, Delivery d, Delivery.Outcome outcome, Instant now, Duration pauseAfter) throws SQLException {
        if (!recorded(c, d, outcome, now)) return false;
        if (outcome instanceof Delivery.Outcome.Delivered) {
            Sql.update(c, "DELETE FROM webhook_endpoints WHERE url = ?", d.url());
        } else if (!(outcome instanceof Delivery.Outcome.Gone)) {
            String error = switch (outcome) {
                case Delivery.Outcome.RetryAt r -> r.error();
                case Delivery.Outcome.GaveUp g -> g.error();
                default -> null;
            };
            Sql.update(c, "INSERT INTO webhook_endpoints (url, failing_since, last_error) VALUES (?, ?, ?) "
                    + "ON CONFLICT (url) DO UPDATE SET last_error = excluded.last_error", d.url(), now, error);
            Sql.update(c, "UPDATE webhook_endpoints SET paused_at = ? WHERE url = ? AND paused_at IS NULL AND failing_since <= ?",
                    now, d.url(), now.minus(pauseAfter));
        }
        return true;
    }

    /** Endpoints failing now, paused or not, oldest failure first. */
    List<Delivery.Endpoint> endpoints(Tx c) throws SQLException {
        return Sql.query(c, "SELECT url, failing_since, paused_at, last_error FROM webhook_endpoints ORDER BY failing_since, url",
                rs -> new Delivery.Endpoint(rs.getString(1), Sql.instant(rs, "failing_since"), Sql.instant(rs, "paused_at"),
                        rs.getString(4)));
    }

    /** Lets a paused endpoint be called again (its deliveries wait where they were); false when it was not failing. */
    boolean resume(Tx c, String url) throws SQLException {
        return Sql.update(c, "DELETE FROM webhook_endpoints WHERE url = ?", url) == 1;
    }

    private boolean recorded(Tx c, Delivery d, Delivery.Outcome outcome, Instant now) throws SQLException {
        if (d.claim() == null) throw new IllegalArgumentException("delivery " + d.id() + " was not claimed: no attempt to record");
        String set = "attempts = attempts + 1, claimed_until = NULL, claim_token = NULL, ";
        String where = " WHERE id = ? AND state = " + Sql.literal(Delivery.State.PENDING) + " AND claim_token = ?";
        return switch (outcome) {
            case Delivery.Outcome.Delivered ok -> Sql.update(c, "UPDATE webhook_deliveries SET " + set
                    + "state = ?, last_status = ?, last_error = NULL, finished_at = ?" + where,
                    Delivery.State.DELIVERED, ok.status(), now, d.id(), d.claim()) == 1;
            case Delivery.Outcome.RetryAt retry -> Sql.update(c, "UPDATE webhook_deliveries SET " + set
                    + "next_attempt_at = ?, last_status = ?, last_error = ?" + where,
                    retry.next(), status(retry.status()), retry.error(), d.id(), d.claim()) == 1;
            case Delivery.Outcome.GaveUp gaveUp -> Sql.update(c, "UPDATE webhook_deliveries SET " + set
                    + "state = ?, last_status = ?, last_error = ?, finished_at = ?" + where,
                    Delivery.State.FAILED, status(gaveUp.status()), gaveUp.error(), now, d.id(), d.claim()) == 1;
            case Delivery.Outcome.Gone gone -> {
                boolean mine = Sql.update(c, "UPDATE webhook_deliveries SET " + set
                        + "state = ?, last_status = 410, last_error = ?, finished_at = ?" + where,
                        Delivery.State.DISABLED, gone.error(), now, d.id(), d.claim()) == 1;
                if (!mine) yield false;
                Sql.update(c, "UPDATE webhook_deliveries SET state = ?, last_error = ?, finished_at = ? WHERE url = ? AND state = ?",
                        Delivery.State.DISABLED, "the endpoint answered 410 Gone to delivery " + d.id(), now, d.url(),
                        Delivery.State.PENDING);
                yield true;
            }
        };
    }

    List<Delivery> ofJob(Tx c, String jobId) throws SQLException {
        return Sql.query(c, "SELECT " + COLUMNS + " FROM webhook_deliveries WHERE job_id = ? ORDER BY created_at, id",
                WebhookOutbox::delivery, jobId);
    }

    List<Delivery> recent(Tx c, Optional<Delivery.State> state, int limit) throws SQLException {
        return state.isPresent()
                ? Sql.query(c, "SELECT " + COLUMNS + " FROM webhook_deliveries WHERE state = ? ORDER BY created_at DESC, id LIMIT ?",
                        WebhookOutbox::delivery, state.get(), limit)
                : Sql.query(c, "SELECT " + COLUMNS + " FROM webhook_deliveries ORDER BY created_at DESC, id LIMIT ?",
                        WebhookOutbox::delivery, limit);
    }

    /**
     * Sends a finished delivery again (same webhook-id) or at once if it is waiting; false when there is
     * none. A delivery being sent (its claim live) is refused: a second send beside it would go out
     * twice at once, and its claimant's outcome would be lost.
     */
    boolean redeliver(Tx c, String id, Instant now) throws SQLException {
        if (Sql.update(c, "UPDATE webhook_deliveries SET state = ?, next_attempt_at = ?, claimed_until = NULL, claim_token = NULL, "
                + "finished_at = NULL WHERE id = ? AND (claimed_until IS NULL OR claimed_until < ?)", Delivery.State.PENDING, now, id, now) == 1)
            return true;
        Optional<Instant> claimed = Sql.one(c, "SELECT claimed_until FROM webhook_deliveries WHERE id = ?",
                rs -> Sql.instant(rs, "claimed_until"), id);
        if (claimed.isEmpty()) return false;
        throw new SpoolError(SpoolError.Code.CONFLICT, "id", "webhook delivery " + id
                + " is being sent now (claimed until " + claimed.get() + "); ask again once its attempt shows in spool webhooks list");
    }

    private static Object status(Integer status) {
        return status == null ? new Sql.NullOf(java.sql.Types.INTEGER) : status;
    }

    private static Delivery delivery(java.sql.ResultSet rs) throws SQLException {
        int status = rs.getInt("last_status");
        Integer lastStatus = rs.wasNull() ? null : status;
        return new Delivery(rs.getString("id"), rs.getString("job_id"), rs.getString("event"), rs.getString("url"),
                Delivery.Source.valueOf(rs.getString("source")), rs.getString("format"), rs.getString("payload"),
                Delivery.State.valueOf(rs.getString("state")), rs.getInt("attempts"), Sql.instant(rs, "next_attempt_at"),
                lastStatus, rs.getString("last_error"), Sql.instant(rs, "created_at"), Sql.instant(rs, "finished_at"), null);
    }

    /** A prefix ("msg_", "claim_") and 128 random bits: unique across coordinators without asking the database. */
    private static String newId(String prefix) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
