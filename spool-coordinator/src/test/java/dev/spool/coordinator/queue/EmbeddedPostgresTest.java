package dev.spool.coordinator.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** Checks that the test server is a real PostgreSQL with the features the queue relies on. */
class EmbeddedPostgresTest {
    private final LocalPostgres pg = EmbeddedPostgres.shared();

    @Test
    void eachDatabaseIsSeparateAndAnswersQueries() throws SQLException {
        String first = pg.createDatabase("smoke_first");
        String second = pg.createDatabase("smoke_second");
        assertThat(first).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/smoke_first?user=spool");

        try (Connection a = DriverManager.getConnection(first); Connection b = DriverManager.getConnection(second)) {
            assertThat(queryString(a, "select version()")).startsWith("PostgreSQL ");
            assertThat(queryString(b, "select version()")).startsWith("PostgreSQL ");
            assertThat(queryString(a, "select current_database()")).isEqualTo("smoke_first");

            update(a, "create table job (id bigint primary key)");
            assertThat(queryString(b, "select count(*) from pg_tables where tablename = 'job'")).isEqualTo("0");
        }
    }

    @Test
    void creatingADatabaseAgainStartsItEmpty() throws SQLException {
        String url = pg.createDatabase("smoke_recreated");
        try (Connection open = DriverManager.getConnection(url)) {
            update(open, "create table leftover (id int)");
            // The old connection is still open: a fresh database must not wait on it.
            try (Connection fresh = DriverManager.getConnection(pg.createDatabase("smoke_recreated"))) {
                assertThat(queryString(fresh, "select count(*) from pg_tables where tablename = 'leftover'"))
                        .isEqualTo("0");
            }
        }
    }

    @Test
    void skipLockedPassesOverARowAnotherTransactionHolds() throws SQLException {
        String url = pg.createDatabase("smoke_skip_locked");
        try (Connection setup = DriverManager.getConnection(url)) {
            update(setup, "create table task (id int primary key)");
            update(setup, "insert into task values (1), (2)");
        }
        String claim = "select id from task order by id limit 1 for update skip locked";
        try (Connection first = DriverManager.getConnection(url); Connection second = DriverManager.getConnection(url)) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);

            assertThat(queryString(first, claim)).isEqualTo("1");
            assertThat(queryString(second, claim)).isEqualTo("2");

            second.rollback();
            first.commit();
            assertThat(queryString(second, claim)).isEqualTo("1");
            second.rollback();
        }
    }

    @Test
    void notifyReachesAListenerOnAnotherConnection() throws SQLException {
        String url = pg.createDatabase("smoke_notify");
        try (Connection listener = DriverManager.getConnection(url); Connection sender = DriverManager.getConnection(url)) {
            update(listener, "listen task_ready");
            update(sender, "select pg_notify('task_ready', 'job-42')");

            PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(5_000);

            assertThat(received).hasSize(1);
            assertThat(received[0].getName()).isEqualTo("task_ready");
            assertThat(received[0].getParameter()).isEqualTo("job-42");
        }
    }

    @Test
    void aDatabaseNameThatWouldNeedQuotingIsRefused() {
        assertThatThrownBy(() -> pg.createDatabase("x\"; drop database postgres; --"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name must match");
    }

    @Test
    void manyConnectionsCanBeOpenAtOnce() throws SQLException {
        String url = pg.createDatabase("smoke_connections");
        List<Connection> open = new ArrayList<>();
        try {
            // A pool per coordinator plus workers in one test JVM needs more than the default 100.
            for (int i = 0; i < 150; i++) open.add(DriverManager.getConnection(url));
            assertThat(queryString(open.get(149), "select count(*) >= 150 from pg_stat_activity")).isEqualTo("t");
        } finally {
            for (Connection c : open) c.close();
        }
    }

    private static String queryString(Connection conn, String sql) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from: %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    private static void update(Connection conn, String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }
}
