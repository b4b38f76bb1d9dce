package dev.spool.worker;

import dev.spool.model.storage.ObjectLocation;
import dev.spool.storage.ObjectStore;
import dev.spool.storage.RemoteInput;
import dev.spool.storage.TransferLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * An object store whose transfers are counted in {@link WorkerMetrics}: the bytes a download added
 * to its file (a resumed one counts only what it fetched), the size of an uploaded file, and the
 * wall time of each call, retries included, so bytes over seconds is the speed a task actually got.
 * A transfer that fails still counts its time. Look-ups, lists and deletes move no payload and are
 * passed through.
 */
final class MeteredStore implements ObjectStore {
    private final ObjectStore store;
    private final WorkerMetrics.Store kind;
    private final WorkerMetrics metrics;

    MeteredStore(ObjectStore store, WorkerMetrics.Store kind, WorkerMetrics metrics) {
        this.store = store;
        this.kind = kind;
        this.metrics = metrics;
    }

    @Override public long size(ObjectLocation object) { return store.size(object); }

    @Override public boolean exists(ObjectLocation object) { return store.exists(object); }

    @Override
    public void download(ObjectLocation object, Path to, TransferLog log) {
        download(metrics, kind, to, () -> store.download(object, to, log));
    }

    @Override
    public void upload(Path from, ObjectLocation object, TransferLog log) {
        long start = System.nanoTime();
        boolean done = false;
        try {
            store.upload(from, object, log);
            done = true;
        } finally {
            metrics.transferred(kind, true, done ? sizeOf(from) : 0, seconds(start));
        }
    }

    @Override
    public void put(ObjectLocation object, byte[] content) {
        long start = System.nanoTime();
        boolean done = false;
        try {
            store.put(object, content);
            done = true;
        } finally {
            metrics.transferred(kind, true, done ? content.length : 0, seconds(start));
        }
    }

    @Override public List<ObjectLocation> list(ObjectLocation prefix) { return store.list(prefix); }

    @Override public void delete(Collection<ObjectLocation> objects) { store.delete(objects); }

    @Override public void close() { store.close(); }

    /** An HTTP(S) input (not an object store), counted the same way. */
    static RemoteInput metered(RemoteInput input, WorkerMetrics.Store kind, WorkerMetrics metrics) {
        return new RemoteInput() {
            @Override public String name() { return input.name(); }
            @Override public long size() { return input.size(); }
            @Override public void download(Path to, TransferLog log) { MeteredStore.download(metrics, kind, to, () -> input.download(to, log)); }
        };
    }

    /** Counts what the download added to {@code to}, even when it fails part way (a resume later starts from there). */
    private static void download(WorkerMetrics metrics, WorkerMetrics.Store kind, Path to, Runnable transfer) {
        long before = sizeOf(to);
        long start = System.nanoTime();
        try {
            transfer.run();
        } finally {
            metrics.transferred(kind, false, Math.max(0, sizeOf(to) - before), seconds(start));
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
