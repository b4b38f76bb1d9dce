package dev.spool.model.encode;

import dev.spool.model.SpoolError;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a video into pieces that are whole numbers of HLS segments, on frame boundaries: piece k
 * starts at the first frame at or after k x pieceSeconds, exactly where every rendition has a
 * forced keyframe, so pieces encoded apart join without a seam.
 */
public record PiecePlan(List<Piece> pieces, int segmentsPerPiece) {
    public static final int DEFAULT_PIECE_SECONDS = 30;

    /**
     * One piece: frames [firstFrame, endFrame) of the constant-rate output (endFrame -1: to the
     * end), starting at {@code startSec} on the source timeline, its first segment numbered
     * {@code firstSegment}.
     */
    public record Piece(int index, long firstFrame, long endFrame, double startSec, int firstSegment) {
        public boolean last() { return endFrame < 0; }

        /** This piece's share of a video of {@code durationSec} at {@code fps}, in seconds: to its end frame, or to the end. */
        public double lengthSec(double durationSec, Ratio fps) {
            double end = last() ? durationSec : endFrame / fps.value();
            return Math.max(0.001, end - startSec);
        }

        /** How many frames this piece renders: its frame range, or (the last) its length at {@code fps}. */
        public long frameCount(double durationSec, Ratio fps) {
            return last() ? Math.max(1, Math.round(lengthSec(durationSec, fps) * fps.value())) : endFrame - firstFrame;
        }
    }

    public PiecePlan {
        pieces = List.copyOf(pieces);
    }

    public static PiecePlan of(double durationSec, Ratio fps, int hlsTime, int pieceSeconds) {
        if (pieceSeconds < hlsTime || pieceSeconds % hlsTime != 0)
            throw SpoolError.invalid("piece_seconds", "must be a whole number of HLS segments (" + hlsTime + " s each), not " + pieceSeconds);
        int count = Math.max(1, (int) Math.ceil(durationSec / pieceSeconds - 1e-9));
        List<Piece> pieces = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            long first = firstFrameAtOrAfter((long) k * pieceSeconds, fps);
            long end = k + 1 < count ? firstFrameAtOrAfter((long) (k + 1) * pieceSeconds, fps) : -1;
            pieces.add(new Piece(k, first, end, (double) k * pieceSeconds, k * (pieceSeconds / hlsTime)));
        }
        return new PiecePlan(pieces, pieceSeconds / hlsTime);
    }

    /** ceil(seconds x fps), exactly, in rationals: 6 s at 30000/1001 is frame 180 (at 6.006 s). */
    static long firstFrameAtOrAfter(long seconds, Ratio fps) {
        return (seconds * fps.num() + fps.den() - 1) / fps.den();
    }
}
