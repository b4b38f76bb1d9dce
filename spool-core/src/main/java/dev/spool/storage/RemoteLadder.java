package dev.spool.storage;

import dev.spool.job.SpoolError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Publishes a finished, verified ladder from a local directory to an object store, where nothing
 * is atomic: a ladder is visible when its master playlist is, so the master goes last. An earlier
 * ladder at the same place loses its master first (it stops being a ladder), then its media are
 * replaced, then the new master appears, then leftovers of the old one are deleted: a reader sees
 * the old ladder, no ladder, or the new one, never a mix. A failed publish deletes what it wrote.
 * A place that holds objects Spool did not write is refused, as a non-empty folder is on disk.
 */
public final class RemoteLadder {
    /** Marks a prefix as Spool's: its objects may be replaced by a later run. */
    public static final String MARKER = ".spool-ladder";

    private RemoteLadder() {}

    /** Uploads every file under {@code dir} to {@code target}; returns the master's (or, without one, the target's) location. */
    public static ObjectLocation publish(ObjectStore store, Path dir, ObjectLocation target, String masterName, String jobId,
                                         TransferLog log) {
        List<Path> files = files(dir);
        ObjectLocation master = target.child(masterName);
        ObjectLocation marker = target.child(MARKER);
        List<ObjectLocation> before = requireReplaceable(store, target, masterName);
        if (before.contains(master)) store.delete(List.of(master));
        store.put(marker, ("written by spool job " + jobId + "\n").getBytes(StandardCharsets.UTF_8));
        List<ObjectLocation> written = new ArrayList<>();
        try {
            Path masterFile = null;
            for (Path f : files) {
                ObjectLocation at = target.child(dir.relativize(f).toString().replace('\\', '/'));
                if (at.equals(master)) {
                    masterFile = f;
                    continue;
                }
                store.upload(f, at, log);
                written.add(at);
            }
            if (masterFile != null) {
                store.upload(masterFile, master, log);
                written.add(master);
            }
        } catch (RuntimeException e) {
            try {
                store.delete(written);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        Set<ObjectLocation> keep = new HashSet<>(written);
        keep.add(marker);
        List<ObjectLocation> stale = before.stream().filter(o -> !keep.contains(o)).toList();
        if (!stale.isEmpty()) store.delete(stale);
        return written.contains(master) ? master : target;
    }

    /** The objects now at {@code target}, if Spool may replace them (none, or an earlier ladder of Spool's). */
    public static List<ObjectLocation> requireReplaceable(ObjectStore store, ObjectLocation target, String masterName) {
        List<ObjectLocation> before = store.list(target);
        if (!before.isEmpty() && !before.contains(target.child(MARKER)) && !before.contains(target.child(masterName)))
            throw SpoolError.output(target.toString(), "holds " + before.size() + " objects Spool did not write; refusing to replace them");
        return before;
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw SpoolError.output(dir.toString(), "cannot be listed: " + e.getMessage());
        }
    }
}
