package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskState;
import com.zaxxer.hikari.HikariDataSource;
import dev.spool.model.job.JobRecord;
import dev.spool.model.job.JobState;
import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskKind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The JobQueue on JDBC: the same SQL for SQLite and PostgreSQL, fenced updates for everything a
 * worker reports (a stale lease changes nothing), and an event row beside every state change.
 */
public final class JdbcJobQueue implements JobQueue {
    private final HikariDataSource dataSource;
    private final Sql sql;
    private final Dialect dialect;
    private final TaskLeases leases;
    private final CommitGrants commits;
    private final WorkerTable workers;
    private final TokenTable tokens;
    private final SessionTable sessions;
    private final LeaseReturns returns;
    private final TakenBack takenBack;
    private final WebhookOutbox outbox;
    private final QueueListeners listeners = new QueueListeners();

    JdbcJobQueue(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.sql = new Sql(dataSource, listeners);
        this.dialect = dialect;
        this.leases = new TaskLeases(dialect);
        this.commits = new CommitGrants(leases.jobs());
        this.workers = new WorkerTable(sql);
        this.tokens = new TokenTable(sql);
        this.sessions = new SessionTable(sql);
        this.returns = new LeaseReturns(leases);
        this.takenBack = new TakenBack(leases);
        this.outbox = new WebhookOutbox(dialect);
    }

