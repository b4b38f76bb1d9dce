package dev.spool.coordinator.queue;

/** What differs between the databases Spool runs on; everything else is the same SQL. */
public interface Dialect {
    /** Column definition of the events table's key. */
    String eventIdColumn();

    /** The default of an event's {@code tx} column: the writing transaction's id where commits can overlap. */
    default String eventTxDefault() { return "0"; }

    /** Appended to a read of the outbox: only events of transactions that can no longer be overtaken. */
    default String settledEvents() { return ""; }

    /** Appended to the claim's inner SELECT: PostgreSQL skips rows other coordinators are claiming. */
    String skipLocked();

    int maxPoolSize();

    /** Appended to a SELECT that locks the rows it reads until the transaction ends. */
    default String forUpdate() { return ""; }

    /** Appended to a SELECT that keeps the rows it reads from changing until the transaction ends. */
    default String forShare() { return ""; }

    /** Whether a statement failed because a row it must lock at once (NOWAIT) was locked. */
    default boolean lockBusy(Throwable e) { return false; }

    /** Tells other coordinators that claimable work appeared (see {@link JobQueue#announcer}). */
    default void announceWork(Tx c) throws java.sql.SQLException { }

    /** SQLite: one file, one coordinator. */
    final class Sqlite implements Dialect {
        @Override public String eventIdColumn() { return "INTEGER PRIMARY KEY AUTOINCREMENT"; }
        // One connection serializes every transaction; SQLite has no row locks to skip.
        @Override public String skipLocked() { return ""; }
        @Override public int maxPoolSize() { return 1; }
    }

    /** PostgreSQL: many stateless coordinators claiming with FOR UPDATE SKIP LOCKED. */
    final class Postgres implements Dialect {
        @Override public String eventIdColumn() { return "BIGSERIAL PRIMARY KEY"; }
        @Override public String skipLocked() { return " FOR UPDATE SKIP LOCKED"; }
        @Override public int maxPoolSize() { return 16; }
        @Override public String forUpdate() { return " FOR UPDATE"; }
        @Override public String forShare() { return " FOR SHARE"; }
        @Override public String eventTxDefault() { return "(pg_current_xact_id()::text::bigint)"; }
        // every transaction older than the snapshot's xmin has ended: none of them can still add an event before these
        @Override public String settledEvents() { return " AND tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"; }

        @Override
        public boolean lockBusy(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause())
                if (t instanceof java.sql.SQLException s && "55P03".equals(s.getSQLState())) return true;   // lock_not_available
            return false;
        }

        /** Delivered at commit to every coordinator LISTENing (see {@link WorkListener}). */
        static final String CHANNEL = "spool_work";

        @Override
        public void announceWork(Tx c) throws java.sql.SQLException {
            Sql.one(c, "SELECT pg_notify('" + CHANNEL + "', '')", rs -> true);
        }
    }
}
