package dev.spool.media.hls;

import dev.spool.model.encode.Ratio;
import dev.spool.model.SpoolError;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Joins the pieces of one rendition into one media playlist: segments moved into place, their
 * decode times put on the source timeline, one init segment (after checking that every piece's
 * is byte-identical), one continuous media sequence, and no discontinuity.
 */
public final class Stitcher {
    private Stitcher() {}

    /** A rendition's directory in one piece, and the first frame that piece holds. */
    public record PieceOutput(Path dir, long firstFrame) {}

    /**
     * {@code keepPieces}: copy the segments rather than move them, so that a package step that
     * fails half-way can run again from the same pieces (a distributed job's pieces are its record).
     */
    public static void stitch(List<PieceOutput> pieces, Ratio fps, Path target, boolean keepPieces) {
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw SpoolError.output(target.toString(), "cannot be created: " + e.getMessage());
        }
        List<MediaPlaylist> playlists = pieces.stream().map(p -> MediaPlaylist.read(p.dir().resolve("index.m3u8"))).toList();
        String init = playlists.get(0).initSegment().orElse(null);
        long timescale = init == null ? 0 : sameInitEverywhere(playlists, init);
        StringBuilder body = new StringBuilder();
        int targetDuration = 0;
        for (int k = 0; k < pieces.size(); k++) {
            MediaPlaylist playlist = playlists.get(k);
            targetDuration = Math.max(targetDuration, playlist.targetDuration());
            long shift = init == null ? 0 : ticks(pieces.get(k).firstFrame(), fps, timescale, playlist.file());
            for (MediaPlaylist.Segment s : playlist.segments()) {
                Path placed = target.resolve(s.uri());
                transfer(playlist.resolve(s.uri()), placed, keepPieces);
                if (shift != 0) Fmp4Timeline.shift(placed, shift);
                body.append(String.format(Locale.ROOT, "#EXTINF:%.6f,%n%s%n", s.duration(), s.uri()));
            }
        }
        if (init != null) transfer(playlists.get(0).resolve(init), target.resolve(init), keepPieces);
        String header = "#EXTM3U\n#EXT-X-VERSION:" + (init != null ? 7 : 3) + "\n#EXT-X-TARGETDURATION:" + targetDuration
                + "\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n"
                + (init != null ? "#EXT-X-MAP:URI=\"" + init + "\"\n" : "");
        try {
            Files.writeString(target.resolve("index.m3u8"), header + body + "#EXT-X-ENDLIST\n");
        } catch (IOException e) {
            throw SpoolError.output(target.toString(), "cannot write the stitched playlist: " + e.getMessage());
        }
    }

    /** One init segment can serve every piece only if they are identical: checked, never assumed. */
    private static long sameInitEverywhere(List<MediaPlaylist> playlists, String init) {
        byte[] first = bytes(playlists.get(0).resolve(init));
        for (MediaPlaylist p : playlists.subList(1, playlists.size())) {
            if (p.initSegment().isEmpty() || !Arrays.equals(first, bytes(p.resolve(p.initSegment().get()))))
                throw SpoolError.verification("the init segment of " + p.file() + " differs from the first piece's: "
                        + "pieces were encoded with different settings");
        }
        return Fmp4Timeline.timescale(playlists.get(0).resolve(init));
    }

    /** firstFrame / fps in the track's timescale; it must come out whole, or the join would drift. */
    private static long ticks(long firstFrame, Ratio fps, long timescale, Path where) {
        BigInteger[] q = BigInteger.valueOf(firstFrame).multiply(BigInteger.valueOf(timescale))
                .multiply(BigInteger.valueOf(fps.den())).divideAndRemainder(BigInteger.valueOf(fps.num()));
        if (q[1].signum() != 0)
            throw SpoolError.verification(where + ": frame " + firstFrame + " is not a whole number of ticks at timescale " + timescale);
        return q[0].longValueExact();
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw SpoolError.verification(p + " cannot be read: " + e.getMessage());
        }
    }

    private static void transfer(Path from, Path to, boolean copy) {
        try {
            if (copy) Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            else Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw SpoolError.output(to.toString(), "cannot be moved into place: " + e.getMessage());
        }
    }
}
