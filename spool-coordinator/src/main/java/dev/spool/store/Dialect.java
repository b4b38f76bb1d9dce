package dev.spool.store;

/** What differs between the databases Spool runs on; everything else is the same SQL. */
public interface Dialect {
    /** Column definition of the events table's key. */
    String eventIdColumn();

    /** Appended to the claim's inner SELECT: PostgreSQL skips rows other coordinators are claiming. */
    String skipLocked();

    int maxPoolSize();

    /** Tells other coordinators, in the same transaction, that claimable work appeared. */
    default void announceWork(java.sql.Connection c) throws java.sql.SQLException { }

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

        /** Delivered at commit to every coordinator LISTENing (see {@link WorkListener}). */
        static final String CHANNEL = "spool_work";

        @Override
        public void announceWork(java.sql.Connection c) throws java.sql.SQLException {
            Sql.one(c, "SELECT pg_notify('" + CHANNEL + "', '')", rs -> true);
        }
    }
}
