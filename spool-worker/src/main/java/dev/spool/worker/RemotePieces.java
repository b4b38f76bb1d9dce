package dev.spool.worker;

import dev.spool.media.plan.LadderPlan;
import dev.spool.model.encode.PiecePlan;
import dev.spool.model.SpoolError;
import dev.spool.media.run.PieceLayout;
import dev.spool.model.storage.ObjectLocation;
import dev.spool.storage.ObjectStore;
import dev.spool.storage.TransferLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A split job's pieces in the object store, beside its output ({@code .NAME.spool-pieces-JOB/}),
 * for workers that share no disk. Each piece is encoded into this worker's local {@link PieceLayout}
 * and uploaded with its playlists last, so a piece whose playlists are there is whole; the package
 * step downloads the accepted ones into its own local layout.
 */
final class RemotePieces {
    private final ObjectStore store;
    private final ObjectLocation prefix;

    private RemotePieces(ObjectStore store, ObjectLocation prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    static RemotePieces beside(ObjectStore store, ObjectLocation output, String jobId) {
        return new RemotePieces(store, output.parent().child("." + output.name() + ".spool-pieces-" + jobId));
    }

    /** Uploads one finished piece of the local layout; its playlists go last. */
    void upload(PieceLayout local, String name, TransferLog log) {
        Path dir = local.dir(name);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing((Path f) -> f.getFileName().toString().endsWith(".m3u8")).thenComparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw SpoolError.output(dir.toString(), "cannot be listed: " + e.getMessage());
        }
        for (Path f : files) store.upload(f, prefix.child(name).child(dir.relativize(f).toString().replace('\\', '/')), log);
    }

    /** The pieces (by index, {@link PieceLayout#AUDIO} for the audio) whose accepted attempt is not all in the store. */
    List<Integer> missing(LadderPlan plan, PiecePlan pieces, Map<Integer, String> names) {
        Set<ObjectLocation> stored = new HashSet<>(store.list(prefix));
        List<Integer> wanted = new ArrayList<>(pieces.pieces().stream().map(PiecePlan.Piece::index).toList());
        if (plan.audio().isPresent()) wanted.add(PieceLayout.AUDIO);
        List<Integer> missing = new ArrayList<>();
        for (int index : wanted) {
            String name = names.get(index);
            boolean whole = name != null && PieceLayout.playlists(plan, index).stream()
                    .allMatch(f -> stored.contains(prefix.child(name).child(f)));
            if (!whole) missing.add(index);
        }
        return missing;
    }

    /** Downloads the named pieces into a local layout. */
    void downloadInto(PieceLayout local, Map<Integer, String> names, TransferLog log) {
        for (String name : names.values()) {
            ObjectLocation piece = prefix.child(name);
            String root = piece.key() + "/";
            for (ObjectLocation o : store.list(piece)) {
                Path to = local.dir(name).resolve(o.key().substring(root.length())).normalize();
                if (!to.startsWith(local.dir(name))) throw SpoolError.storage(o + " lies outside its piece");
                store.download(o, to, log);
            }
        }
    }

    boolean isEmpty() {
        return store.list(prefix).isEmpty();
    }

    void delete() {
        store.delete(store.list(prefix));
    }
}
