package dev.spool.coordinator.webhooks;

import dev.spool.coordinator.queue.Commit;
import dev.spool.coordinator.queue.Delivery;
import dev.spool.coordinator.queue.Job;
import dev.spool.coordinator.queue.JobQueue;
import dev.spool.coordinator.queue.QueueListener;
import dev.spool.model.net.RedactedUrl;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends webhooks from the outbox. One thread plans new events into deliveries and claims due
 * deliveries, each sent on a virtual thread; it runs every {@link #TICK}, and at once after a commit
 * that wrote events, so a webhook leaves within milliseconds of its event. Every coordinator runs one:
 * planning moves a shared cursor under a row lock and claims skip rows others hold, so between them
 * each delivery is sent by one coordinator at a time. A coordinator that dies mid-call leaves its claim
 * to run out ({@link #CLAIM}); another then sends it again under the same webhook-id.
 */
public final class WebhookDispatcher implements QueueListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WebhookDispatcher.class.getName());
    static final Duration TICK = Duration.ofSeconds(1);
    /** Longer than a call may take (15 s), so a live coordinator's claim never runs out mid-call. */
    static final Duration CLAIM = Duration.ofSeconds(60);
    private static final int BATCH = 32;

    private final JobQueue queue;
    private final Clock clock;
    private final WebhookSettings settings;
    private final WebhookPlanner planner;
    private final WebhookSender sender;
    private final Semaphore wake = new Semaphore(0);
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread loop;
    private final Counter outcomes;
    private final Histogram latency;
    private volatile boolean running = true;

    public WebhookDispatcher(JobQueue queue, Clock clock, WebhookSettings settings, PrometheusRegistry registry) {
        this.queue = queue;
        this.clock = clock;
        this.settings = settings;
        this.planner = new WebhookPlanner(settings.subscriptions());
        this.sender = new WebhookSender(settings, clock);
        outcomes = Counter.builder().name("spool_webhook_deliveries_total")
                .help("Webhook attempts by outcome (delivered, retry, failed, gone)").labelNames("outcome").register(registry);
        for (String o : List.of("delivered", "retry", "failed", "gone")) outcomes.labelValues(o);
        latency = Histogram.builder().name("spool_webhook_delivery_latency_seconds").unit(Unit.SECONDS)
                .help("From the delivery's planning to its successful call").classicOnly()
                .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86400).register(registry);
        loop = Thread.ofPlatform().daemon().name("spool-webhooks").start(this::run);
    }

    @Override
    public void committed(Commit commit) {
        if (!commit.events().isEmpty()) wake.release();
    }

    private void run() {
        while (running) {
            try {
                round();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "webhooks: a round failed, tried again at the next tick: " + e.getMessage());
            }
            try {
                wake.tryAcquire(TICK.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Plans every settled event, then sends what is due, a batch at a time. */
    void round() {
        while (running && queue.planDeliveries(planner, 500, clock.instant()) > 0) {
            // keep planning: a burst of events is planned before any is sent
        }
        List<Delivery> due;
        while (running && !(due = queue.claimDeliveries(BATCH, clock.instant(), CLAIM)).isEmpty()) {
            List<Future<?>> sent = new ArrayList<>();
            for (Delivery d : due) sent.add(calls.submit(() -> attempt(d)));
            for (Future<?> f : sent) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.log(System.Logger.Level.WARNING, "webhooks: a call failed: " + e.getCause().getMessage());
                }
            }
        }
    }

    private void attempt(Delivery d) {
        Optional<List<String>> secrets = secrets(d);
        Delivery.Outcome outcome = secrets.isEmpty()
                ? new Delivery.Outcome.GaveUp(null, "its signing secret is gone (the job was removed, or the coordinator "
                        + "no longer subscribes this endpoint)")
                : sender.send(d, secrets.get());
        Instant now = clock.instant();
        if (!queue.deliveryAttempted(d, outcome, now, settings.pauseAfter()))
            LOG.log(System.Logger.Level.WARNING, "webhook " + d.id() + " to " + RedactedUrl.of(d.url()) + ": this coordinator's claim "
                    + "ran out during the call (or the delivery was stopped); its attempt is not recorded");
        switch (outcome) {
            case Delivery.Outcome.Delivered ok -> {
                outcomes.labelValues("delivered").inc();
                latency.observe(Math.max(0, Duration.between(d.createdAt(), now).toNanos()) / 1e9);
            }
            case Delivery.Outcome.RetryAt r -> outcomes.labelValues("retry").inc();
            case Delivery.Outcome.GaveUp g -> {
                outcomes.labelValues("failed").inc();
                LOG.log(System.Logger.Level.WARNING, "webhook " + d.id() + " to " + RedactedUrl.of(d.url()) + " gave up: " + g.error());
            }
            case Delivery.Outcome.Gone g -> outcomes.labelValues("gone").inc();
        }
    }

    /** The secrets that sign this delivery (none: unsigned), or empty when its subscription is gone. */
    private Optional<List<String>> secrets(Delivery d) {
        if (d.source() == Delivery.Source.COORDINATOR)
            return settings.subscriptions().stream().filter(s -> s.url().equals(d.url())).findFirst()
                    .map(WebhookSettings.Subscription::secrets);
        // a job that is gone cannot say whether its calls were signed: never send one unsigned by mistake
        return queue.job(d.jobId()).map(Job::spec)
                .map(s -> s.webhook() == null || s.webhook().secret() == null ? List.of() : List.of(s.webhook().secret()));
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
        calls.shutdownNow();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
