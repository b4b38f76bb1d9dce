package dev.spool.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The live feed's fan-out: a client that does not keep up is dropped, and the others hear every frame. */
class LiveClientsTest {
    @Test
    void aClientWhoseQueueIsFullIsDroppedWithoutHoldingUpTheOthers() throws InterruptedException {
        LiveClients clients = new LiveClients();
        LiveClients.Client slow = clients.join(3);
        LiveClients.Client fast = clients.join(100);

        for (int i = 0; i < 10; i++) {
            clients.publish("frame " + i);
            assertThat(fast.next(0)).isEqualTo("frame " + i);   // the fast one reads as it comes
        }

        assertThat(slow.dropped()).as("three frames waiting, the fourth found no room").isTrue();
        assertThat(slow.next(0)).as("the dropped client's stream ends").isEqualTo(LiveClients.END);
        assertThat(clients.size()).isEqualTo(1);
        clients.publish("after");
        assertThat(fast.next(0)).isEqualTo("after");
    }

    @Test
    void closingEndsEveryStream() throws InterruptedException {
        LiveClients clients = new LiveClients();
        LiveClients.Client a = clients.join();
        clients.publish("x");
        clients.closeAll();
        assertThat(a.next(1000)).isEqualTo(LiveClients.END);
        assertThat(clients.isEmpty()).isTrue();
    }

    @Test
    void aFrameIsOneServerSentEvent() {
        assertThat(LiveClients.frame("job", "{\"job_id\":\"j\"}")).isEqualTo("event: job\ndata: {\"job_id\":\"j\"}\n\n");
    }
}
