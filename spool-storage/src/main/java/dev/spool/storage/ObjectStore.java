package dev.spool.storage;

import dev.spool.model.storage.ObjectLocation;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Where objects live when a job's input or output is not on the worker's own disks: an
 * S3-compatible store. Every call retries what retrying can fix (a dropped connection, a
 * restarting server) with backoff and resumes rather than starts over; what it cannot fix (a
 * missing bucket or object, denied access) fails at once with a {@link dev.spool.model.SpoolError}
 * naming the object.
 */
public interface ObjectStore extends AutoCloseable {

    /** The object's size in bytes; INPUT_UNREADABLE when it does not exist. */
    long size(ObjectLocation object);

    boolean exists(ObjectLocation object);

    /**
     * Downloads an object to a local file, resuming from the bytes a partial file already holds if
     * they came from the same version of the object (ranged reads pinned to its ETag; a partial file
     * of another version is discarded); the result's size is checked, and its MD5 when the store's
     * ETag is one.
     */
    void download(ObjectLocation object, Path to, TransferLog log);

    /** Uploads a file: one PUT with its MD5, or a multipart upload whose parts are retried one by one. */
    void upload(Path from, ObjectLocation object, TransferLog log);

    void put(ObjectLocation object, byte[] content);

    /** Keys under a prefix (the prefix is a "directory": {@code key/}). */
    List<ObjectLocation> list(ObjectLocation prefix);

    void delete(Collection<ObjectLocation> objects);

    @Override void close();
}
