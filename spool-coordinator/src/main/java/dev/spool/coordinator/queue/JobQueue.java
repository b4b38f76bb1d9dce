package dev.spool.coordinator.queue;

import dev.spool.model.job.JobRecord;
import dev.spool.model.job.JobSpec;
import dev.spool.model.job.JobState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The coordinator's durable state: jobs, their tasks and leases, workers, tokens and the event
 * trail. SQLite and PostgreSQL implement it with the same SQL (see {@link Dialect}). Every method
 * that changes a job or task appends an event in the same transaction.
 */
public interface JobQueue extends AutoCloseable {

    /** Creates a job and its task; a repeated idempotency key returns the first job instead. */
    Submission submit(JobRecord spec, Requirements requirements, Instant now, RetryPolicy retry);

    /** As above, for a request: stored as its record, with the encode plan it gives now. */
    default Submission submit(JobSpec spec, Requirements requirements, Instant now, RetryPolicy retry) {
        return submit(spec.record(), requirements, now, retry);
    }

    Optional<Job> job(String id);

    /** Newest first; {@code cursor} is the {@code next_cursor} of the previous page. */
    Page jobs(Optional<JobState> state, Optional<Map.Entry<String, String>> label, int limit, Optional<String> cursor);

    /** As above; {@code needsAttention}: only jobs marked as needing a person (see {@link Job#attention()}). */
    Page jobs(Optional<JobState> state, Optional<Map.Entry<String, String>> label, boolean needsAttention, int limit,
              Optional<String> cursor);

    List<Task> tasks(String jobId);

    List<Event> events(String jobId);

    /** One task, by its id. */
    Optional<Task> task(String taskId);

    /**
     * The outbox: every job's events after {@code after}, oldest first, at most {@code limit}; a
     * reader passes the page's {@code next} to the following call and never misses or repeats one,
     * even when transactions commit out of the order their events were written in.
     */
    EventPage eventsAfter(EventCursor after, int limit);

    /** Where the outbox ends now: a reader starting here hears only events written after (the live feed's start). */
    EventCursor latestEvent();

    /** These jobs, in no particular order; ids that name no job are left out. */
    List<Job> jobsById(java.util.Collection<String> ids);

    /** Every RUNNING job's progress figures, for the live feed to see which changed (one narrow read). */
    List<RunningJob> runningJobs();

    /** A running job's progress as the jobs list shows it. */
    record RunningJob(String jobId, double progress, double fps, double speed, long etaSec) {}

    /**
     * As {@link #jobs(Optional, Optional, boolean, int, Optional)}, also matching {@code text}: a job id
     * prefix, or a substring (any case) of a label value, the input or the output.
     */
    Page jobs(Optional<JobState> state, Optional<Map.Entry<String, String>> label, boolean needsAttention, Optional<String> text,
              int limit, Optional<String> cursor);

    /** Jobs that ended COMPLETED or FAILED since {@code since}, counted per bucket of {@code bucket} (epoch-aligned starts). */
    List<EndedCount> endedSince(Instant since, Duration bucket);

    /** Of one bucket (its start): how many jobs completed and failed in it. */
    record EndedCount(Instant start, long completed, long failed) {}

    /** A page of the outbox, and where the next one starts. */
    record EventPage(List<Event> events, EventCursor next) {}

    /** Leases the most urgent queued task this worker fits (priority, then age), if any, claimed with its own credential. */
    default Optional<Claim> claim(WorkerFit worker, Instant now, Duration lease) {
        return claim(worker, now, lease, ClaimedWith.WORKER);
    }

    /** As above, recording the kind of credential the claim came with: the lease then answers only that kind. */
    Optional<Claim> claim(WorkerFit worker, Instant now, Duration lease, ClaimedWith with);

    /**
     * A sync in one transaction: the heartbeat, the lease renewals, the cancelled jobs the worker
     * must stop and how many tasks it holds. Empty when the worker is unknown (it must register).
     * It renews the leases the worker names (Spool's worker), or those of the job it reports as
     * current (a seed-001 worker). Leases it no longer mentions are left to expire, so a worker that
     * restarted under the same name cannot keep them alive.
     */
    default Optional<Heartbeat> heartbeat(String workerId, String status, String hardwareJson, String currentJobId,
                                          List<String> leaseIds, Instant now, Duration lease) {
        return heartbeat(workerId, status, hardwareJson, currentJobId, leaseIds, now, lease, ClaimedWith.WORKER);
    }

