package dev.spool.coordinator.queue;

import dev.spool.model.SpoolError;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Plain JDBC with bound parameters, in transactions; database failures become STORAGE errors. */
final class Sql {
    interface Work<T> { T run(Tx c) throws SQLException; }
    interface Row<T> { T map(ResultSet rs) throws SQLException; }

    private final DataSource dataSource;
    private final QueueListeners listeners;

    Sql(DataSource dataSource, QueueListeners listeners) {
        this.dataSource = dataSource;
        this.listeners = listeners;
    }

    /** Runs the work in one transaction; once it has committed, the listeners hear what it did. */
    <T> T tx(Work<T> work) {
        Tx tx;
        T result;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            tx = new Tx(c);
            try {
                result = work.run(tx);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new SpoolError(SpoolError.Code.STORAGE, null, "database error: " + e.getMessage(), e);
        }
        listeners.committed(tx.commit());   // with the connection back in the pool (SQLite has one)
        return result;
    }

    /**
     * An enum constant written into SQL text: only where the planner must see the value to use a
     * partial index ({@code WHERE state = 'QUEUED'}), which a generic plan for a bound parameter
     * cannot. Enum names are Spool's own identifiers, never a user's string.
     */
    static String literal(Enum<?> value) {
        return "'" + value.name() + "'";
    }

    static int update(Tx c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    static <T> List<T> query(Tx c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) out.add(row.map(rs));
            return out;
        }
    }

    static <T> Optional<T> one(Tx c, String sql, Row<T> row, Object... args) throws SQLException {
        List<T> rows = query(c, sql, row, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static PreparedStatement prepare(Tx c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.connection().prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            int at = i + 1;
            switch (a) {
                case null -> ps.setNull(at, Types.VARCHAR);
                case NullOf n -> ps.setNull(at, n.sqlType());
                case Instant t -> ps.setLong(at, t.toEpochMilli());
                case Enum<?> e -> ps.setString(at, e.name());
                case Boolean b -> ps.setInt(at, b ? 1 : 0);
                case Integer n -> ps.setInt(at, n);
                case Long n -> ps.setLong(at, n);
                case Double d -> ps.setDouble(at, d);
                default -> ps.setString(at, a.toString());
            }
        }
        return ps;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
    }

    /** A NULL of a given SQL type: PostgreSQL refuses a VARCHAR null for a number column. */
    record NullOf(int sqlType) {}

    /** The value, or a BIGINT NULL. */
    static Object orNull(Long value) {
        return value != null ? value : new NullOf(Types.BIGINT);
    }

    /** The value, or a DOUBLE NULL. */
    static Object orNull(Double value) {
        return value != null ? value : new NullOf(Types.DOUBLE);
    }

    /** "?, ?, ?" for an IN list of n values. */
    static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
