package dev.spool.media.run;

import dev.spool.model.encode.PiecePlan;
import dev.spool.media.ffmpeg.Progress;
import dev.spool.model.encode.Ratio;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** A piece's own progress, from the frames ffmpeg says it wrote (its time is off under -copyts). */
class PieceProgressTest {
    /** Piece 1 of a 95 s, 30 fps video in 30 s pieces: frames 900-1800, 30 s from 30 s on. */
    private static final PiecePlan.Piece SECOND = PiecePlan.of(95, new Ratio(30, 1), 6, 30).pieces().get(1);

    @Test
    void aPiecesProgressIsItsFramesOverItsFrameCountWhateverFfmpegsClockSays() {
        // ffmpeg's out_time for this piece reads as 2 s into the video (before the piece even starts)
        Progress ffmpeg = new Progress(100.0 * 2 / 95, 60, 9.0, 5, false, 450);

        Progress p = PieceWork.withinPiece(ffmpeg, SECOND.startSec(), 30, 95, SECOND.frameCount(95, new Ratio(30, 1)), 30);

        assertThat(p.percent()).isEqualTo(50);
        assertThat(p.frames()).isEqualTo(450);
        assertThat(p.speed()).as("60 fps at 30 fps: two media seconds per second").isEqualTo(2.0);
        assertThat(p.etaSec()).as("450 frames left at 60 fps").isEqualTo(8);
    }

    @Test
    void theLastPieceCountsItsFramesToTheEndOfTheVideo() {
        PiecePlan.Piece last = PiecePlan.of(95, new Ratio(30, 1), 6, 30).pieces().get(3);

        assertThat(last.frameCount(95, new Ratio(30, 1))).isEqualTo(150);
        assertThat(SECOND.frameCount(95, new Ratio(30, 1))).isEqualTo(900);
    }

    @Test
    void withoutAFrameCountThePositionPastThePiecesStartIsUsed() {
        Progress ffmpeg = new Progress(100.0 * 45 / 95, 60, 2.0, 5, false);

        Progress p = PieceWork.withinPiece(ffmpeg, 30, 30, 95, 900, 30);

        assertThat(p.percent()).isCloseTo(50, offset(1e-9));
        assertThat(p.frames()).isEqualTo(-1);
    }
}
