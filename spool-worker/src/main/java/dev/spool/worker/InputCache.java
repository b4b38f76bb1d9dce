package dev.spool.worker;

import dev.spool.media.ffmpeg.ExitCleanup;
import dev.spool.model.SpoolError;
import dev.spool.storage.RemoteInput;
import dev.spool.storage.TransferLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The inputs this worker downloaded, one directory per job, so every piece of a job it encodes
 * reads the one download. Bounded: before a download, the jobs used longest ago are evicted until
 * the new input fits, never one a running task holds. A partial download survives a worker restart
 * and is resumed from its last byte.
 */
final class InputCache {
    private static final String PARTIAL = ".partial";

    private final Path dir;
    private final long maxBytes;
    private final WorkerMetrics metrics;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Guarded by itself: which jobs' inputs running tasks hold, and every eviction decision. */
    private final Map<String, Integer> inUse = new java.util.HashMap<>();

    InputCache(Path dir, long maxBytes, WorkerMetrics metrics) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    /** The job's input on this machine, downloading it the first time; call {@link #release} when done with it. */
    Path acquire(String jobId, RemoteInput input, TransferLog log) {
        synchronized (inUse) {
            inUse.merge(jobId, 1, Integer::sum);
        }
        ReentrantLock lock = locks.computeIfAbsent(jobId, id -> new ReentrantLock());
        lock.lock();
        try {
            Path jobDir = dir.resolve(jobId);
            String name = input.name().isEmpty() || input.name().startsWith(".") ? "input" : input.name();
            Path file = jobDir.resolve(name);
            if (Files.isRegularFile(file)) {
                Files.setLastModifiedTime(jobDir, FileTime.from(Instant.now()));
                metrics.inputCache(true);
                return file;
            }
            metrics.inputCache(false);
            long size = input.size();
            makeRoom(Math.max(0, size), jobId);
            Path partial = jobDir.resolve(name + PARTIAL);
            input.download(partial, log);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            release(jobId);
            throw SpoolError.output(dir.toString(), "the input cache cannot be written: " + e.getMessage());
        } catch (RuntimeException e) {
            release(jobId);
            throw e;
        } finally {
            lock.unlock();
        }
    }

    void release(String jobId) {
        synchronized (inUse) {
            inUse.computeIfPresent(jobId, (id, n) -> n > 1 ? n - 1 : null);
            if (!inUse.containsKey(jobId)) locks.remove(jobId);
        }
    }

    /**
     * Evicts the least recently used jobs' inputs until {@code needed} more bytes fit; one decision
     * at a time, with the in-use set held still. (An input of unknown size counts as empty.)
     */
    private void makeRoom(long needed, String forJob) throws IOException {
        synchronized (inUse) {
            evict(needed, forJob);
        }
    }

    private void evict(long needed, String forJob) throws IOException {
        if (needed > maxBytes)
            throw SpoolError.output(dir.toString(), "the input is " + needed + " bytes, more than the whole cache ("
                    + maxBytes + " bytes, --cache-size)");
        Files.createDirectories(dir);
        List<Path> jobs;
        try (Stream<Path> entries = Files.list(dir)) {
            jobs = entries.filter(Files::isDirectory).sorted(Comparator.comparing(InputCache::lastUsed)).toList();
        }
        long used = 0;
        for (Path job : jobs) used += size(job);
        for (Path job : jobs) {
            if (used + needed <= maxBytes) return;
            String id = job.getFileName().toString();
            if (id.equals(forJob) || inUse.containsKey(id)) continue;
            used -= size(job);
            ExitCleanup.deleteTree(job);
        }
        if (used + needed > maxBytes)
            throw SpoolError.storage("the input cache " + dir + " is full of inputs that running tasks hold; retry later");
    }

    private static FileTime lastUsed(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
