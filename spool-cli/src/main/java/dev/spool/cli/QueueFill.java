package dev.spool.cli;

import dev.spool.model.SpoolError;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills a benchmark's PostgreSQL schema in bulk, one INSERT ... SELECT generate_series a table,
 * instead of a submit per job: queued whole-job tasks, and the history of finished split jobs
 * (probe, four pieces, audio, package, all DONE, with their events) that a claim must not read.
 * Every row copies the spec and requirements of one job submitted through the API, so each is a
 * job the coordinator itself could have stored.
 */
final class QueueFill implements AutoCloseable {
    /** Tasks of a finished split job: probe, four pieces, audio, package. */
    static final int FINISHED_TASKS = 7;
    /** Events of a finished job: submitted, then leased and done for each task, then completed. */
    static final int FINISHED_EVENTS = 2 + 2 * FINISHED_TASKS;

    private final Connection c;
    private final String spec;
    private final int priority;
    private final String encoder;
    private final int minHeight;
    private final String pool;
    private final int maxAttempts;
    private int queued;

    private QueueFill(Connection c, String spec, int priority, String encoder, int minHeight, String pool, int maxAttempts) {
        this.c = c;
        this.spec = spec;
        this.priority = priority;
        this.encoder = encoder;
        this.minHeight = minHeight;
        this.pool = pool;
        this.maxAttempts = maxAttempts;
    }

    /** Reads the one job submitted so far as the template for every row, then removes it. */
    static QueueFill fromTemplate(String jdbcUrl) {
        try {
            Connection c = DriverManager.getConnection(jdbcUrl);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT j.spec, t.priority, t.encoder, t.min_height, t.pool, t.max_attempts "
                         + "FROM jobs j JOIN tasks t ON t.job_id = j.id LIMIT 1")) {
                if (!rs.next()) throw SpoolError.environment("no template job in " + jdbcUrl);
                QueueFill fill = new QueueFill(c, rs.getString(1), rs.getInt(2), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getInt(6));
                s.executeUpdate("DELETE FROM events");
                s.executeUpdate("DELETE FROM tasks");
                s.executeUpdate("DELETE FROM job_labels");
                s.executeUpdate("DELETE FROM jobs");
                return fill;
            }
        } catch (SQLException e) {
            throw SpoolError.environment("cannot read the template job: " + e.getMessage());
        }
    }

    /** {@code jobs} completed jobs, each with its seven DONE tasks and their events, long before the queue. */
    void finished(int jobs, long startMs) {
        String kind = "CASE WHEN p = 0 THEN 'probe' WHEN p <= 4 THEN 'encode-video' WHEN p = 5 THEN 'encode-audio' ELSE 'package' END";
        // each its own search text (input, output), as a submit writes it: a search finds one job, not all
        exec("INSERT INTO jobs (id, state, priority, spec, created_at, started_at, finished_at, progress, manifest_url, search) "
                + "SELECT 'job_d' || lpad(g::text, 10, '0'), 'COMPLETED', ?, ?, ? + g, ? + g, ? + g + 60000, 100, '/bench/out/index.m3u8', "
                + "'/bench/film-' || g || '.mp4' || chr(10) || '/bench/out/film-' || g FROM generate_series(1, ?) g",
                priority, spec, startMs, startMs, startMs, jobs);
        exec("INSERT INTO tasks (id, job_id, kind, state, priority, encoder, min_height, pool, attempt, max_attempts, not_before, "
                + "worker_id, lease_id, result, progress, piece, weight, created_at, started_at, finished_at) "
                + "SELECT 'task_done_' || g || '_' || p, 'job_d' || lpad(g::text, 10, '0'), " + kind + ", 'DONE', ?, ?, ?, ?, 1, ?, ? + g, "
                + "'old-worker-' || (g % 100), 'lease_done_' || g || '_' || p, 'piece-' || p, 100, "
                + "CASE WHEN p BETWEEN 1 AND 4 THEN p - 1 END, 1, ? + g, ? + g, ? + g + 60000 "
                + "FROM generate_series(1, ?) g, generate_series(0, " + (FINISHED_TASKS - 1) + ") p",
                priority, encoder, minHeight, pool, maxAttempts, startMs, startMs, startMs, startMs, jobs);
        exec("INSERT INTO events (job_id, task_id, worker_id, type, detail, at) "
                + "SELECT 'job_d' || lpad(g::text, 10, '0'), CASE WHEN e BETWEEN 1 AND " + 2 * FINISHED_TASKS + " THEN 'task_done_' || g || '_' || ((e - 1) / 2) END, "
                + "'old-worker-' || (g % 100), CASE WHEN e = 0 THEN 'submitted' WHEN e = " + (FINISHED_EVENTS - 1) + " THEN 'completed' "
                + "WHEN e % 2 = 1 THEN 'leased' ELSE 'encoded' END, 'bench history', ? + g + e "
                + "FROM generate_series(1, ?) g, generate_series(0, " + (FINISHED_EVENTS - 1) + ") e", startMs, jobs);
        pastWebhooks();
    }

    /**
     * The filled rows are history, not news: the webhook outbox starts after their events, as it would
     * have had these jobs run (else every coordinator would first read a million "submitted" events).
     */
    private void pastWebhooks() {
        exec("UPDATE webhook_cursor SET tx = (SELECT COALESCE(MAX(tx), -1) FROM events), id = (SELECT COALESCE(MAX(id), 0) FROM events)");
    }

    /** {@code n} more queued jobs of one transcode task each, behind those already queued. */
    void queue(int n, long startMs) {
        int from = queued + 1;
        int to = queued + n;
        exec("INSERT INTO jobs (id, state, priority, spec, created_at) SELECT 'job_q' || lpad(g::text, 10, '0'), 'QUEUED', ?, ?, ? + g "
                + "FROM generate_series(?, ?) g", priority, spec, startMs, from, to);
        exec("INSERT INTO tasks (id, job_id, kind, state, priority, encoder, min_height, pool, max_attempts, not_before, weight, created_at) "
                + "SELECT 'task_q_' || g, 'job_q' || lpad(g::text, 10, '0'), 'transcode', 'QUEUED', ?, ?, ?, ?, ?, ? + g, 1, ? + g "
                + "FROM generate_series(?, ?) g", priority, encoder, minHeight, pool, maxAttempts, startMs, startMs, from, to);
        exec("INSERT INTO events (job_id, task_id, type, detail, at) SELECT 'job_q' || lpad(g::text, 10, '0'), 'task_q_' || g, 'submitted', "
                + "'priority NORMAL', ? + g FROM generate_series(?, ?) g", startMs, from, to);
        pastWebhooks();
        queued = to;
    }

    /** Fresh planner statistics, as autovacuum would have gathered them on a database this size. */
    void analyze() {
        exec("ANALYZE");
    }

    long queuedNow() {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM tasks WHERE state = 'QUEUED'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw SpoolError.environment("cannot count the queue: " + e.getMessage());
        }
    }

    private void exec(String sql, Object... args) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw SpoolError.environment("cannot fill the benchmark database: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the benchmark is over; the schema is dropped with the server or left for inspection
        }
    }
}
