package dev.spool.worker;

import dev.spool.media.ffmpeg.ExitCleanup;
import dev.spool.model.job.JobRecord;
import dev.spool.model.SpoolError;
import dev.spool.media.run.PieceLayout;
import dev.spool.storage.HttpInput;
import dev.spool.storage.LocalRoots;
import dev.spool.model.storage.ObjectLocation;
import dev.spool.storage.ObjectStore;
import dev.spool.storage.RemoteInput;
import dev.spool.storage.RemoteLadder;
import dev.spool.storage.S3ObjectStore;
import dev.spool.storage.S3Settings;
import dev.spool.storage.TransferLog;
import dev.spool.storage.TransferRetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a worker's tasks find their files: paths inside its roots (a NAS), or objects in an
 * S3-compatible store, downloaded into its input cache and published from a scratch directory.
 * The S3 client is made on first use, so a worker that never sees an s3:// job never needs one.
 */
final class WorkerStorage implements AutoCloseable {
    private final LocalRoots roots;
    private final S3Settings s3;
    private final Path scratch;
    private final InputCache inputs;
    private final boolean allowPrivateUrls;
    private final ObjectStore coordinator;
    private final WorkerMetrics metrics;
    private ObjectStore store;

    /**
     * {@code coordinator}: the coordinator's own file store, for {@code spool://} inputs and outputs;
     * {@code metrics}: where the bytes moved and the cache's hits are counted.
     */
    WorkerStorage(LocalRoots roots, S3Settings s3, Path cacheDir, long cacheBytes, boolean allowPrivateUrls, ObjectStore coordinator,
                  WorkerMetrics metrics) {
        this.roots = roots;
        this.metrics = metrics;
        this.coordinator = new MeteredStore(coordinator, WorkerMetrics.Store.COORDINATOR, metrics);
        this.allowPrivateUrls = allowPrivateUrls;
        this.s3 = s3;
        this.scratch = cacheDir.resolve("scratch");
        this.inputs = new InputCache(cacheDir.resolve("inputs"), cacheBytes, metrics);
        ExitCleanup.deleteQuietly(scratch);   // a previous run's, killed before it cleaned up
    }

    /** The store that keeps a location: the coordinator ({@code spool://}) or S3 (made on first use). */
    synchronized ObjectStore storeFor(ObjectLocation location) {
        if (location.onCoordinator()) return coordinator;
        if (store == null) store = new MeteredStore(new S3ObjectStore(s3, TransferRetry.DEFAULT), WorkerMetrics.Store.S3, metrics);
        return store;
    }

    /** Resolves a task's files; close the result when the task ends (scratch deleted, input released). */
    TaskFiles open(String jobId, JobRecord spec, String taskKey, TransferLog log) {
        Optional<ObjectLocation> remoteOutput = ObjectLocation.parse(spec.output());
        Path localOutput = remoteOutput.isPresent() ? null : roots.output(spec.output());
        Path taskScratch = scratch.resolve(taskKey.replaceAll("[^A-Za-z0-9_-]", "_"));
        Optional<RemoteInput> remoteInput = ObjectLocation.parse(spec.input()).map(o -> RemoteInput.of(storeFor(o), o))
                .or(() -> HttpInput.parse(spec.input()).map(url -> MeteredStore.metered(new HttpInput(url, TransferRetry.DEFAULT, allowPrivateUrls),
                        WorkerMetrics.Store.HTTP, metrics)));
        Path input = remoteInput.isPresent() ? inputs.acquire(jobId, remoteInput.get(), log) : roots.input(spec.input());
        return new TaskFiles(jobId, input, localOutput, remoteOutput, taskScratch, log, remoteInput.isPresent());
    }

    /** One task's files. */
    final class TaskFiles implements AutoCloseable {
        private final String jobId;
        private final Path input;
        private final Path localOutput;
        private final Optional<ObjectLocation> remoteOutput;
        private final Path scratch;
        private final TransferLog log;
        private final boolean cachedInput;

        private TaskFiles(String jobId, Path input, Path localOutput, Optional<ObjectLocation> remoteOutput, Path scratch,
                          TransferLog log, boolean cachedInput) {
            this.jobId = jobId;
            this.input = input;
            this.localOutput = localOutput;
            this.remoteOutput = remoteOutput;
            this.scratch = scratch;
            this.log = log;
            this.cachedInput = cachedInput;
        }

        Path input() { return input; }

        boolean remote() { return remoteOutput.isPresent(); }

        /** Where the ladder is written on this machine: the output itself, or a scratch directory to publish from. */
        Path ladderDir() {
            return remote() ? scratch.resolve("out") : localOutput;
        }

        /** The output as the job named it, for messages. */
        String outputName() {
            return remote() ? remoteOutput.get().toString() : localOutput.toString();
        }

        /** Where this worker keeps the job's pieces: beside the output, or in scratch (then also in the store). */
        PieceLayout pieces() {
            return remote() ? new PieceLayout(scratch.resolve("pieces")) : PieceLayout.beside(localOutput, jobId);
        }

        Optional<RemotePieces> remotePieces() {
            return remoteOutput.map(o -> RemotePieces.beside(storeFor(o), o, jobId));
        }

        /** Fails now, before any encoding, if the remote output holds objects Spool did not write. */
        void requirePublishable(String masterName) {
            remoteOutput.ifPresent(o -> RemoteLadder.requireReplaceable(storeFor(o), o, masterName));
        }

        /**
         * Publishes the ladder staged in scratch to the store (master last) once {@code gate} has
         * the coordinator's grant; returns the master's URI. A worker that lost its lease is refused
         * before it changes anything, and one paused past its grant stops at its next write.
         */
        String publish(String masterName, dev.spool.model.storage.CommitGate gate) {
            ObjectLocation target = remoteOutput.orElseThrow();
            return RemoteLadder.publish(storeFor(target), ladderDir(), target, masterName, jobId, gate, log).toString();
        }

        TransferLog log() { return log; }

        @Override
        public void close() {
            ExitCleanup.deleteQuietly(scratch);
            if (cachedInput) inputs.release(jobId);
        }
    }

    static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw SpoolError.output(dir.toString(), "cannot be created: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (store != null) store.close();
    }
}
