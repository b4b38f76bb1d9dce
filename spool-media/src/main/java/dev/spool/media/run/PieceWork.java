package dev.spool.media.run;

import dev.spool.media.commit.StagedOutput;
import dev.spool.media.plan.LadderPlan;
import dev.spool.media.encode.PieceCommand;
import dev.spool.model.encode.PiecePlan;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.ffmpeg.Progress;
import dev.spool.media.ffmpeg.ProgressParser;
import dev.spool.media.ffmpeg.ToolProcess;
import dev.spool.media.hls.Stitcher;
import dev.spool.media.hls.StreamProbe;
import dev.spool.model.SpoolError;
import dev.spool.media.plan.Rendition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The steps of a split job after the probe: encode one piece (every video rung), encode the audio
 * (once, whole), and package (stitch each rung, put the audio beside it, write the master).
 * {@code spool run --workers N} runs them on local threads; a distributed job runs each as a task
 * on whichever worker leases it. Both keep the pieces in a {@link PieceLayout}.
 */
public final class PieceWork {
    private final FfmpegTools tools;
    private final UnaryOperator<ProcessBuilder> launcher;

    public PieceWork(FfmpegTools tools) {
        this(tools, UnaryOperator.identity());
    }

    /** {@code launcher} may wrap each ffmpeg command (a benchmark pins it to one core with taskset). */
    public PieceWork(FfmpegTools tools, UnaryOperator<ProcessBuilder> launcher) {
        this.tools = tools;
        this.launcher = launcher;
    }

    /**
     * Encodes frames [first, end) of the source into every video rung; progress is the piece's own.
     * Returns the piece's directory name in the layout ({@code attempt}: see {@link PieceLayout#name}).
     */
    public String encodePiece(LadderPlan job, PiecePlan.Piece piece, Path input, PieceLayout layout, String attempt,
                              Consumer<Progress> progress) {
        LadderPlan plan = job.forPieces();
        String name = PieceLayout.name(piece.index(), attempt);
        Path done = layout.dir(name);
        Path work = layout.begin(done, plan.renditions());
        double total = plan.source().videoDurationSec();
        double length = lengthOf(plan, piece);
        ProgressParser parser = new ProgressParser(total);
        long frames = piece.frameCount(total, plan.frameRate().orElseThrow());
        double rate = plan.frameRate().get().value();
        try {
            run(PieceCommand.args(plan, piece, input, work, true), input, work, line -> parser.accept(line)
                    .ifPresent(p -> progress.accept(withinPiece(p, piece.startSec(), length, total, frames, rate))), true);
            layout.finish(work, done);
            return name;
        } finally {
            layout.abandon(work);
        }
    }

    /** Encodes the whole audio once, on the pieces' timeline; returns its directory name in the layout. */
    public String encodeAudio(LadderPlan job, Path input, PieceLayout layout, String attempt) {
        LadderPlan plan = job.forPieces();
        String name = PieceLayout.name(PieceLayout.AUDIO, attempt);
        Path done = layout.dir(name);
        Path work = layout.begin(done, List.of());
        try {
            Files.createDirectories(work.resolve(LadderPlan.AUDIO_DIR));
            run(PieceCommand.audioArgs(plan, input, work), input, work, line -> { }, true);
            layout.finish(work, done);
            return name;
        } catch (IOException e) {
            throw SpoolError.output(work.toString(), "cannot be written: " + StagedOutput.reason(e));
        } finally {
            layout.abandon(work);
        }
    }

