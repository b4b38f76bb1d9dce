package dev.spool.coordinator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.model.testing.Poll;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GuardedTest {
    @Test
    void aRuleThatFailsOnceKeepsBeingScheduled() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Runnable flaky = () -> {
            if (runs.incrementAndGet() == 1) throw new IllegalStateException("the database is out of reach");
        };
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            // unguarded, the executor would stop the task for good after its first throw
            scheduler.scheduleWithFixedDelay(Guarded.rule("a flaky rule", flaky), 0, 1, TimeUnit.MILLISECONDS);
            Poll.until(java.time.Duration.ofSeconds(30), "the rule has run three times", () -> runs.get() >= 3);
        } finally {
            scheduler.shutdownNow();
        }
        assertThat(runs.get()).isGreaterThanOrEqualTo(3);
    }
}