    /** As above; only leases claimed with the same kind of credential as this sync's are renewed. */
    Optional<Heartbeat> heartbeat(String workerId, String status, String hardwareJson, String currentJobId,
                                  List<String> leaseIds, Instant now, Duration lease, ClaimedWith with);

    /** What a sync learns about its worker. */
    record Heartbeat(WorkerRecord worker, List<String> cancelled, int leased) {}

    /**
     * The jobs of the tasks this worker holds right now under leases claimed with its own credential
     * (what its file access is limited to; the join token has none).
     */
    List<Job> leasedJobs(String workerId);

    /** Revokes every credential issued to the worker (on re-registration and when it leaves). */
    void revokeWorkerTokens(String workerId);

    /** Whether the worker holds a credential of its own (the join token may then not act for it). */
    boolean hasCredential(String workerId);

    /**
     * Records progress on the worker's live lease of the job's task, and renews it; each note (a
     * transfer attempt, a resume) becomes an event of the job. 409 if not held.
     */
    default Task progress(String jobId, LeaseRef lease, double percent, double fps, long etaSec, List<String> notes, Instant now,
                          Duration leaseFor) {
        return progress(jobId, lease, new Report(percent, fps, 0, etaSec, null), notes, now, leaseFor);
    }

    /**
     * As above, with all a worker may say: a piece's frames done count over its frame range (the job's
     * split plan), which the worker's percent only estimates; the job adds up its pieces' frames and speeds.
     */
    Task progress(String jobId, LeaseRef lease, Report report, List<String> notes, Instant now, Duration leaseFor);

    /**
     * One progress report: percent, frames per second, speed (media seconds per wall second, 0 when
     * unknown), ETA (-1 unknown), and the video frames written so far (null: the worker does not count them).
     */
    record Report(double percent, double fps, double speed, long etaSec, Long framesDone, List<String> logTail) {
        public Report(double percent, double fps, double speed, long etaSec, Long framesDone) {
            this(percent, fps, speed, etaSec, framesDone, null);
        }
    }

    default Task progress(String jobId, LeaseRef lease, double percent, double fps, long etaSec, Instant now, Duration leaseFor) {
        return progress(jobId, lease, percent, fps, etaSec, List.of(), now, leaseFor);
    }

    /**
     * Commits a task's success: at most one result per task, ever. 409 if the lease is not held.
     * A probe's result cuts the job into its tasks; the last piece's unblocks the package step;
     * a transcode's or package's completes the job.
     */
    Job complete(String jobId, LeaseRef lease, Outcome outcome, Instant now);

    /**
     * Grants the lease the commit of its task's output (a transcode or package step), recording
     * what it staged; renews the lease for {@code window}. 409 when the lease is gone, the job has
     * ended (cancelled), or the task is not one that commits. With {@code adopt} (an earlier lease
     * whose worker vanished after its grant) this lease finishes that commit instead. Completing
     * such a task from a worker of protocol 4 or later needs the grant first.
     */
    CommitGrant grantCommit(String jobId, LeaseRef lease, String staged, String adopt, Instant now, Duration window);

    /** A granted commit: the lease whose staged output it commits, and how long it holds without being renewed. */
    record CommitGrant(String leaseId, Duration window) {}

    /** A whole job's success (a transcode task). */
    default Job complete(String jobId, LeaseRef lease, String manifestUrl, long totalTimeMs, Instant now) {
        return complete(jobId, lease, new Outcome(manifestUrl, totalTimeMs, null), now);
    }

    /**
     * What a finished task gives back: the manifest (transcode, package) or the probe's figures, and
     * for the task that commits a job's output what it holds (null when its worker did not say).
     */
    record Outcome(String manifestUrl, long totalTimeMs, dev.spool.model.protocol.WorkerMessages.Probed probed, JobResult result) {
        public Outcome(String manifestUrl, long totalTimeMs, dev.spool.model.protocol.WorkerMessages.Probed probed) {
            this(manifestUrl, totalTimeMs, probed, null);
        }
    }

    /** The package step found these pieces missing (-1: the audio): they are encoded again first. */
    Job missingPieces(String jobId, LeaseRef lease, List<Integer> missing, Instant now, RetryPolicy retry);

    /** Runs a FAILED or CANCELLED job again; its finished pieces are kept. 409 for a job in another state. */
    Job retry(String jobId, Instant now);

    /** Records a task's failure: re-queued with backoff, or the job fails when retrying cannot help. */
    default Job fail(String jobId, LeaseRef lease, String error, boolean retryable, Instant now, RetryPolicy retry) {
        return fail(jobId, lease, error, retryable, null, now, retry);
    }

