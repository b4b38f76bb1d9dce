package dev.spool.storage;

import dev.spool.model.storage.ObjectLocation;
import java.nio.file.Path;

/** An input that is not on the worker's disks: an object in a store, or an HTTP(S) URL. */
public interface RemoteInput {
    /** A file name for the local copy. */
    String name();

    /** Its size in bytes, asked before downloading (to make room in the cache). */
    long size();

    /** Downloads it to {@code to}, resuming from the bytes a partial file already holds; checks the result. */
    void download(Path to, TransferLog log);

    /** An object in a store. */
    static RemoteInput of(ObjectStore store, ObjectLocation object) {
        return new RemoteInput() {
            @Override public String name() { return object.name(); }
            @Override public long size() { return store.size(object); }
            @Override public void download(Path to, TransferLog log) { store.download(object, to, log); }
        };
    }
}
