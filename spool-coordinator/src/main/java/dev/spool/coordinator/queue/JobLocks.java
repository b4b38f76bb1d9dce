package dev.spool.coordinator.queue;

import java.sql.SQLException;

/**
 * Locks a job's row until the transaction ends, handing back the {@link LockedJob} through which
 * its tasks change. A claim, which already holds its task, must not wait: it locks {@link #atOnce}
 * and, when the row is busy, fails and is tried again (see {@link TaskLeases.ClaimRace}). SQLite has
 * one connection: every transaction is alone anyway.
 */
final class JobLocks {
    private final Dialect dialect;

    JobLocks(Dialect dialect) {
        this.dialect = dialect;
    }

    LockedJob lock(Tx c, String jobId) throws SQLException {
        return lock(c, jobId, dialect.forUpdate());
    }

    LockedJob atOnce(Tx c, String jobId) throws SQLException {
        return lock(c, jobId, dialect.forUpdate().isEmpty() ? "" : dialect.forUpdate() + " NOWAIT");
    }

    /** A job this transaction inserted: its insert holds the row already. */
    LockedJob created(Tx c, String jobId) {
        return new LockedJob(c, jobId, null);
    }

    private static LockedJob lock(Tx c, String jobId, String lock) throws SQLException {
        Job job = Sql.one(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id = ?" + lock, Rows::job, jobId).orElse(null);
        return new LockedJob(c, jobId, job);
    }
}
