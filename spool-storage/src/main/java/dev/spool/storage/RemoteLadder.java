package dev.spool.storage;

import dev.spool.model.storage.ObjectLocation;
import dev.spool.model.SpoolError;

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
 * replaced (segments before the playlists that name them), then the new master appears, then the
 * old one's leftovers (the keys its marker lists) are deleted: a reader that starts from the master
 * sees the old ladder, no ladder, or the new one. A failed publish deletes what it wrote. A place
 * that holds objects Spool did not write is refused, as a non-empty folder is on disk.
 */
public final class RemoteLadder {
    /** Marks a prefix as Spool's: its objects may be replaced by a later run. */
    public static final String MARKER = ".spool-ladder";

    private RemoteLadder() {}

    /**
     * Uploads every file under {@code dir} to {@code target}: segments and init segments, then
     * media playlists, then the master. Nothing at the target changes before {@code gate} granted
     * the commit (a worker: the coordinator's grant to its lease), and every write checks the grant
     * still holds, so a worker that lost its lease or was paused past it stops writing. Returns the
     * master's location (or, with none, the target's). The marker lists what was written, so the
     * next publish deletes the previous ladder's leftovers and nothing else.
     */
    public static ObjectLocation publish(ObjectStore store, Path dir, ObjectLocation target, String masterName, String jobId,
                                         dev.spool.model.storage.CommitGate gate, TransferLog log) {
        if (target.key().isEmpty())
            throw SpoolError.output(target.toString(), "is a whole bucket; give a prefix inside it (s3://bucket/ladder)");
        ObjectLocation master = target.child(masterName);
        ObjectLocation marker = target.child(MARKER);
        List<ObjectLocation> before = requireReplaceable(store, target, masterName);
        gate.acquire(dir);
        List<Path> files = files(dir);
        List<ObjectLocation> previous = before.contains(marker) ? listed(store, marker, target) : List.of();
        gate.check();
        if (before.contains(master)) store.delete(List.of(master));
        List<ObjectLocation> written = new ArrayList<>();
        try {
            Path masterFile = null;
            for (Path f : files) {
                ObjectLocation at = target.child(dir.relativize(f).toString().replace('\\', '/'));
                if (at.equals(master)) {
                    masterFile = f;
                    continue;
                }
                gate.check();
                store.upload(f, at, log);
                written.add(at);
            }
            gate.check();
            store.put(marker, record(jobId, target, written, master));
            if (masterFile != null) {
                gate.check();
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
        List<ObjectLocation> stale = previous.stream().filter(o -> !keep.contains(o) && before.contains(o)).toList();
        if (!stale.isEmpty()) store.delete(stale);
        return written.contains(master) ? master : target;
    }

    /** The marker's content: who wrote the ladder, and every key of it (the master's too), relative to the target. */
    private static byte[] record(String jobId, ObjectLocation target, List<ObjectLocation> written, ObjectLocation master) {
        StringBuilder b = new StringBuilder("# written by spool job " + jobId + "\n");
        int from = target.key().length() + 1;
        for (ObjectLocation o : written) b.append(o.key().substring(from)).append('\n');
        b.append(master.key().substring(from)).append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The keys an earlier publish recorded in its marker. */
    private static List<ObjectLocation> listed(ObjectStore store, ObjectLocation marker, ObjectLocation target) {
        try {
            Path copy = Files.createTempFile("spool-marker", ".txt");
            try {
                Files.delete(copy);
                store.download(marker, copy, TransferLog.NONE);
                return Files.readAllLines(copy).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).map(target::child).toList();
            } finally {
                Files.deleteIfExists(copy);
            }
        } catch (IOException e) {
            throw SpoolError.output(marker.toString(), "cannot be read: " + e.getMessage());
        }
    }

    /** The objects now at {@code target}, if Spool may replace them (none, or an earlier ladder of Spool's). */
    public static List<ObjectLocation> requireReplaceable(ObjectStore store, ObjectLocation target, String masterName) {
        List<ObjectLocation> before = store.list(target);
        if (!before.isEmpty() && !before.contains(target.child(MARKER)) && !before.contains(target.child(masterName)))
            throw SpoolError.output(target.toString(), "holds " + before.size() + " objects Spool did not write; refusing to replace them");
        return before;
    }

    /** Media first, playlists after them: a playlist never names a segment that is not there yet. */
    private static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .sorted(java.util.Comparator.comparing((Path f) -> f.getFileName().toString().endsWith(".m3u8")).thenComparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw SpoolError.output(dir.toString(), "cannot be listed: " + e.getMessage());
        }
    }
}
