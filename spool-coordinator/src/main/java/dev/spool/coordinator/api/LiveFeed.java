package dev.spool.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spool.coordinator.metrics.CachedStats;
import dev.spool.coordinator.queue.Event;
import dev.spool.coordinator.queue.EventCursor;
import dev.spool.coordinator.queue.Job;
import dev.spool.coordinator.queue.JobQueue;
import dev.spool.model.protocol.Replies;
import dev.spool.model.protocol.Wire;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dashboard's live feed: one thread per coordinator reads the database every {@link #EVERY} and
 * tells every connected {@link LiveClients} client what changed: jobs with new events (the outbox,
 * read by cursor, so a change made through any coordinator is seen), running jobs whose progress
 * moved, workers whose view changed, and the stats at most every {@link #STATS_EVERY}. Nothing is
 * taken from this process's memory of its own requests, so it is correct behind a balancer; a
 * commit with events on this coordinator only wakes the thread early (at most every {@link #MIN_GAP}).
 */
final class LiveFeed implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LiveFeed.class.getName());
    static final Duration EVERY = Duration.ofMillis(500);
    static final Duration STATS_EVERY = Duration.ofSeconds(2);
    /** The least time between two looks, however busy: a burst of commits is one look, not one each. */
    static final Duration MIN_GAP = Duration.ofMillis(100);
    /** Outbox events read per tick at most; a larger burst is read on the next ticks. */
    private static final int EVENTS_PER_TICK = 5000;

    private final JobQueue queue;
    private final Clock clock;
    private final ClusterRoutes cluster;
    private final OutputRoutes outputs;
    private final CachedStats stats;
    private final LiveClients clients = new LiveClients();
    private final Thread thread;
    private volatile boolean running = true;
    private final java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);

    private EventCursor cursor;
    private Map<String, JobQueue.RunningJob> progress = new HashMap<>();
    private Map<String, String> workers = new HashMap<>();
    private String lastStats;
    private Instant statsAt = Instant.EPOCH;
    /** The first tick after a time with no clients: it learns how things stand, and tells only the events since. */
    private boolean fresh = true;

    LiveFeed(JobQueue queue, Clock clock, ClusterRoutes cluster, OutputRoutes outputs, CachedStats stats) {
        this.queue = queue;
        this.outputs = outputs;
        this.clock = clock;
        this.cluster = cluster;
        this.stats = stats;
        this.thread = new Thread(this::run, "spool-live-feed");
        thread.setDaemon(true);
    }

    LiveClients clients() { return clients; }

    void start() { thread.start(); }

    /** Wakes the feed when this coordinator commits events, so a local change needs no wait for the next poll. */
    dev.spool.coordinator.queue.QueueListener listener() {
        return commit -> {
            if (!commit.events().isEmpty() && !clients.isEmpty() && wake.availablePermits() == 0) wake.release();
        };
    }

    private void run() {
        while (running) {
            try {
                tick();
            } catch (RuntimeException e) {
                // the database out of reach for a moment: the cursor stays, the next tick catches up
                LOG.log(System.Logger.Level.WARNING, "live feed: " + e.getMessage());
            }
            try {
                Thread.sleep(MIN_GAP.toMillis());
                if (wake.tryAcquire(EVERY.minus(MIN_GAP).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One look at the database: what changed since the last, told to every client. */
    void tick() {
        if (clients.isEmpty()) {
            // nobody listens: stay at the outbox's end, and let the first client get everything afresh
            cursor = queue.latestEvent();
            fresh = true;
            return;
        }
        boolean tell = !fresh;   // a client reads how things stand from the routes; the feed tells it what changes
        fresh = false;
        if (cursor == null) cursor = queue.latestEvent();
        Set<String> touched = new LinkedHashSet<>();
        for (int read = 0; read < EVENTS_PER_TICK; ) {
            JobQueue.EventPage page = queue.eventsAfter(cursor, 1000);
            for (Event e : page.events()) touched.add(e.jobId());
            cursor = page.next();
            read += page.events().size();
            if (page.events().size() < 1000) break;
        }
        Map<String, JobQueue.RunningJob> now = new HashMap<>();
        for (JobQueue.RunningJob r : queue.runningJobs()) {
            now.put(r.jobId(), r);
            if (tell && !r.equals(progress.get(r.jobId()))) touched.add(r.jobId());
        }
        progress = now;
        if (!touched.isEmpty()) {
            for (Job job : queue.jobsById(touched)) clients.publish(LiveClients.frame("job", json(JobViews.summary(job, outputs.playbackUrl(job).orElse(null)))));
        }
        Instant at = clock.instant();
        Map<String, String> seen = new HashMap<>();
        for (Replies.WorkerView view : cluster.views(at)) {
            ObjectNode node = Wire.JSON.valueToTree(view);
            String text = node.toString();
            node.remove("last_seen");   // every sync moves it; what the contract reports is what the worker is doing
            String key = node.toString();
            seen.put(view.workerId(), key);
            if (tell && !key.equals(workers.get(view.workerId()))) clients.publish(LiveClients.frame("worker", text));
        }
        for (String gone : workers.keySet())
            if (tell && !seen.containsKey(gone)) clients.publish(LiveClients.frame("worker_removed", json(Map.of("worker_id", gone))));
        workers = seen;
        if (!tell || Duration.between(statsAt, at).compareTo(STATS_EVERY) >= 0) {
            statsAt = at;
            ObjectNode node = Wire.JSON.valueToTree(StatsRoutes.view(stats.get()));
            String text = node.toString();
            node.remove("at");
            String key = node.toString();
            if (tell && !key.equals(lastStats)) clients.publish(LiveClients.frame("stats", text));
            lastStats = key;
        }
    }

    static String json(Object value) {
        try {
            return Wire.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a reply record always serializes", e);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        clients.closeAll();
    }
}
