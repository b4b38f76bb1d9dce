package dev.spool.coordinator.api;

import dev.spool.coordinator.queue.ClaimedWith;
import dev.spool.coordinator.queue.Event;
import dev.spool.coordinator.queue.EventType;
import dev.spool.coordinator.queue.Task;
import dev.spool.model.job.TaskKind;
import dev.spool.model.job.TaskState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The timeline from a fake event trail, written as the queue writes its events. */
class TimelineTest {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private final List<Event> events = new ArrayList<>();

    private void event(int second, String task, String worker, EventType type, String detail) {
        events.add(new Event(events.size() + 1, "j1", task, worker, type, detail, T0.plusSeconds(second)));
    }

    private static Task task(String id, TaskKind kind, Integer piece, TaskState state, Instant finished) {
        return new Task(id, "j1", kind, state, 1, 4, null, null, null, 0, 0, -1, null, T0, T0, T0, finished, piece, null, null, 0,
                null, null, ClaimedWith.WORKER);
    }

    @Test
    void eachAttemptIsABarFromItsLeaseToWhatEndedIt() {
        event(0, "probe", null, EventType.SUBMITTED, "");
        event(1, "probe", "w1", EventType.LEASED, "probe, attempt 1, lease lease_a");
        event(3, "probe", "w1", EventType.PROBED, "in 2000 ms: 60 s of video");
        event(3, "probe", "w1", EventType.PLANNED, "2 pieces");
        event(4, "p0", "w1", EventType.LEASED, "piece 0, attempt 1, lease lease_b");
        event(4, "p1", "w2", EventType.LEASED, "piece 1, attempt 1, lease lease_c");
        event(9, "p1", "w2", EventType.FAILED, "piece 1, attempt 1: x264 crashed; retry after 2026-01-01T10:00:19Z");
        event(10, "p0", "w1", EventType.ENCODED, "piece 0, in 6000 ms");
        event(20, "p1", "w1", EventType.LEASED, "piece 1, attempt 2, lease lease_d");
        event(50, "p1", "w1", EventType.LEASE_EXPIRED, "piece 1, attempt 2: lease expired: worker w1 stopped syncing; retry after x");
        event(60, "p1", "w2", EventType.LEASED, "piece 1, attempt 3, lease lease_e");
        event(61, "p1", "w2", EventType.HANDED_BACK, "worker left");
        event(62, "p1", "w3", EventType.LEASED, "piece 1, attempt 3, lease lease_f");
        List<Task> tasks = List.of(task("probe", TaskKind.PROBE, null, TaskState.DONE, T0.plusSeconds(3)),
                task("p0", TaskKind.ENCODE_VIDEO, 0, TaskState.DONE, T0.plusSeconds(10)),
                task("p1", TaskKind.ENCODE_VIDEO, 1, TaskState.LEASED, null));

        List<Timeline.Bar> bars = Timeline.of(events, tasks);

        assertThat(bars).extracting(Timeline.Bar::taskId, Timeline.Bar::attempt, Timeline.Bar::worker, Timeline.Bar::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("probe", 1, "w1", "done"),
                        org.assertj.core.groups.Tuple.tuple("p0", 1, "w1", "done"),
                        org.assertj.core.groups.Tuple.tuple("p1", 1, "w2", "retried"),
                        org.assertj.core.groups.Tuple.tuple("p1", 2, "w1", "lease-expired"),
                        org.assertj.core.groups.Tuple.tuple("p1", 3, "w2", "handed-back"),
                        org.assertj.core.groups.Tuple.tuple("p1", 3, "w3", "running"));
        assertThat(bars.get(0).kind()).isEqualTo("probe");
        assertThat(bars.get(1).piece()).isZero();
        assertThat(bars.get(1).start()).isEqualTo(T0.plusSeconds(4));
        assertThat(bars.get(1).end()).isEqualTo(T0.plusSeconds(10));
        assertThat(bars.get(2).error()).isEqualTo("x264 crashed");
        assertThat(bars.get(1).error()).isNull();
        assertThat(bars.get(5).end()).isNull();
    }

    @Test
    void aFinalFailureOrACancelEndsTheAttemptsStillRunning() {
        event(1, "p0", "w1", EventType.LEASED, "piece 0, attempt 4, lease a");
        event(1, "p1", "w2", EventType.LEASED, "piece 1, attempt 1, lease b");
        event(5, "p0", "w1", EventType.FAILED, "piece 0, attempt 4, final: input unreadable");
        List<Timeline.Bar> failed = Timeline.of(events, List.of());
        assertThat(failed).extracting(Timeline.Bar::outcome).containsExactly("failed", "cancelled");
        assertThat(failed.get(0).error()).isEqualTo("input unreadable");
        assertThat(failed.get(1).end()).isEqualTo(T0.plusSeconds(5));

        events.clear();
        event(1, "t", "w1", EventType.LEASED, "attempt 1, lease a");
        event(7, null, null, EventType.CANCELLED, "cancelled by the client");
        assertThat(Timeline.of(events, List.of())).singleElement().satisfies(b -> {
            assertThat(b.outcome()).isEqualTo("cancelled");
            assertThat(b.end()).isEqualTo(T0.plusSeconds(7));
        });
    }

    @Test
    void anAttemptNoEventEndedTakesItsEndFromTheTask() {
        event(1, "t", "w1", EventType.LEASED, "attempt 1, lease a");
        List<Timeline.Bar> bars = Timeline.of(events, List.of(task("t", TaskKind.TRANSCODE, null, TaskState.CANCELLED, T0.plusSeconds(9))));
        assertThat(bars).singleElement().satisfies(b -> {
            assertThat(b.outcome()).isEqualTo("cancelled");
            assertThat(b.end()).isEqualTo(T0.plusSeconds(9));
        });
    }
}