    /**
     * Stitches every rung from the pieces into {@code dir}, puts the audio beside them and writes
     * the master playlist; for an MP4 job, then copies each stitched rung and the audio into one
     * MP4 file per rung (stream copy: no re-encode). {@code keepPieces}: copy rather than move, so
     * a failed package step can run again (a distributed job); the local run moves, its pieces are scratch.
     */
    public List<OutputSummary> packageInto(LadderPlan job, PiecePlan pieces, PieceLayout layout, Map<Integer, String> names,
                                           Path dir, boolean keepPieces) {
        LadderPlan plan = job.forPieces();
        List<Integer> missing = layout.missing(plan, pieces, names);
        if (!missing.isEmpty())
            throw SpoolError.verification("pieces " + missing + " are missing from " + layout.root() + " (-1 is the audio)");
        boolean mp4 = plan != job;
        Path hls = mp4 ? dir.resolve(".stitched") : dir;
        for (Rendition r : plan.renditions()) {
            List<Stitcher.PieceOutput> parts = pieces.pieces().stream()
                    .map(p -> new Stitcher.PieceOutput(layout.dir(names.get(p.index())).resolve(r.name()), p.firstFrame())).toList();
            Stitcher.stitch(parts, plan.frameRate().orElseThrow(), hls.resolve(r.name()), keepPieces);
        }
        if (plan.audio().isPresent())
            transferTree(layout.dir(names.get(PieceLayout.AUDIO)).resolve(LadderPlan.AUDIO_DIR), hls.resolve(LadderPlan.AUDIO_DIR),
                    keepPieces);
        StreamProbe readBack = new StreamProbe(tools);
        if (!mp4) return new HlsPackager(readBack).writeMaster(plan, dir);
        for (Rendition r : plan.renditions()) run(Mp4Copy.args(plan, hls, r, dir), null, dir, line -> { }, false);
        dev.spool.media.ffmpeg.ExitCleanup.deleteQuietly(hls);
        return LadderRun.mp4Outputs(job, dir, readBack);
    }

    /** A piece's share of the video, in seconds. */
    public static double lengthOf(LadderPlan plan, PiecePlan.Piece piece) {
        return piece.lengthSec(plan.source().videoDurationSec(), plan.frameRate().orElseThrow());
    }

    /**
     * A piece's own progress: the frames it wrote out of its {@code frameCount}. ffmpeg's time and
     * speed are no use here: with -copyts and -ss its out_time does not start at the piece's start,
     * and its speed divides that by the wall time; the frame count is exact. Speed is then frames
     * per second over the frame rate (media seconds per wall second). Without a frame count (an
     * ffmpeg that does not say), the position past the piece's start, out of its length.
     */
    static Progress withinPiece(Progress p, double startSec, double lengthSec, double totalSec, long frameCount, double frameRate) {
        if (p.frames() >= 0) {
            long frames = p.done() ? frameCount : Math.min(frameCount, p.frames());
            long eta = p.done() ? 0 : p.fps() > 0 ? Math.round((frameCount - frames) / p.fps()) : -1;
            return new Progress(100.0 * frames / frameCount, p.fps(), p.fps() / frameRate, eta, p.done(), frames);
        }
        double encoded = p.done() ? lengthSec : Math.min(lengthSec, Math.max(0, p.percent() / 100 * totalSec - startSec));
        long eta = p.done() ? 0 : p.speed() > 0 ? Math.round((lengthSec - encoded) / p.speed()) : -1;
        return new Progress(100 * encoded / lengthSec, p.fps(), p.speed(), eta, p.done());
    }

    /**
     * {@code input}: the job's input the command reads, or null when it reads only Spool's own files;
     * {@code watched}: the command reports -progress, and is killed when that stops advancing.
     */
    private void run(List<String> args, Path input, Path dir, Consumer<String> lines, boolean watched) {
        ToolProcess.Result result = ToolProcess.run("ffmpeg", launcher.apply(tools.ffmpeg(args)), lines,
                watched ? tools.stallWatch() : null);
        if (!result.ok()) throw input == null ? EncodeFailure.explain(result, dir) : EncodeFailure.explain(result, input, dir);
    }

    private static void transferTree(Path from, Path to, boolean copy) {
        try {
            if (!copy) {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                return;
            }
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw SpoolError.output(to.toString(), "cannot be written: " + StagedOutput.reason(e));
        }
    }
}