    /** As above, keeping the last lines of the task's ffmpeg stderr with the task (null: none sent). */
    Job fail(String jobId, LeaseRef lease, String error, boolean retryable, List<String> logTail, Instant now, RetryPolicy retry);

    /** Puts tasks whose lease ran out back in the queue (or fails their job after the last attempt). */
    List<Task> requeueExpired(Instant now, RetryPolicy retry);

    /** Every leased task, with the seconds of media it covers (-1 while that is not known: a probe, an unprobed whole job). */
    List<LeasedTask> leasedTasks();

    /** A leased task and the seconds of media it covers (-1: not known). */
    record LeasedTask(Task task, double mediaSec) {}

    /**
     * Takes a leased task back from its worker (over its time limit): the attempt ends as a
     * failure with {@code reason}, re-queued with backoff or failing the job after the last; its
     * worker then finds the lease gone ({@link #goneLeases}). False when its lease changed meanwhile.
     */
    boolean takeBack(Task task, String reason, Instant now, RetryPolicy retry);

    /** Of the leases a worker names at its sync, those no task carries any more: it must stop them. */
    List<String> goneLeases(List<String> leaseIds);

    /** Cancels a job that has not ended; returns false if it had already ended. */
    boolean cancel(String jobId, Instant now);

    /** Acknowledges that the worker stopped a cancelled task claimed with its own credential; clears its lease. */
    default void releaseCancelled(String jobId, String workerId) {
        releaseCancelled(jobId, workerId, ClaimedWith.WORKER);
    }

    /** As above, for the lease claimed with this kind of credential only. */
    void releaseCancelled(String jobId, String workerId, ClaimedWith with);

    void saveWorker(WorkerRecord worker);

    Optional<WorkerRecord> worker(String id);

    List<WorkerRecord> workers();

    /**
     * Sets the operator's control of a worker: claims give a PAUSED or DRAINING worker nothing from
     * the moment this commits. Empty when there is no such worker.
     */
    Optional<WorkerRecord> controlWorker(String id, WorkerRecord.Control control);

    /** The worker's events, newest first, at most {@code limit} (what it ran lately). */
    List<Event> workerEvents(String workerId, int limit);

    /** Every task leased now, oldest lease first (what each worker runs). */
    List<Task> leased();

    /** Removes a worker that left, handing its leased tasks back to the queue at once. */
    void removeWorker(String id, Instant now);

    /**
     * Hands back, without using an attempt, every task whose worker has not acknowledged the
     * assignment (a sync listing its lease or naming its job, or progress) within the timeout.
     */
    List<Task> handBackUnacknowledged(Duration ackTimeout, Duration lease, Instant now);

    /** A worker registered again under its id (it restarted): the attempts its previous run held end now. */
    List<Task> releasePreviousRun(String workerId, Instant now);

    /**
     * This coordinator's heartbeat. The first beat after every coordinator was silent for
     * {@code silence} (an outage) extends every lease to at least now + {@code grace}.
     */
    Beat coordinatorBeat(String coordinatorId, Instant now, Duration silence, Duration grace);

    /** The last beat any coordinator wrote before this one (null: none ever), and the leases extended for a silence. */
    record Beat(Instant lastHeard, List<Task> extended) {}

    void saveToken(String hash, String kind, String workerId, Instant now);

    /** The live token with this hash: a revoked one is not found; an expired one is, with its expiry. */
    Optional<TokenRecord> token(String hash);

    boolean hasTokens();

    /** A named client token; a CONFLICT naming {@code name} while a live token has that name. */
    NamedToken createToken(String hash, String name, String role, Instant now, Instant expiresAt);

    /** The live client tokens, oldest first (expired ones included, until revoked). */
    List<NamedToken> namedTokens();

    /** Revokes the live client token of this name; false when there is none. */
    boolean revokeToken(String name, Instant now);

    /** A new join token, and every earlier one revoked, in one transaction; worker credentials stay. */
    void rotateJoinToken(String hash, Instant now);

    /** When a token was last seen (written at most once per cache window per coordinator). */
    void tokenUsed(String hash, Instant now);

    /** A dashboard session for the client token of this hash, by the hash of its cookie's value. */
    void createSession(String idHash, String tokenHash, String csrfToken, Instant now, Instant expiresAt);

    /** The session with this id hash, unless it has expired by {@code now} or was signed out. */
    Optional<SessionRecord> session(String idHash, Instant now);

    /** Signs a session out; false when there was none. */
    boolean deleteSession(String idHash);

