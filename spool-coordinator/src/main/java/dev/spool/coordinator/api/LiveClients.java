package dev.spool.coordinator.api;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The live feed's connected clients, each with a bounded queue of frames its own request thread
 * writes out. The feed only offers frames: a client too slow to keep up fills its queue and is
 * dropped (its browser reconnects and starts afresh), and never holds up the others.
 */
final class LiveClients {
    /** Frames one client may have waiting before it is dropped. */
    static final int QUEUE = 1024;
    /** Put in a client's queue to end its stream. */
    static final String END = "";

    private final Set<Client> clients = ConcurrentHashMap.newKeySet();

    /** A connected client: the frames waiting for it. */
    static final class Client {
        private final BlockingQueue<String> frames;
        private volatile boolean dropped;

        Client(int capacity) {
            frames = new ArrayBlockingQueue<>(capacity);
        }

        /** The next frame, null after {@code waitMs} with none, or {@link #END}. */
        String next(long waitMs) throws InterruptedException {
            if (dropped) return END;
            String f = frames.poll(waitMs, TimeUnit.MILLISECONDS);
            return dropped ? END : f;
        }

        boolean dropped() { return dropped; }

        private void drop() {
            dropped = true;
            frames.clear();
            frames.offer(END);
        }
    }

    Client join() { return join(QUEUE); }

    Client join(int capacity) {
        Client c = new Client(capacity);
        clients.add(c);
        return c;
    }

    void leave(Client c) {
        clients.remove(c);
    }

    boolean isEmpty() { return clients.isEmpty(); }

    int size() { return clients.size(); }

    /** Offers the frame to every client; one whose queue is full is dropped. */
    void publish(String frame) {
        for (Client c : clients) {
            if (!c.frames.offer(frame)) {
                c.drop();
                clients.remove(c);
            }
        }
    }

    void closeAll() {
        for (Client c : clients) c.drop();
        clients.clear();
    }

    /** One server-sent event; the data is one line of JSON (no newline in it, so one data: line). */
    static String frame(String event, String json) {
        return "event: " + event + "\ndata: " + json + "\n\n";
    }
}
