package dev.spool.worker;

import dev.spool.model.SpoolError;
import dev.spool.model.protocol.WorkerMessages;
import dev.spool.model.storage.CommitGate;
import dev.spool.media.commit.CommitMarker;
import dev.spool.media.commit.StagedOutput;
import dev.spool.storage.TransferLog;

import java.nio.file.Path;
import java.time.Duration;

/**
 * This worker's side of a commit grant for one task. Before the task's output is made visible it
 * asks the coordinator (which refuses a lost lease, a cancelled job, another attempt's commit),
 * and it keeps the grant's deadline by this machine's monotonic clock, renewing it as it goes: a
 * worker paused past its grant (SIGSTOP, a suspended VM) finds it expired at its next write and
 * stops, before the coordinator could have let another attempt commit.
 */
final class CommitPermit {
    /** Kept off the grant's end: the coordinator's clock started later than ours, but rates drift. */
    private static final Duration MARGIN = Duration.ofSeconds(2);
    /** How long an unreachable coordinator (a restart, a blip) is waited for; a refusal (409) ends it at once. */
    private static final Duration UNREACHABLE_FOR = Duration.ofSeconds(30);

    private final CoordinatorLink link;
    private final String workerId;
    private final WorkerMessages.AssignedJob job;

    CommitPermit(CoordinatorLink link, String workerId, WorkerMessages.AssignedJob job) {
        this.link = link;
        this.workerId = workerId;
        this.job = job;
    }

    /**
     * An earlier attempt was granted the commit and vanished: finishes that commit (its staged
     * output renamed onto {@code out}, once) rather than make another, so whichever of the two
     * renames first, the output is the one granted. False when there is nothing to finish: no
     * pending commit, or a staged output that is gone without having been committed (then this
     * attempt stages its own and asks for a grant of its own). Local outputs only: a remote one
     * was staged on that worker's own disk.
     */
    boolean finishPending(Path out, TransferLog log) {
        WorkerMessages.PendingCommit pending = job.commit();
        if (pending == null) return false;
        String lease = pending.leaseId();
        if (CommitMarker.leaseOf(out).filter(lease::equals).isPresent()) {
            log.note("lease " + lease + " committed the output before its worker vanished; finishing that commit");
            adopting(lease).acquire(out);
            return true;
        }
        StagedOutput staged;
        try {
            staged = pending.staged() == null ? null : StagedOutput.adopt(out, Path.of(pending.staged()));
        } catch (java.nio.file.InvalidPathException e) {
            staged = null;   // not a path here: nothing this worker can finish
        }
        if (staged == null) return false;
        log.note("finishing the commit granted to lease " + lease + ": moving its staged output into place");
        staged.commit(adopting(lease));
        return true;
    }

    /** A commit of what this attempt staged: the output is stamped with this lease, then the grant asked. */
    CommitGate fresh() {
        if (job.lease() == null) return CommitGate.OPEN;   // an old coordinator: it grants nothing and asks nothing
        return new Grant(null);
    }

    /** Finishing the pending commit of {@code lease}: its output already carries that lease's stamp. */
    CommitGate adopting(String lease) {
        return new Grant(lease);
    }

    private final class Grant implements CommitGate {
        private final String adopt;
        private String staged;
        private long renewAt;
        private long deadline;

        Grant(String adopt) {
            this.adopt = adopt;
        }

        @Override
        public void acquire(Path dir) {
            if (adopt == null) CommitMarker.write(dir, job.jobId(), job.taskId(), job.lease().leaseId());
            staged = dir.toString();
            ask();
        }

        @Override
        public void check() {
            if (Thread.currentThread().isInterrupted()) throw SpoolError.interrupted("stopped before the output of " + job.jobId() + " was committed");
            long now = System.nanoTime();
            if (deadline == 0 || now - deadline > 0)
                throw new SpoolError(SpoolError.Code.CONFLICT, "lease_id", "the commit grant for job " + job.jobId()
                        + " ran out before the output was written (was this worker paused?); stopping");
            if (now - renewAt > 0) ask();
        }

        /** Asks (again), riding out a coordinator that is briefly unreachable: a finished output is worth a wait. */
        private void ask() {
            long giveUp = System.nanoTime() + UNREACHABLE_FOR.toNanos();
            while (true) {
                try {
                    askOnce();
                    return;
                } catch (SpoolError e) {
                    if (!e.code().retryable() || System.nanoTime() - giveUp > 0) throw e;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw SpoolError.interrupted("stopped while asking to commit the output of " + job.jobId());
                }
            }
        }

        private void askOnce() {
            long sent = System.nanoTime();
            WorkerMessages.CommitGranted g = link.commit(job.jobId(), new WorkerMessages.CommitRequest(workerId, job.lease().leaseId(),
                    staged, adopt));
            long window = Duration.ofMillis(g.windowMs()).toNanos();
            deadline = sent + Math.max(0, window - MARGIN.toNanos());
            renewAt = sent + window / 3;
        }
    }
}
