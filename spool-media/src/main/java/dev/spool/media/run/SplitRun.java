package dev.spool.media.run;

import dev.spool.media.commit.StagedOutput;
import dev.spool.model.encode.EncodeOptions;
import dev.spool.media.plan.LadderPlan;
import dev.spool.model.encode.PiecePlan;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.probe.MediaInfo;
import dev.spool.media.probe.Probe;
import dev.spool.media.ffmpeg.Progress;
import dev.spool.media.hls.StreamProbe;
import dev.spool.model.SpoolError;
import dev.spool.media.verify.Expectations;
import dev.spool.media.verify.LadderVerifier;
import dev.spool.media.verify.VerifyReport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

/**
 * The split-and-stitch form of the main job on one machine: the video is cut into pieces of whole
 * HLS segments, encoded by N local workers at once (each piece renders every rung), the audio is
 * encoded once, whole, beside them; then each rung's pieces are stitched into one playlist, the
 * master written, the ladder verified and moved into place. The same pieces and stitching serve
 * distributed jobs; here the workers are threads.
 */
public final class SplitRun {
    private static final String PIECES_DIR = ".pieces";

    private final FfmpegTools tools;
    private final int workers;
    private final int pieceSeconds;
    private final boolean pinToCores;

    public SplitRun(FfmpegTools tools, int workers, int pieceSeconds) {
        this(tools, workers, pieceSeconds, false);
    }

    /**
     * {@code pinToCores}: worker w runs its ffmpeg on CPU w only (taskset), so N local workers
     * stand for N one-core machines; for benchmarks, since one ffmpeg process always runs several
     * threads (demuxer, decoder, filters, encoders, muxers) however its encoders are limited.
     */
    public SplitRun(FfmpegTools tools, int workers, int pieceSeconds, boolean pinToCores) {
        if (workers < 1 || workers > 64) throw SpoolError.invalid("workers", "must be between 1 and 64");
        this.tools = tools;
        this.workers = workers;
        this.pieceSeconds = pieceSeconds;
        this.pinToCores = pinToCores;
    }

    public RunSummary run(LadderRun.Request request, LadderRun.Listener listener) {
        EncodeOptions options = request.options();
        long start = System.nanoTime();
        listener.stage("probe");
        MediaInfo source = new Probe(tools).probe(request.input());
        if (source.audioOnly()) return new LadderRun(tools).run(request, listener);   // nothing to split
        LadderPlan plan = LadderPlan.of(source, options);
        PiecePlan pieces = PiecePlan.of(source.videoDurationSec(), plan.frameRate().orElseThrow(), options.hlsTime(), pieceSeconds);
        listener.planned(source, plan);
        long probed = System.nanoTime();
        PieceWork work = new PieceWork(tools, pinToCores ? SplitRun::pinnedToWorkerCore : UnaryOperator.identity());
        try (StagedOutput staged = StagedOutput.create(request.out(), request.force())) {
            Path dir = staged.directory();
            PieceLayout layout = new PieceLayout(dir.resolve(PIECES_DIR));
            encode(work, plan, pieces, request.input(), layout, listener);
            long encoded = System.nanoTime();
            listener.stage("package");
            var names = PieceLayout.plainNames(pieces, plan.audio().isPresent());
            List<OutputSummary> outputs = work.packageInto(plan, pieces, layout, names, dir, false);
            layout.delete();
            long packaged = System.nanoTime();
            listener.stage("verify");
            VerifyReport report = new LadderVerifier(new StreamProbe(tools))
                    .verify(dir, Expectations.of(source, options.hlsTime(), options.masterName()));
            report.requireOk();
            long verified = System.nanoTime();
            staged.commit();
            long end = System.nanoTime();
            String master = options.format() == EncodeOptions.OutputFormat.HLS
                    ? staged.target().resolve(options.masterName()).toString() : null;
            return new RunSummary(staged.target().toString(), master,
                    source.durationSec(), outputs, report.checks().size(), ms(probed - start), ms(encoded - probed),
                    ms(packaged - encoded), ms(verified - packaged), ms(end - start));
        }
    }

