package dev.spool.coordinator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WaiterTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void aWakeUpCompletesEveryWaitingPollAndForgetsThem() {
        Waiter waiter = new Waiter();
        long seen = waiter.generation();
        List<CompletableFuture<Boolean>> polls = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) polls.add(waiter.changeAfter(seen, LONG));
        assertThat(polls).noneMatch(CompletableFuture::isDone);
        assertThat(waiter.waiting()).isEqualTo(5_000);

        waiter.wakeAll();

        assertThat(polls).allMatch(p -> p.getNow(false));
        assertThat(waiter.waiting()).isZero();
    }

    @Test
    void aChangeBeforeThePollBeganCompletesItAtOnce() {
        Waiter waiter = new Waiter();
        long seen = waiter.generation();
        waiter.wakeAll();   // between the worker's first claim and its wait: must not be missed
        assertThat(waiter.changeAfter(seen, LONG).getNow(false)).isTrue();
        assertThat(waiter.waiting()).isZero();
    }

    @Test
    void aPollThatRunsOutCompletesFalseAndIsForgottenWithoutAWakeUp() throws Exception {
        Waiter waiter = new Waiter();
        CompletableFuture<Boolean> poll = waiter.changeAfter(waiter.generation(), Duration.ofMillis(50));
        assertThat(poll.get(10, TimeUnit.SECONDS)).isFalse();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);   // forgotten by the timer thread, just after
        while (waiter.waiting() > 0 && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(waiter.waiting()).isZero();
        assertThat(waiter.changeAfter(waiter.generation(), Duration.ZERO).getNow(true)).isFalse();
    }
}
