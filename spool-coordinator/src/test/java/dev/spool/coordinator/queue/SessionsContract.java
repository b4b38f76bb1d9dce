package dev.spool.coordinator.queue;

import static dev.spool.coordinator.queue.JobQueueContract.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dashboard sessions on every database: found by the hash of their id with the token hash and CSRF
 * token they were made with, never once expired, gone once signed out, and swept when expired.
 */
abstract class SessionsContract {
    private static final Instant END = T0.plus(Duration.ofHours(12));

    JobQueue queue;

    /** A queue on a new, empty database. */
    abstract JobQueue open();

    @AfterEach
    void closeStore() {
        if (queue != null) queue.close();
    }

    @Test
    void aSessionIsFoundByItsIdHashUntilItsExpiry() {
        queue = open();
        queue.createSession("s-1", "t-1", "csrf-1", T0, END);

        assertThat(queue.session("s-1", T0)).contains(new JobQueue.SessionRecord("s-1", "t-1", "csrf-1", T0, END));
        assertThat(queue.session("s-1", END.minusMillis(1))).isPresent();
        assertThat(queue.session("s-1", END)).as("expired at its end").isEmpty();
        assertThat(queue.session("s-2", T0)).isEmpty();
    }

    @Test
    void signingOutDeletesOnlyThatSessionAndTheSweepOnlyExpiredOnes() {
        queue = open();
        queue.createSession("s-1", "t-1", "c1", T0, END);
        queue.createSession("s-2", "t-1", "c2", T0, END);
        queue.createSession("s-old", "t-1", "c3", T0.minus(Duration.ofHours(13)), T0.minus(Duration.ofHours(1)));

        assertThat(queue.deleteSession("s-1")).isTrue();
        assertThat(queue.deleteSession("s-1")).as("once").isFalse();
        assertThat(queue.session("s-1", T0)).isEmpty();
        assertThat(queue.session("s-2", T0)).isPresent();

        assertThat(queue.deleteExpiredSessions(T0)).isEqualTo(1);
        assertThat(queue.session("s-2", T0)).isPresent();
        assertThat(queue.deleteExpiredSessions(END)).isEqualTo(1);
    }
}
