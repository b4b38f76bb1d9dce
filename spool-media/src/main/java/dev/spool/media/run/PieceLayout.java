package dev.spool.media.run;

import dev.spool.media.commit.StagedOutput;
import dev.spool.media.plan.LadderPlan;
import dev.spool.model.encode.PiecePlan;
import dev.spool.media.ffmpeg.ExitCleanup;
import dev.spool.model.SpoolError;
import dev.spool.media.plan.Rendition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Where a split job keeps its finished pieces: {@code video-K/<rung>/} per piece and
 * {@code audio/audio/} for the whole audio; in a distributed job each name also carries the
 * attempt that wrote it ({@code video-K.LEASE}), and the package step stitches only the attempts
 * the coordinator accepted, so a worker that lost its lease can never swap a piece. A step writes
 * into a private {@code .part-} directory and renames it into place only when complete, so a piece
 * that exists is a whole piece, and a worker killed half-way leaves nothing that counts. The pieces
 * of a distributed job live beside its output ({@link #beside}) until it is packaged, which is what
 * lets a retried job resume.
 */
public record PieceLayout(Path root) {
    /** The audio piece's index where pieces are listed by number. */
    public static final int AUDIO = -1;

    /** {@code PARENT/.NAME.spool-pieces-JOB} for the output {@code PARENT/NAME}. */
    public static PieceLayout beside(Path out, String jobId) {
        Path parent = out.toAbsolutePath().normalize().getParent();
        if (parent == null) throw SpoolError.output(out.toString(), "has no parent directory to keep the pieces in");
        return new PieceLayout(parent.resolve("." + out.getFileName() + ".spool-pieces-" + jobId));
    }

    /** A piece's directory name ({@link #AUDIO} for the audio), with the attempt that writes it, if given. */
    public static String name(int index, String attempt) {
        String base = index == AUDIO ? "audio" : "video-" + index;
        return attempt == null ? base : base + "." + attempt;
    }

    /** The names of every piece (and the audio, if any) without attempts: a local run's. */
    public static Map<Integer, String> plainNames(PiecePlan pieces, boolean audio) {
        Map<Integer, String> names = new TreeMap<>();
        for (PiecePlan.Piece p : pieces.pieces()) names.put(p.index(), name(p.index(), null));
        if (audio) names.put(AUDIO, name(AUDIO, null));
        return names;
    }

    public Path dir(String name) { return root.resolve(name); }

    /** The files of a piece (relative to its directory) whose presence means it is whole: its playlists. */
    public static List<String> playlists(LadderPlan plan, int index) {
        if (index == AUDIO) return List.of(LadderPlan.AUDIO_DIR + "/" + LadderPlan.MEDIA_PLAYLIST);
        return plan.renditions().stream().map(r -> r.name() + "/" + LadderPlan.MEDIA_PLAYLIST).toList();
    }

    /** The pieces (by index, {@link #AUDIO} for the audio) that have no name or are not here, whole. */
    public List<Integer> missing(LadderPlan plan, PiecePlan pieces, Map<Integer, String> names) {
        List<Integer> wanted = new ArrayList<>(pieces.pieces().stream().map(PiecePlan.Piece::index).toList());
        if (plan.audio().isPresent()) wanted.add(AUDIO);
        List<Integer> missing = new ArrayList<>();
        for (int index : wanted) {
            String name = names.get(index);
            boolean whole = name != null && playlists(plan, index).stream().allMatch(f -> Files.isRegularFile(dir(name).resolve(f)));
            if (!whole) missing.add(index);
        }
        return missing;
    }

    /** A fresh private directory for a step that will become {@code finished} when done. */
    Path begin(Path finished, List<Rendition> renditions) {
        Path work = root.resolve("." + finished.getFileName() + ".part-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(work);
            for (Rendition r : renditions) Files.createDirectories(work.resolve(r.name()));
        } catch (IOException e) {
            throw SpoolError.output(work.toString(), "cannot be written: " + StagedOutput.reason(e));
        }
        ExitCleanup.track(work);
        return work;
    }

    /** Renames a finished step's directory into place, replacing an earlier attempt's. */
    void finish(Path work, Path finished) {
        try {
            if (Files.exists(finished)) ExitCleanup.deleteTree(finished);
            Files.move(work, finished, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw SpoolError.output(finished.toString(), "cannot be moved into place: " + StagedOutput.reason(e));
        } finally {
            ExitCleanup.untrack(work);
        }
    }

    /** Deletes a step's directory that will not be finished. */
    void abandon(Path work) {
        ExitCleanup.deleteQuietly(work);
        ExitCleanup.untrack(work);
    }

    /** Deletes every piece: the job is packaged (or given up). */
    public void delete() {
        ExitCleanup.deleteQuietly(root);
    }
}
