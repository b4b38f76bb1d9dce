package dev.spool.media.run;

import dev.spool.media.commit.StagedOutput;
import dev.spool.model.storage.CommitGate;
import dev.spool.model.encode.EncodeOptions;
import dev.spool.media.encode.LadderCommand;
import dev.spool.media.plan.LadderPlan;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.probe.MediaInfo;
import dev.spool.media.probe.Probe;
import dev.spool.media.ffmpeg.Progress;
import dev.spool.media.ffmpeg.ProgressParser;
import dev.spool.media.ffmpeg.ToolProcess;
import dev.spool.media.hls.StreamFacts;
import dev.spool.media.hls.StreamProbe;
import dev.spool.model.SpoolError;
import dev.spool.media.plan.Rendition;
import dev.spool.media.verify.Expectations;
import dev.spool.media.verify.LadderVerifier;
import dev.spool.media.verify.VerifyReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The single-machine main job: probe the input, plan the ladder, render every rendition with one
 * ffmpeg process into a staging directory, write the master playlist, verify, and move the result
 * into place. Anything that fails leaves OUT as it was.
 */
public final class LadderRun {

    /** Hears what a run is doing; the CLI turns this into a progress bar or JSON lines. */
    public interface Listener {
        default void planned(MediaInfo source, LadderPlan plan) {}
        default void progress(Progress progress) {}
        default void stage(String name) {}
        /** A piece of a split job finished encoding (wall milliseconds), or the audio (index -1). */
        default void pieceDone(int index, long wallMs) {}
    }

    /** What to run: an input, an output directory, and how to encode. */
    public record Request(Path input, Path out, EncodeOptions options, boolean force) {}

    private final FfmpegTools tools;

    public LadderRun(FfmpegTools tools) {
        this.tools = tools;
    }

    public RunSummary run(Request request, Listener listener) {
        return run(request, listener, CommitGate.OPEN);
    }

    /** Runs, and moves the verified result into place only once {@code gate} allows it. */
    public RunSummary run(Request request, Listener listener, CommitGate gate) {
        long start = System.nanoTime();
        listener.stage("probe");
        MediaInfo source = new Probe(tools).probe(request.input());
        LadderPlan plan = LadderPlan.of(source, request.options());
        listener.planned(source, plan);
        long probed = System.nanoTime();
        try (StagedOutput staged = StagedOutput.create(request.out(), request.force())) {
            return runStaged(request, source, plan, staged, listener, gate, start, probed);
        }
    }

    private RunSummary runStaged(Request request, MediaInfo source, LadderPlan plan, StagedOutput staged, Listener listener,
                                 CommitGate gate, long start, long probed) {
        Path dir = staged.directory();
        try {
            encode(plan, request.input(), dir, listener);
            long encoded = System.nanoTime();
            listener.stage("package");
            StreamProbe readBack = new StreamProbe(tools);
            List<OutputSummary> outputs = plan.options().format() == EncodeOptions.OutputFormat.HLS
                    ? new HlsPackager(readBack).writeMaster(plan, dir)
                    : mp4Outputs(plan, dir, readBack);
            long packaged = System.nanoTime();
            listener.stage("verify");
            VerifyReport report = new LadderVerifier(readBack)
                    .verify(dir, Expectations.of(source, plan.options().hlsTime(), plan.options().masterName()));
            report.requireOk();
            long verified = System.nanoTime();
            staged.commit(gate);
            long end = System.nanoTime();
            String master = plan.options().format() == EncodeOptions.OutputFormat.HLS
                    ? staged.target().resolve(plan.options().masterName()).toString() : null;
            return new RunSummary(staged.target().toString(), master, source.durationSec(), outputs,
                    report.checks().size(), ms(probed - start), ms(encoded - probed), ms(packaged - encoded),
                    ms(verified - packaged), ms(end - start));
        } catch (SpoolError e) {
            // ffmpeg's HLS muxer does not always report a failed write; a full disk shows as a broken ladder
            if (e.code() != SpoolError.Code.OUTPUT_UNWRITABLE && DiskSpace.isFull(dir))
                throw SpoolError.output(staged.target().toString(), "disk full: no space left on device while writing the ladder");
            throw e;
        }
    }

    private void encode(LadderPlan plan, Path input, Path dir, Listener listener) {
        createRenditionDirectories(plan, dir);
        ProgressParser parser = new ProgressParser(plan.source().durationSec());
        listener.stage("encode");
        ToolProcess.Result result = ToolProcess.run("ffmpeg",
                tools.ffmpeg(LadderCommand.args(plan, input, dir, true)),
                line -> parser.accept(line).ifPresent(listener::progress), tools.stallWatch());
        if (!result.ok()) throw EncodeFailure.explain(result, input, dir);
    }

    private static void createRenditionDirectories(LadderPlan plan, Path dir) {
        if (plan.options().format() != EncodeOptions.OutputFormat.HLS) return;
        try {
            for (Rendition r : plan.renditions()) Files.createDirectories(dir.resolve(r.name()));
            if (plan.audio().isPresent()) Files.createDirectories(dir.resolve(LadderPlan.AUDIO_DIR));
        } catch (IOException e) {
            throw SpoolError.output(dir.toString(), "cannot be written: " + StagedOutput.reason(e));
        }
    }

    static List<OutputSummary> mp4Outputs(LadderPlan plan, Path dir, StreamProbe probe) {
        List<String> names = new ArrayList<>(plan.renditions().stream().map(r -> r.name() + ".mp4").toList());
        if (plan.renditions().isEmpty() && plan.audio().isPresent()) names.add("audio.m4a");
        List<OutputSummary> outputs = new ArrayList<>();
        for (String name : names) {
            Path file = dir.resolve(name);
            List<StreamFacts> streams = probe.streams(file);
            StreamFacts main = streams.stream().filter(StreamFacts::isVideo).findFirst().orElse(streams.get(0));
            long bytes = size(file);
            long bps = main.duration() > 0 ? Math.round(bytes * 8 / main.duration()) : 0;
            outputs.add(new OutputSummary(name, name, main.width(), main.height(), main.codecs().orElse(main.codecName()),
                    bps, bps, bytes, main.duration()));
        }
        return outputs;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw SpoolError.verification(file + " is missing");
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