    /** Deletes the sessions expired by {@code now}; returns how many. */
    int deleteExpiredSessions(Instant now);

    /** A dashboard session: never its cookie's value, only that value's hash. */
    record SessionRecord(String idHash, String tokenHash, String csrfToken, Instant createdAt, Instant expiresAt) {}

    /** Whether a queued task is ready to be claimed now (its backoff, if any, has passed). */
    boolean hasDueTasks(Instant now);

    /**
     * Reads up to {@code limit} events after the webhook cursor and writes the deliveries the planner
     * makes of each (given the event's job, if it still exists), moving the cursor in the same
     * transaction: each event is planned once, whichever coordinator does it. Returns the events read.
     */
    int planDeliveries(DeliveryPlanner planner, int limit, Instant now);

    /** Claims up to {@code limit} due deliveries for this coordinator to send within {@code claimFor}. */
    List<Delivery> claimDeliveries(int limit, Instant now, Duration claimFor);

    /**
     * Records an attempt at a claimed delivery, and marks its endpoint failing or clears it; an endpoint
     * failing for {@code pauseAfter} is paused. False, and nothing recorded, when the delivery is no longer
     * pending under its claim ({@link Delivery#claim()}): the claim ran out and another coordinator took it.
     */
    boolean deliveryAttempted(Delivery delivery, Delivery.Outcome outcome, Instant now, Duration pauseAfter);

    /** Endpoints whose calls fail now, paused ones included. */
    List<Delivery.Endpoint> failingEndpoints();

    /** Calls a paused endpoint again; false when it was not failing. */
    boolean resumeEndpoint(String url);

    /** A job's deliveries, oldest first. */
    List<Delivery> deliveries(String jobId);

    /** The newest deliveries, of one state or all. */
    List<Delivery> recentDeliveries(Optional<Delivery.State> state, int limit);

    /**
     * Sends a delivery again, with the same webhook-id; false when there is no such delivery, a 409
     * ({@code id}) while a coordinator's claim on it is live (it is being sent).
     */
    boolean redeliver(String deliveryId, Instant now);

    /** Queued tasks by pool and priority. */
    List<QueueDepth> queueDepth();

    /** Jobs by state, leased and queued tasks, the oldest queued task: one consistent read, for metrics and stats. */
    QueueStats stats(Instant now);

    /**
     * Where after-commit listeners are registered: each hears every committed transaction's events
     * and whether it queued work (see {@link QueueListener}); the coordinator registers them at start.
     */
    QueueListeners listeners();

    /**
     * The listener that tells other coordinators on the same database that work was queued
     * (PostgreSQL NOTIFY, heard by {@link #onWorkAnnounced}); one that does nothing for SQLite.
     */
    QueueListener announcer();

    /**
     * Calls back when another coordinator on the same database announces new work (PostgreSQL
     * LISTEN/NOTIFY); a no-op for SQLite, where one coordinator sees all its own submits.
     */
    default AutoCloseable onWorkAnnounced(Runnable callback) {
        return () -> { };
    }

    @Override void close();

    /** A submitted job, and whether this call created it (false: an idempotency key replayed). */
    record Submission(Job job, boolean created) {}

    /** A page of jobs and the cursor of the next one (null at the end). */
    record Page(List<Job> jobs, String nextCursor) {}

    /** Queued tasks in one pool at one priority. */
    record QueueDepth(String pool, String priority, int count) {}

    /**
     * A stored token: client (with its name, role and expiry), join, or a worker's own credential.
     * {@code expiresAt} null: it does not expire.
     */
    record TokenRecord(String kind, String workerId, String name, String role, Instant expiresAt) {
        public TokenRecord(String kind, String workerId) {
            this(kind, workerId, null, null, null);
        }
    }

    /** A client token as listed: never its secret, nor its hash. */
    record NamedToken(String id, String name, String role, Instant createdAt, Instant expiresAt, Instant lastUsedAt) {}

    /**
     * Who reports on a task: the worker, the lease it presents (null from a seed-001 worker), and the
     * kind of credential the report came with, which must be the kind the lease was claimed with.
     */
    record LeaseRef(String workerId, String leaseId, ClaimedWith claimedWith) {
        public LeaseRef {
            if (claimedWith == null) throw new IllegalArgumentException("claimedWith is required");
        }

        /** A report with a worker's own credential (Spool's worker). */
        public LeaseRef(String workerId, String leaseId) {
            this(workerId, leaseId, ClaimedWith.WORKER);
        }
    }
}