    /** Every piece and the audio at once, at most {@code workers} at a time: the DAG's middle, on threads. */
    private void encode(PieceWork work, LadderPlan plan, PiecePlan pieces, Path input, PieceLayout layout,
                        LadderRun.Listener listener) {
        listener.stage("encode");
        SplitProgress progress = new SplitProgress(plan.source().videoDurationSec(), listener);
        ExecutorService pool = Executors.newFixedThreadPool(workers, Thread.ofPlatform().name("piece-", 0).factory());
        List<Future<?>> jobs = new ArrayList<>();
        try {
            if (plan.audio().isPresent())
                jobs.add(pool.submit(() -> timed(PieceLayout.AUDIO, listener, () -> work.encodeAudio(plan, input, layout, null))));
            for (PiecePlan.Piece piece : pieces.pieces()) {
                double length = PieceWork.lengthOf(plan, piece);
                jobs.add(pool.submit(() -> timed(piece.index(), listener, () -> work.encodePiece(plan, piece, input, layout, null,
                        p -> progress.update(piece, length, p)))));
            }
            for (Future<?> job : jobs) job.get();
        } catch (ExecutionException e) {
            jobs.forEach(j -> j.cancel(true));
            if (e.getCause() instanceof SpoolError error) throw error;
            throw SpoolError.encoder("a piece failed: " + e.getCause());
        } catch (InterruptedException e) {
            jobs.forEach(j -> j.cancel(true));
            Thread.currentThread().interrupt();
            throw SpoolError.interrupted("interrupted while encoding pieces");
        } finally {
            pool.shutdownNow();
        }
    }

    private static Void timed(int index, LadderRun.Listener listener, Runnable work) {
        long start = System.nanoTime();
        work.run();
        listener.pieceDone(index, ms(System.nanoTime() - start));
        return null;
    }

    /** Runs ffmpeg on CPU W only, W being the pool's worker number in this thread's name "piece-W". */
    private static ProcessBuilder pinnedToWorkerCore(ProcessBuilder ffmpeg) {
        String name = Thread.currentThread().getName();
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", name.substring(name.lastIndexOf('-') + 1)));
        pinned.addAll(ffmpeg.command());
        return ffmpeg.command(pinned);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** Sums the pieces' encoded media time into one progress figure for the whole job. */
    private static final class SplitProgress {
        private final double totalSec;
        private final LadderRun.Listener listener;
        private final java.util.Map<Integer, Double> done = new java.util.HashMap<>();
        private final java.util.Map<Integer, Double> fps = new java.util.HashMap<>();
        private final java.util.Map<Integer, Double> speed = new java.util.HashMap<>();

        SplitProgress(double totalSec, LadderRun.Listener listener) {
            this.totalSec = totalSec;
            this.listener = listener;
        }

        synchronized void update(PiecePlan.Piece piece, double length, Progress p) {
            // -copyts: a piece's out_time is on the source timeline, so its own share is what lies past its start
            double encoded = p.percent() / 100 * length;   // the piece's own progress
            done.put(piece.index(), encoded);
            fps.put(piece.index(), p.done() ? 0 : p.fps());
            speed.put(piece.index(), p.done() ? 0 : p.speed());
            double sum = done.values().stream().mapToDouble(Double::doubleValue).sum();
            double percent = Math.min(99.9, 100 * sum / totalSec);
            double totalFps = fps.values().stream().mapToDouble(Double::doubleValue).sum();
            // media seconds per wall second of every piece at work; the pieces still queued go at that rate too
            double totalSpeed = speed.values().stream().mapToDouble(Double::doubleValue).sum();
            long eta = totalSpeed > 0 ? Math.round(Math.max(0, totalSec - sum) / totalSpeed) : -1;
            listener.progress(new Progress(percent, totalFps, totalSpeed, eta, false));
        }
    }
}
