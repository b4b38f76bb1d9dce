package dev.spool.coordinator.queue;

import static dev.spool.coordinator.queue.JobQueueContract.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.model.SpoolError;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The token table on every database: named client tokens found by hash with their role and
 * expiry, names unique among live tokens only, revocation by marking, the join token's rotation
 * leaving worker credentials alone, and the V9 migration of a coordinator's one client token.
 */
abstract class TokensContract {
    private static final Instant LATER = T0.plus(Duration.ofDays(30));

    JobQueue queue;

    /** A JDBC URL of a new, empty database. */
    abstract String newDatabase();

    abstract Dialect dialect();

    abstract JobQueue open(String url);

    private JobQueue fresh() {
        queue = open(newDatabase());
        return queue;
    }

    @AfterEach
    void closeStore() {
        if (queue != null) queue.close();
    }

    @Test
    void aNamedTokenIsFoundByItsHashWithItsNameRoleAndExpiryAndListedWithoutIt() {
        JobQueue q = fresh();
        JobQueue.NamedToken made = q.createToken("h-aaaa", "grafana", "read", T0, LATER);
        q.createToken("h-bbbb", "ci", "submit", T0.plusSeconds(1), null);
        q.saveToken("h-join", "join", null, T0);
        q.saveToken("h-w1", "worker", "w1", T0);

        assertThat(made.id()).as("a handle from the hash, not the name").isEqualTo("tok_h-aaaa");
        assertThat(q.token("h-aaaa")).contains(new JobQueue.TokenRecord("client", null, "grafana", "read", LATER));
        assertThat(q.token("h-bbbb")).contains(new JobQueue.TokenRecord("client", null, "ci", "submit", null));
        assertThat(q.namedTokens()).as("client tokens only, oldest first").extracting(JobQueue.NamedToken::name)
                .containsExactly("grafana", "ci");
        assertThat(q.namedTokens().getFirst()).isEqualTo(new JobQueue.NamedToken(made.id(), "grafana", "read", T0, LATER, null));
        assertThat(q.hasTokens()).isTrue();
    }

    @Test
    void aNameIsUniqueAmongLiveTokensAndFreeAgainOnceItsTokenIsRevoked() {
        JobQueue q = fresh();
        q.createToken("h-1", "grafana", "read", T0, null);

        assertThatThrownBy(() -> q.createToken("h-2", "grafana", "admin", T0, null)).isInstanceOfSatisfying(SpoolError.class, e -> {
            assertThat(e.code()).isEqualTo(SpoolError.Code.CONFLICT);
            assertThat(e.field()).isEqualTo("name");
        });
        assertThat(q.token("h-2")).as("nothing was saved").isEmpty();

        assertThat(q.revokeToken("grafana", T0.plusSeconds(5))).isTrue();
        assertThat(q.token("h-1")).as("a revoked token is not found").isEmpty();
        assertThat(q.revokeToken("grafana", T0.plusSeconds(6))).as("nothing live is left to revoke").isFalse();
        assertThat(q.revokeToken("nobody", T0)).isFalse();
        assertThat(q.namedTokens()).isEmpty();

        q.createToken("h-3", "grafana", "read", T0.plusSeconds(7), null);
        assertThat(q.token("h-3")).map(JobQueue.TokenRecord::name).contains("grafana");
        assertThat(q.token("h-1")).as("the old secret stays revoked").isEmpty();
    }

    @Test
    void ofManyCreatesOfOneNameAtOnceExactlyOneWinsAndTheRestAreTheNamesConflict() throws Exception {
        JobQueue q = fresh();
        int n = 8;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                String hash = "h-race-" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        q.createToken(hash, "initial", "admin", T0, null);
                        return "made";
                    } catch (SpoolError e) {
                        return e.code() + " " + e.field();
                    }
                }));
            }
            go.countDown();
        }
        java.util.List<String> outcomes = new java.util.ArrayList<>();
        for (var r : results) outcomes.add(r.get());
        assertThat(outcomes).filteredOn("made"::equals).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.equals("made")).hasSize(n - 1).allMatch("CONFLICT name"::equals);
        assertThat(q.namedTokens()).hasSize(1);
    }

    @Test
    void rotatingTheJoinTokenRevokesTheOldOneAndKeepsWorkerCredentials() {
        JobQueue q = fresh();
        q.saveToken("h-join", "join", null, T0);
        q.saveToken("h-w1", "worker", "w1", T0);
        q.createToken("h-admin", "initial", "admin", T0, null);

        q.rotateJoinToken("h-join-2", T0.plusSeconds(10));

        assertThat(q.token("h-join")).isEmpty();
        assertThat(q.token("h-join-2")).contains(new JobQueue.TokenRecord("join", null));
        assertThat(q.token("h-w1")).contains(new JobQueue.TokenRecord("worker", "w1"));
        assertThat(q.token("h-admin")).isPresent();
        q.rotateJoinToken("h-join-3", T0.plusSeconds(20));
        assertThat(q.token("h-join-2")).isEmpty();
        assertThat(q.token("h-join-3")).isPresent();
        assertThat(q.hasTokens()).isTrue();
    }

    @Test
    void lastUsedIsRecorded() {
        JobQueue q = fresh();
        q.createToken("h-1", "grafana", "read", T0, null);

        q.tokenUsed("h-1", T0.plusSeconds(90));

        assertThat(q.namedTokens().getFirst().lastUsedAt()).isEqualTo(T0.plusSeconds(90));
    }

    @Test
    void theMigrationMakesAnEarlierCoordinatorsClientTokenAnAdminNamedInitial() throws Exception {
        String url = newDatabase();
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("7")
                .placeholders(Map.of("event_id", dialect().eventIdColumn(), "event_tx", dialect().eventTxDefault())).load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO tokens (hash, kind, worker_id, created_at) VALUES ('h-old-client', 'client', NULL, "
                    + T0.toEpochMilli() + "), ('h-old-join', 'join', NULL, " + T0.toEpochMilli() + "), ('h-old-w1', 'worker', 'w1', "
                    + T0.toEpochMilli() + ")");
            if (!c.getAutoCommit()) c.commit();
        }

        queue = open(url);

        assertThat(queue.token("h-old-client")).contains(new JobQueue.TokenRecord("client", null, "initial", "admin", null));
        assertThat(queue.token("h-old-join")).contains(new JobQueue.TokenRecord("join", null));
        assertThat(queue.token("h-old-w1")).contains(new JobQueue.TokenRecord("worker", "w1"));
        assertThat(queue.namedTokens()).extracting(JobQueue.NamedToken::name, JobQueue.NamedToken::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("initial", "admin"));
        assertThatThrownBy(() -> queue.createToken("h-new", "initial", "read", T0, null)).isInstanceOf(SpoolError.class);
    }
}
