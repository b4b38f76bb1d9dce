package dev.spool.model.encode;

import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class PiecePlanTest {

    @Test
    void piecesAreWholeSegmentsStartingOnTheFramesWhereKeyframesAreForced() {
        PiecePlan plan = PiecePlan.of(70, new Ratio(30, 1), 6, 30);

        assertThat(plan.segmentsPerPiece()).isEqualTo(5);
        assertThat(plan.pieces()).extracting(PiecePlan.Piece::firstFrame, PiecePlan.Piece::endFrame,
                        PiecePlan.Piece::startSec, PiecePlan.Piece::firstSegment)
                .containsExactly(tuple(0L, 900L, 0.0, 0), tuple(900L, 1800L, 30.0, 5), tuple(1800L, -1L, 60.0, 10));
        assertThat(plan.pieces().getLast().last()).isTrue();
    }

    @Test
    void atNtscRatesAPieceStartsOnTheFirstFrameAtOrAfterItsBoundary() {
        PiecePlan plan = PiecePlan.of(13, new Ratio(30000, 1001), 2, 6);

        // 6 s x 29.97 = 179.82 frames: the piece starts on frame 180 (6.006 s), as the keyframe does
        assertThat(plan.pieces()).extracting(PiecePlan.Piece::firstFrame).containsExactly(0L, 180L, 360L);
        assertThat(plan.pieces()).extracting(PiecePlan.Piece::endFrame).containsExactly(180L, 360L, -1L);
    }

    @Test
    void aVideoShorterThanOnePieceIsOnePiece() {
        assertThat(PiecePlan.of(4.5, new Ratio(25, 1), 6, 30).pieces()).singleElement()
                .satisfies(p -> assertThat(p.last()).isTrue());
    }

    @Test
    void aDurationThatIsAnExactMultipleMakesNoEmptyLastPiece() {
        assertThat(PiecePlan.of(60, new Ratio(30, 1), 6, 30).pieces()).hasSize(2);
    }

    @Test
    void aPieceMustBeAWholeNumberOfSegments() {
        assertThatThrownBy(() -> PiecePlan.of(60, new Ratio(30, 1), 6, 20))
                .isInstanceOf(SpoolError.class).hasFieldOrPropertyWithValue("field", "piece_seconds");
    }
}