    static String newId(String prefix) {
        return prefix + Long.toString(System.currentTimeMillis(), 36) + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @Override
    public Submission submit(JobRecord spec, Requirements req, Instant now, RetryPolicy retry) {
        return sql.tx(c -> {
            if (spec.idempotencyKey() != null) {
                Optional<Job> existing = Sql.one(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE idempotency_key = ?",
                        Rows::job, spec.idempotencyKey());
                if (existing.isPresent()) return new Submission(existing.get(), false);
            }
            String jobId = newId("job_");
            int inserted = Sql.update(c, "INSERT INTO jobs (id, state, priority, spec, idempotency_key, created_at, search) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    jobId, JobState.QUEUED, spec.priority().rank(), Rows.json(spec), spec.idempotencyKey(), now, JobSearch.text(spec));
            if (inserted == 0) {   // another coordinator took the same idempotency key a moment ago
                return new Submission(Sql.one(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE idempotency_key = ?",
                        Rows::job, spec.idempotencyKey()).orElseThrow(), false);
            }
            for (Map.Entry<String, String> label : spec.labels().entrySet())
                Sql.update(c, "INSERT INTO job_labels (job_id, name, value) VALUES (?, ?, ?)", jobId, label.getKey(), label.getValue());
            String taskId = newId("task_");
            // a job that may be split starts with its probe (weighing nothing: the pieces carry the progress)
            boolean split = spec.splittable();
            Sql.update(c, "INSERT INTO tasks (id, job_id, kind, state, priority, encoder, min_height, pool, max_attempts, "
                    + "not_before, created_at, weight) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    taskId, jobId, (split ? TaskKind.PROBE : TaskKind.TRANSCODE).wire(), TaskState.QUEUED, spec.priority().rank(), req.encoder(),
                    req.minHeight(), req.pool(), retry.maxAttempts(), now, now, split ? 0.0 : 1.0);
            leases.jobs().created(c, jobId).event(taskId, null, EventType.SUBMITTED, "priority " + spec.priority(), now);
            c.queuedWork();
            return new Submission(Sql.one(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id = ?", Rows::job, jobId)
                    .orElseThrow(), true);
        });
    }

    @Override
    public Optional<Job> job(String id) {
        return sql.tx(c -> Sql.one(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id = ?", Rows::job, id));
    }

    @Override
    public Page jobs(Optional<JobState> state, Optional<Map.Entry<String, String>> label, int limit, Optional<String> cursor) {
        return jobs(state, label, false, limit, cursor);
    }

    @Override
    public Page jobs(Optional<JobState> state, Optional<Map.Entry<String, String>> label, boolean needsAttention, int limit,
                     Optional<String> cursor) {
        return jobs(state, label, needsAttention, Optional.empty(), limit, cursor);
    }

    @Override
    public Page jobs(Optional<JobState> state, Optional<Map.Entry<String, String>> label, boolean needsAttention, Optional<String> text,
                     int limit, Optional<String> cursor) {
        StringBuilder q = new StringBuilder("SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE 1 = 1");
        if (needsAttention) q.append(" AND attention IS NOT NULL");
        List<Object> args = new ArrayList<>();
        state.ifPresent(s -> { q.append(" AND state = ?"); args.add(s); });
        label.ifPresent(l -> {
            q.append(" AND EXISTS (SELECT 1 FROM job_labels l WHERE l.job_id = jobs.id AND l.name = ? AND l.value = ?)");
            args.add(l.getKey());
            args.add(l.getValue());
        });
        text.ifPresent(t -> JobSearch.where(t, q, args));
        if (cursor.isPresent()) {
            String[] parts = cursor.get().split(":", 2);
            long createdAt;
            try {
                createdAt = Long.parseLong(parts[0]);
            } catch (NumberFormatException e) {
                throw SpoolError.invalid("cursor", "is not a cursor this API returned");
            }
            if (parts.length != 2) throw SpoolError.invalid("cursor", "is not a cursor this API returned");
            q.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            args.addAll(List.of(createdAt, createdAt, parts[1]));
        }
        q.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit + 1);
        List<Job> rows = sql.tx(c -> Sql.query(c, q.toString(), Rows::job, args.toArray()));
        if (rows.size() <= limit) return new Page(rows, null);
        Job last = rows.get(limit - 1);
        return new Page(rows.subList(0, limit), last.createdAt().toEpochMilli() + ":" + last.id());
    }

    @Override
    public EventCursor latestEvent() {
        return sql.tx(c -> Sql.one(c, "SELECT tx, id FROM events WHERE 1 = 1" + dialect.settledEvents() + " ORDER BY tx DESC, id DESC LIMIT 1",
                rs -> new EventCursor(rs.getLong(1), rs.getLong(2))).orElse(EventCursor.START));
    }

    @Override
    public List<Job> jobsById(java.util.Collection<String> ids) {
        List<String> all = List.copyOf(new java.util.LinkedHashSet<>(ids));
        List<Job> found = new ArrayList<>();
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            found.addAll(sql.tx(c -> Sql.query(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id IN (" + Sql.marks(chunk.size()) + ")",
                    Rows::job, chunk.toArray())));
        }
        return found;
    }

    @Override
    public List<RunningJob> runningJobs() {
        return sql.tx(c -> Sql.query(c, "SELECT id, progress, fps, speed, eta_sec FROM jobs WHERE state = " + Sql.literal(JobState.RUNNING),
                rs -> new RunningJob(rs.getString(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getLong(5))));
    }

    @Override
    public List<EndedCount> endedSince(Instant since, Duration bucket) {
        long width = bucket.toMillis();
        // jobs_state_finished: an index range per state; the bucket is integer division on both databases
        return sql.tx(c -> {
            Map<Long, long[]> counts = new java.util.TreeMap<>();
            for (var row : Sql.query(c, "SELECT finished_at / " + width + ", state, COUNT(*) FROM jobs WHERE state IN (?, ?) AND finished_at >= ? "
                    + "GROUP BY finished_at / " + width + ", state", rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getLong(3)},
                    JobState.COMPLETED, JobState.FAILED, since)) {
                long[] n = counts.computeIfAbsent((Long) row[0], k -> new long[2]);
                n[JobState.COMPLETED.name().equals(row[1]) ? 0 : 1] += (Long) row[2];
            }
            List<EndedCount> out = new ArrayList<>();
            counts.forEach((b, n) -> out.add(new EndedCount(Instant.ofEpochMilli(b * width), n[0], n[1])));
            return out;
        });
    }

    @Override
    public Optional<Task> task(String taskId) {
        return sql.tx(c -> Sql.one(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE id = ?", Rows::task, taskId));
    }

    @Override
    public List<Task> tasks(String jobId) {
        // in the order they run: a job's tasks share its creation time, so their ids alone would shuffle them
        return sql.tx(c -> Sql.query(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE job_id = ? ORDER BY created_at, "
                + "CASE kind WHEN ? THEN 0 WHEN ? THEN 1 WHEN ? THEN 2 WHEN ? THEN 3 ELSE 4 END, COALESCE(piece, -1), id",
                Rows::task, jobId, TaskKind.PROBE.wire(), TaskKind.TRANSCODE.wire(), TaskKind.ENCODE_VIDEO.wire(),
                TaskKind.ENCODE_AUDIO.wire()));
    }

    @Override
    public List<Event> events(String jobId) {
        return sql.tx(c -> Sql.query(c, "SELECT id, job_id, task_id, worker_id, type, detail, at FROM events "
                + "WHERE job_id = ? ORDER BY id", Rows::event, jobId));
    }

    @Override
    public EventPage eventsAfter(EventCursor after, int limit) {
        if (limit < 1) throw SpoolError.invalid("limit", "must be 1 or more");
        return sql.tx(c -> {
            EventCursor[] last = {after};
            List<Event> events = Sql.query(c, "SELECT tx, id, job_id, task_id, worker_id, type, detail, at FROM events "
                    + "WHERE (tx, id) > (?, ?)" + dialect.settledEvents() + " ORDER BY tx, id LIMIT ?", rs -> {
                        last[0] = new EventCursor(rs.getLong("tx"), rs.getLong("id"));
                        return Rows.event(rs);
                    }, after.tx(), after.id(), limit);
            return new EventPage(events, last[0]);
        });
    }

    @Override
    public Optional<Claim> claim(WorkerFit worker, Instant now, Duration lease, ClaimedWith with) {
        if (worker.encoders().isEmpty() || worker.pools().isEmpty()) return Optional.empty();
        for (int attempt = 1; ; attempt++) {
            try {
                return sql.tx(c -> leases.claim(c, worker, now, lease, with));
            } catch (TaskLeases.ClaimRace | SpoolError e) {
                // the job changed under the claim, or its row was locked for a moment: rolled back, try again
                if (e instanceof SpoolError s && !dialect.lockBusy(s)) throw s;
                if (attempt >= 50) return Optional.empty();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException i) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
    }

    @Override
    public Task progress(String jobId, LeaseRef lease, Report report, List<String> notes, Instant now, Duration leaseFor) {
        return sql.tx(c -> leases.progress(c, jobId, lease, report, notes, now, leaseFor));
    }

    @Override
    public Job complete(String jobId, LeaseRef lease, Outcome outcome, Instant now) {
        return sql.tx(c -> leases.complete(c, jobId, lease, outcome, now));
    }

    @Override
    public Job missingPieces(String jobId, LeaseRef lease, List<Integer> missing, Instant now, RetryPolicy retry) {
        return sql.tx(c -> leases.missingPieces(c, jobId, lease, missing, now, retry));
    }

    @Override
    public Job retry(String jobId, Instant now) {
        return sql.tx(c -> leases.retry(c, jobId, now));
    }

    @Override
    public Job fail(String jobId, LeaseRef lease, String error, boolean retryable, List<String> logTail, Instant now,
                    RetryPolicy retry) {
        return sql.tx(c -> leases.fail(c, jobId, lease, error, retryable, logTail, now, retry));
    }

    @Override
    public CommitGrant grantCommit(String jobId, LeaseRef lease, String staged, String adopt, Instant now, Duration window) {
        return sql.tx(c -> commits.grant(c, jobId, lease, staged, adopt, now, window));
    }

    @Override
    public List<Task> requeueExpired(Instant now, RetryPolicy retry) {
        return sql.tx(c -> leases.requeueExpired(c, now, retry));
    }

    @Override
    public List<LeasedTask> leasedTasks() {
        return sql.tx(takenBack::leased);
    }

    @Override
    public boolean takeBack(Task task, String reason, Instant now, RetryPolicy retry) {
        return sql.tx(c -> takenBack.takeBack(c, task, reason, now, retry));
    }

    @Override
    public List<String> goneLeases(List<String> leaseIds) {
        if (leaseIds == null || leaseIds.isEmpty()) return List.of();
        return sql.tx(c -> TakenBack.gone(c, leaseIds));
    }

    @Override
    public boolean cancel(String jobId, Instant now) {
        return sql.tx(c -> {
            LockedJob job = leases.jobs().lock(c, jobId);
            CommitGrants.refuseCancelWhileCommitting(job, now);
            int changed = Sql.update(c, "UPDATE jobs SET state = ?, finished_at = ? "
                    + "WHERE id = ? AND state IN (?, ?)", JobState.CANCELLED, now, jobId, JobState.QUEUED, JobState.RUNNING);
            if (changed == 0) return false;
            // leased tasks keep their worker and lease, so that worker is told at its next sync
            job.stopOthers(now);
            job.endedBy(job.event(null, null, EventType.CANCELLED, "cancelled by the client", now));
            return true;
        });
    }

    @Override
    public void saveWorker(WorkerRecord w) { workers.save(w); }

    @Override
    public Optional<WorkerRecord> worker(String id) { return workers.find(id); }

    @Override
    public List<WorkerRecord> workers() { return workers.all(); }

    @Override
    public Optional<WorkerRecord> controlWorker(String id, WorkerRecord.Control control) {
        Optional<WorkerRecord> changed = workers.control(id, control);
        changed.ifPresent(w -> listeners.workerControlled(w.id()));   // after its commit: the worker's parked poll answers now
        return changed;
    }

    @Override
    public List<Event> workerEvents(String workerId, int limit) {
        return sql.tx(c -> Sql.query(c, "SELECT id, job_id, task_id, worker_id, type, detail, at FROM events "
                + "WHERE worker_id = ? ORDER BY id DESC LIMIT ?", Rows::event, workerId, limit));
    }

    @Override
    public List<Task> leased() {
        return sql.tx(c -> Sql.query(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE state = ? ORDER BY started_at, id",
                Rows::task, dev.spool.model.job.TaskState.LEASED));
    }

    @Override
    public void removeWorker(String id, Instant now) {
        sql.tx(c -> {
            leases.handBack(c, id, now);
            return WorkerTable.remove(c, id);
        });
    }

    @Override
    public List<Task> handBackUnacknowledged(Duration ackTimeout, Duration lease, Instant now) {
        return sql.tx(c -> returns.unacknowledged(c, ackTimeout, lease, now));
    }

    @Override
    public List<Task> releasePreviousRun(String workerId, Instant now) {
        return sql.tx(c -> returns.previousRun(c, workerId, now));
    }

    @Override
    public Beat coordinatorBeat(String coordinatorId, Instant now, Duration silence, Duration grace) {
        return sql.tx(c -> CoordinatorBeats.beat(c, leases.jobs(), coordinatorId, now, silence, grace));
    }

    @Override
    public Optional<Heartbeat> heartbeat(String workerId, String status, String hardwareJson, String currentJobId,
                                         List<String> leaseIds, Instant now, Duration lease, ClaimedWith with) {
        return workers.heartbeat(workerId, status, hardwareJson, currentJobId, leaseIds, now, lease, with);
    }

    @Override
    public List<Job> leasedJobs(String workerId) {
        return sql.tx(c -> Sql.query(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id IN "
                + "(SELECT job_id FROM tasks WHERE worker_id = ? AND state = ? AND claimed_with = ?)", Rows::job, workerId, TaskState.LEASED,
                ClaimedWith.WORKER.wire()));
    }

    @Override
    public void releaseCancelled(String jobId, String workerId, ClaimedWith with) { workers.releaseCancelled(jobId, workerId, with); }

    @Override
    public void saveToken(String hash, String kind, String workerId, Instant now) { workers.saveToken(hash, kind, workerId, now); }

    @Override
    public Optional<TokenRecord> token(String hash) { return tokens.live(hash); }

    @Override
    public NamedToken createToken(String hash, String name, String role, Instant now, Instant expiresAt) {
        return tokens.create(hash, name, role, now, expiresAt);
    }

    @Override
    public List<NamedToken> namedTokens() { return tokens.named(); }

    @Override
    public boolean revokeToken(String name, Instant now) { return tokens.revoke(name, now); }

    @Override
    public void rotateJoinToken(String hash, Instant now) { tokens.rotateJoin(hash, now); }

    @Override
    public void tokenUsed(String hash, Instant now) { tokens.used(hash, now); }

    @Override
    public void createSession(String idHash, String tokenHash, String csrfToken, Instant now, Instant expiresAt) {
        sessions.create(idHash, tokenHash, csrfToken, now, expiresAt);
    }

    @Override
    public Optional<SessionRecord> session(String idHash, Instant now) { return sessions.live(idHash, now); }

    @Override
    public boolean deleteSession(String idHash) { return sessions.delete(idHash); }

    @Override
    public int deleteExpiredSessions(Instant now) { return sessions.deleteExpired(now); }

    @Override
    public boolean hasTokens() { return workers.hasTokens(); }

    @Override
    public void revokeWorkerTokens(String workerId) { workers.revokeTokens(workerId); }

    @Override
    public boolean hasCredential(String workerId) { return workers.hasCredential(workerId); }

    @Override
    public boolean hasDueTasks(Instant now) {
        // ORDER BY not_before: the order of tasks_due, so its first entry answers; unordered,
        // PostgreSQL preferred a table scan that passes every finished task first
        return sql.tx(c -> Sql.one(c, "SELECT 1 FROM tasks WHERE state = " + Sql.literal(TaskState.QUEUED) + " AND not_before <= ? ORDER BY not_before LIMIT 1",
                rs -> true, now).isPresent());
    }

    @Override
    public List<QueueDepth> queueDepth() {
        return sql.tx(JdbcJobQueue::queueDepth);
    }

    private static List<QueueDepth> queueDepth(Tx c) throws java.sql.SQLException {
        return Sql.query(c, "SELECT pool, priority, COUNT(*) FROM tasks WHERE state = ? "
                + "GROUP BY pool, priority ORDER BY pool, priority",
                rs -> new QueueDepth(rs.getString(1), dev.spool.model.job.Priority.ofRank(rs.getInt(2)).name(), rs.getInt(3)),
                TaskState.QUEUED);
    }

    @Override
    public List<PoolWork> poolWork() {
        return sql.tx(ScaleTable::work);
    }

    @Override
    public List<ScaleState> scaleStates() {
        return sql.tx(ScaleTable::states);
    }

    @Override
    public boolean saveScaleState(ScaleState next, long readVersion) {
        return sql.tx(c -> ScaleTable.save(c, next, readVersion));
    }

    @Override
    public QueueStats stats(Instant now) {
        return sql.tx(c -> {
            Map<JobState, Long> jobs = new java.util.EnumMap<>(JobState.class);
            for (var row : Sql.query(c, "SELECT state, COUNT(*) FROM jobs GROUP BY state",
                    rs -> Map.entry(JobState.valueOf(rs.getString(1)), rs.getLong(2)))) jobs.put(row.getKey(), row.getValue());
            long escalated = Sql.one(c, "SELECT COUNT(*) FROM jobs WHERE attention IS NOT NULL AND state = ?",
                    rs -> rs.getLong(1), JobState.FAILED).orElse(0L);
            List<QueueStats.LeasedCount> leased = Sql.query(c, "SELECT kind, pool, COUNT(*) FROM tasks WHERE state = ? "
                    + "GROUP BY kind, pool ORDER BY kind, pool",
                    rs -> new QueueStats.LeasedCount(TaskKind.of(rs.getString(1)), rs.getString(2), rs.getLong(3)),
                    TaskState.LEASED);
            // over queued rows only (the claim's partial index); callers cache the answer
            Optional<Instant> oldest = Sql.one(c, "SELECT MIN(created_at) FROM tasks WHERE state = ?",
                    rs -> rs.getObject(1) == null ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(rs.getLong(1))),
                    TaskState.QUEUED).flatMap(o -> o);
            // jobs_state_finished: the hour's ends are an index range, not a walk of all finished work
            Instant hourAgo = now.minus(Duration.ofHours(1));
            QueueStats.LastHour lastHour = Sql.one(c, "SELECT SUM(CASE WHEN state = ? THEN 1 ELSE 0 END), "
                    + "SUM(CASE WHEN state = ? THEN 1 ELSE 0 END), SUM(CASE WHEN state = ? THEN COALESCE(duration_seconds, 0) ELSE 0 END) "
                    + "FROM jobs WHERE state IN (?, ?) AND finished_at > ?",
                    rs -> new QueueStats.LastHour(rs.getLong(1), rs.getLong(2), rs.getDouble(3)),
                    JobState.COMPLETED, JobState.FAILED, JobState.COMPLETED, JobState.COMPLETED, JobState.FAILED, hourAgo)
                    .orElse(new QueueStats.LastHour(0, 0, 0));
            long outputBytes = Sql.one(c, "SELECT COALESCE(SUM(output_size_bytes), 0) FROM jobs WHERE state = ?",
                    rs -> rs.getLong(1), JobState.COMPLETED).orElse(0L);
            return new QueueStats(jobs, escalated, leased, queueDepth(c), oldest, lastHour, outputBytes);
        });
    }

    @Override
    public int planDeliveries(DeliveryPlanner planner, int limit,
                              Instant now) {
        return sql.tx(c -> outbox.plan(c, planner, limit, now));
    }

    @Override
    public List<Delivery> claimDeliveries(int limit, Instant now, Duration claimFor) {
        return sql.tx(c -> outbox.claim(c, limit, now, claimFor));
    }

    @Override
    public boolean deliveryAttempted(Delivery delivery, Delivery.Outcome outcome, Instant now, Duration pauseAfter) {
        return sql.tx(c -> outbox.attempted(c, delivery, outcome, now, pauseAfter));
    }

    @Override
    public List<Delivery.Endpoint> failingEndpoints() {
        return sql.tx(outbox::endpoints);
    }

    @Override
    public boolean resumeEndpoint(String url) {
        return sql.tx(c -> outbox.resume(c, url));
    }

    @Override
    public List<Delivery> deliveries(String jobId) {
        return sql.tx(c -> outbox.ofJob(c, jobId));
    }

    @Override
    public List<Delivery> recentDeliveries(Optional<Delivery.State> state, int limit) {
        return sql.tx(c -> outbox.recent(c, state, limit));
    }

    @Override
    public boolean redeliver(String deliveryId, Instant now) {
        return sql.tx(c -> outbox.redeliver(c, deliveryId, now));
    }

    @Override
    public QueueListeners listeners() { return listeners; }

    @Override
    public QueueListener announcer() {
        if (!(dialect instanceof Dialect.Postgres)) return commit -> { };
        // after the commit, so another coordinator woken by it finds the work there
        return commit -> {
            if (commit.queuedWork()) sql.tx(c -> { dialect.announceWork(c); return null; });
        };
    }

    @Override
    public AutoCloseable onWorkAnnounced(Runnable callback) {
        if (!(dialect instanceof Dialect.Postgres)) return () -> { };
        return WorkListener.start(dataSource.getJdbcUrl(), dataSource.getDataSourceProperties(), callback);
    }

    Dialect dialect() { return dialect; }

    @Override
    public void close() {
        dataSource.close();
    }
}
