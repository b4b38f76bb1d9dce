package dev.spool.coordinator.api;

import dev.spool.model.protocol.Replies;
import dev.spool.model.protocol.Api;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Wire;
import dev.spool.coordinator.schedule.ExpiredLeases;
import dev.spool.coordinator.schedule.Guarded;
import dev.spool.coordinator.schedule.Waiter;
import dev.spool.coordinator.metrics.CoordinatorMetrics;
import dev.spool.coordinator.webhooks.WebhookDispatcher;
import dev.spool.coordinator.queue.Database;
import dev.spool.coordinator.queue.JobQueue;
import io.javalin.Javalin;
import io.javalin.event.HandlerMetaInfo;
import io.javalin.json.JavalinJackson;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator process: the queue, the HTTP API (client routes, worker protocol, health,
 * OpenAPI), and the scheduler thread that re-queues expired leases. Stateless over its queue.
 */
public final class Coordinator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Coordinator.class.getName());
    private static final java.time.Duration OVERDUE_CHECK = java.time.Duration.ofSeconds(5);
    /** Connections the kernel may hold for Jetty to accept (capped by net.core.somaxconn). */
    static final int ACCEPT_BACKLOG = 1024;

    private final JobQueue queue;
    private final Javalin app;
    private final ScheduledExecutorService scheduler;
    private final Path tokensFile;
    private final AutoCloseable workListener;
    private final List<HandlerMetaInfo> routes;
    private final Waiter waiter;
    private final CoordinatorMetrics metrics;
    private final WebhookDispatcher webhooks;
    private LiveFeed live;
    private LiveRoutes liveRoutes;
    private dev.spool.coordinator.scale.ScaleExec scaleExec;
    /** How often each coordinator decides the desired worker counts: as often as the stats are read again. */
    private static final java.time.Duration SCALE_EVERY = java.time.Duration.ofSeconds(2);

    private Coordinator(JobQueue queue, Javalin app, ScheduledExecutorService scheduler, Path tokensFile, AutoCloseable workListener,
                        List<HandlerMetaInfo> routes, Waiter waiter, CoordinatorMetrics metrics, WebhookDispatcher webhooks) {
        this.webhooks = webhooks;
        this.queue = queue;
        this.waiter = waiter;
        this.metrics = metrics;
        this.app = app;
        this.scheduler = scheduler;
        this.tokensFile = tokensFile;
        this.workListener = workListener;
        this.routes = routes;
    }

    public static Coordinator start(CoordinatorConfig config, Clock clock) {
        JobQueue queue = config.dbUrl() != null ? Database.postgres(config.dbUrl()) : Database.sqlite(config.dataDir());
        Path tokens = Tokens.ensureInitial(queue, config.dataDir(), clock.instant(), config.initialTokens());
        Waiter waiter = new Waiter();
        List<HandlerMetaInfo> routes = new CopyOnWriteArrayList<>();
        // every after-commit reaction, here and nowhere else: routes and rules only change the queue
        queue.listeners().add(waiter);
        queue.listeners().add(queue.announcer());
        CoordinatorMetrics metrics = new CoordinatorMetrics(queue, clock, config.workerTimeout());
        queue.listeners().add(metrics.queueListener());
        WebhookDispatcher webhooks = new WebhookDispatcher(queue, clock, config.webhooks(), metrics.registry());
        queue.listeners().add(webhooks);
        Javalin app = Javalin.create(cfg -> {
            cfg.events.handlerAdded(added -> {
                if (added.getHttpMethod().isHttpMethod()) routes.add(added);
            });
            cfg.useVirtualThreads = true;   // a long-polling worker parks a virtual thread, not a platform one
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = CoordinatorConfig.MAX_BODY_BYTES;
            cfg.jsonMapper(new JavalinJackson(Wire.JSON, false));
            // Jetty builds a header-field cache per connection (~100 KB at the default size); with
            // thousands of workers each holding a long-poll connection that was most of the heap
            cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(64));
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonBadRequests()));   // Jetty's own 400s in JSON too
            // thousands of workers connecting at once (a start, a restart) overflowed the JDK's
            // default accept backlog of 50: the kernel dropped their handshakes and reset them
            cfg.jetty.modifyServer(server -> server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                    for (var connector : server.getConnectors())
                        if (connector instanceof org.eclipse.jetty.server.ServerConnector c) c.setAcceptQueueSize(ACCEPT_BACKLOG);
                }
            }));
            if (config.tls() != null) {   // HTTPS only, on --port: the plugin's connector replaces the plain one
                io.javalin.community.ssl.SslPlugin ssl = config.tls().plugin(config.host(), config.port());
                cfg.registerPlugin(ssl);
                CertificateReload reload = new CertificateReload(config.tls(), ssl);
                cfg.events.serverStarted(reload::start);
                cfg.events.serverStopped(reload::close);
            }
        });
        Auth auth = new Auth(queue, clock, new RateLimiter(config.limits(), System::nanoTime));
        app.before(ctx -> {
            // an announced length over the route's cap is refused before a byte is read; a chunked body
            // is counted while it is read (ApiErrors.parse, CappedInput)
            String length = ctx.header("Content-Length");
            boolean fileUpload = ctx.method() == io.javalin.http.HandlerType.PUT && FileRoutes.isFilesRoute(ctx.path());
            long cap = fileUpload ? config.limits().maxUploadBytes() : CoordinatorConfig.MAX_BODY_BYTES;
            if (length != null && length.matches("\\d{1,19}") && Long.parseLong(length) > cap) {
                ApiErrors.tooLargeFor(ctx, fileUpload ? FileRoutes.uploadLimitName(config.limits()) : BodyLimit.LARGEST.name());
                ctx.skipRemainingHandlers();
                return;
            }
        });
        app.beforeMatched(auth::check);   // by the role each route declares below
        app.exception(SpoolError.class, (e, ctx) -> ApiErrors.render(ctx, e));
        app.exception(ApiErrors.BodyTooLarge.class, (e, ctx) -> ApiErrors.tooLarge(ctx, e));
        app.exception(Exception.class, ApiErrors::unexpected);
        app.error(404, ctx -> {
            // our own 404s ("no job X") are written already; Javalin's "endpoint not found" is plain text
            // (ctx.contentType() would be the request's type, not the reply's)
            if (ctx.attribute(ApiErrors.RENDERED) != null) return;
            // no route matched, so no role was checked: without a valid token the answer is 401 all the
            // same, and which paths exist is not told
            if (ctx.path().startsWith("/api/") && auth.authenticate(ctx) == null) return;
            ApiErrors.render(ctx, 404, "NOT_FOUND", "no route " + ctx.method() + " " + ctx.path(), null);
        });
        app.get(Api.HEALTH, ctx -> ctx.json(Replies.Health.OK), Role.OPEN);
        app.get(Api.OPENAPI, ctx -> ctx.contentType("application/json").result(openApi()), Role.READ);
        var files = new dev.spool.coordinator.files.FileStore(config.dataDir().resolve("files"));
        OutputRoutes outputs = new OutputRoutes(queue, files, config.serveOutputs());
        new JobRoutes(queue, clock, config.retry(), outputs).register(app);
        outputs.register(app);
        new WorkerRoutes(queue, clock, config, waiter, auth, metrics).register(app);
        new ReportRoutes(queue, clock, config).register(app);
        new ClusterRoutes(queue, clock, config).register(app);
        new MetricsRoutes(metrics).register(app, config.openMetrics() ? Role.OPEN : Role.READ);
        new StatsRoutes(metrics.stats()).register(app, Role.READ);
        new WebhookRoutes(queue, clock).register(app);
        new TokenRoutes(queue, clock, auth).register(app);
        new FileRoutes(queue, files, config.limits()).register(app);
        // the dashboard's API (issue 15): sign-in sessions, bulk actions, throughput history, the live feed
        new SessionRoutes(queue, clock, auth, config.tls() != null).register(app);
        new BulkRoutes(new JobRoutes(queue, clock, config.retry(), outputs)).register(app);
        new StatsHistoryRoutes(queue, clock).register(app);
        LiveFeed live = new LiveFeed(queue, clock, new ClusterRoutes(queue, clock, config), outputs, metrics.stats());
        queue.listeners().add(live.listener());
        LiveRoutes liveRoutes = new LiveRoutes(live, clock);
        liveRoutes.register(app);
        new dev.spool.coordinator.dashboard.DashboardRoutes().register(app, Role.OPEN);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spool-scheduler");
            t.setDaemon(true);
            return t;
        });
        long every = config.reaperInterval().toMillis();
        // the beat first, at start and every tick: after an outage leases get their grace before anything expires
        // the database out of reach at a beat: the next beat that gets through grants the grace
        Runnable heartbeat = Guarded.rule("the coordinator heartbeat",
                new dev.spool.coordinator.schedule.CoordinatorHeartbeat(queue, clock, config.outageSilence(), config.workerTimeout()));
        heartbeat.run();
        Runnable unacknowledged = Guarded.rule("handing back unacknowledged tasks",
                new dev.spool.coordinator.schedule.UnacknowledgedLeases(queue, clock, config.ackTimeout(), config.workerTimeout()));
        Runnable expired = Guarded.rule("re-queueing expired leases", new ExpiredLeases(queue, clock, config.retry()));
        scheduler.scheduleWithFixedDelay(() -> {
            heartbeat.run();
            unacknowledged.run();
            expired.run();
        }, every, every, TimeUnit.MILLISECONDS);
        long overdueEvery = Math.max(every, OVERDUE_CHECK.toMillis());   // limits are minutes: no need to look every second
        scheduler.scheduleWithFixedDelay(Guarded.rule("taking back overdue tasks",
                new dev.spool.coordinator.schedule.OverdueTasks(queue, clock, config.retry(), config.taskTimeout())),
                overdueEvery, overdueEvery, TimeUnit.MILLISECONDS);
        dev.spool.coordinator.scale.ScaleExec scaleExec = config.scaling().exec().isEmpty() ? null
                : new dev.spool.coordinator.scale.ScaleExec(config.scaling().exec(), config.scaling().execTimeout());
        scheduler.scheduleWithFixedDelay(Guarded.rule("deciding the desired worker counts",
                new dev.spool.coordinator.scale.Autoscaler(queue, clock, config.scaling().policy(), config.workerTimeout(),
                        scaleExec != null ? scaleExec : dev.spool.coordinator.scale.Actuator.NONE)),
                0, SCALE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(Guarded.rule("sweeping expired dashboard sessions", () -> queue.deleteExpiredSessions(clock.instant())),
                1, 10, TimeUnit.MINUTES);
        try {
            app.start(config.host(), config.port());
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            if (scaleExec != null) scaleExec.close();
            metrics.queueListener().close();
            webhooks.close();
            queue.close();
            throw SpoolError.environment("cannot listen on " + config.host() + ":" + config.port() + ": " + rootMessage(e));
        }
        AutoCloseable listener = queue.onWorkAnnounced(queue.listeners()::workDue);   // other coordinators' work
        live.start();
        LOG.log(System.Logger.Level.INFO, "coordinator started: " + config.describe());
        Coordinator started = new Coordinator(queue, app, scheduler, tokens, listener, routes, waiter, metrics, webhooks);
        started.live = live;
        started.liveRoutes = liveRoutes;
        started.scaleExec = scaleExec;
        return started;
    }

    /** The port actually bound (useful with port 0). */
    public int port() { return app.port(); }

    /** The tokens file written on first start, or null when tokens already existed. */
    public Path tokensFile() { return tokensFile; }

    public JobQueue queue() { return queue; }

    /** Every route registered, as Javalin was told it: method, path and declared roles. */
    List<HandlerMetaInfo> routes() { return List.copyOf(routes); }

    /** Whether the live feed's last stream was written from a virtual thread (tests). */
    boolean liveOnVirtualThread() { return liveRoutes.lastOnVirtualThread; }

    /** The long polls waiting here for work. */
    Waiter waiter() { return waiter; }

    private static byte[] openApi() throws IOException {
        try (InputStream in = Coordinator.class.getResourceAsStream("/openapi.json")) {
            if (in == null) throw new IOException("openapi.json is missing from the jar");
            return in.readAllBytes();
        }
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getMessage();
    }

    @Override
    public void close() {
        try {
            workListener.close();
        } catch (Exception ignored) {
            // closing a listener cannot fail in a way that matters at shutdown
        }
        scheduler.shutdownNow();
        if (scaleExec != null) scaleExec.close();
        if (live != null) live.close();   // its streams end before the server stops
        app.stop();
        webhooks.close();
        metrics.queueListener().close();
        queue.close();
    }
}
