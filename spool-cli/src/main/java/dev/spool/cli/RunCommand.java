package dev.spool.cli;

import dev.spool.model.encode.EncodeOptions;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.model.SpoolError;
import dev.spool.model.encode.VideoCodec;
import dev.spool.media.run.LadderRun;
import dev.spool.media.run.OutputSummary;
import dev.spool.media.run.RunSummary;
import dev.spool.media.run.SplitRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code spool run INPUT OUT}: the whole job on this machine, into a verified ladder. */
@Command(name = "run", defaultValueProvider = ConfigDefaults.class, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Transcode one video into a web-ready HLS ladder (or MP4 files) on this machine.",
                "Everything is staged beside OUT and moved into place only when verified."})
final class RunCommand implements Callable<Integer> {
    static final String SAMPLE_NAME = "sample-1080p30-30s.mp4";

    @Parameters(arity = "1..2", paramLabel = "INPUT OUT", description = "Input video and output directory (OUT only with --sample).")
    List<Path> paths;

    @Option(names = "--sample", description = "Generate a 30 s 1080p30 clip with stereo audio and transcode it.")
    boolean sample;

    @Option(names = "--renditions", split = ",", paramLabel = "RUNG", description = "Rungs to produce, e.g. 720p,480p (default: every rung at or below the source: 2160p,1440p,1080p,720p,480p,360p,240p).")
    List<String> renditions = List.of();

    @Option(names = "--codec", description = "h264 (libx264), hevc (libx265), av1 (libsvtav1), or an NVENC encoder (h264_nvenc, hevc_nvenc, av1_nvenc). Default: ${DEFAULT-VALUE}.")
    String codec;

    @Option(names = "--preset", description = "Encoder preset (default: veryfast for h264/hevc, 8 for av1).")
    String preset;

    @Option(names = "--hls-time", paramLabel = "SECONDS", description = "HLS segment length. Default: ${DEFAULT-VALUE}.")
    int hlsTime;

    @Option(names = "--segment-format", description = "fmp4 (CMAF) or ts. Default: ${DEFAULT-VALUE}.")
    String segmentFormat;

    @Option(names = "--format", description = "hls (a ladder with a master playlist) or mp4 (one faststart MP4 per rung). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--audio-codec", paramLabel = "aac|opus", description = "aac (AAC-LC) or opus (fMP4 segments and MP4 files only). Default: ${DEFAULT-VALUE}.")
    String audioCodec;

    @Option(names = "--audio-bitrate", paramLabel = "RATE", description = "Audio bitrate, 32k to 320k. Default: ${DEFAULT-VALUE}.")
    String audioBitrate;

    @Option(names = "--video-bitrate", paramLabel = "RATE", description = "Cap every rung's video bitrate at this, e.g. 3M (default: each rung's own cap).")
    String videoBitrate;

    @Option(names = "--master-name", defaultValue = EncodeOptions.DEFAULT_MASTER_NAME, paramLabel = "NAME", description = "Master playlist file name. Default: ${DEFAULT-VALUE}.")
    String masterName;

    @Option(names = "--threads", defaultValue = "0", description = "ffmpeg threads per encoder (0: automatic).")
    int threads;

    @Option(names = "--workers", defaultValue = "1", description = "Split the video into pieces encoded by N local workers, then stitch (1: one ffmpeg for the whole ladder). Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--piece-seconds", paramLabel = "SECONDS", description = "Piece length with --workers > 1, a multiple of --hls-time. Default: ${DEFAULT-VALUE}.")
    int pieceSeconds;

    @Option(names = "--force", description = "Replace OUT even if it is not empty.")
    boolean force;

    @Option(names = "--json", description = "Print progress and the final summary as JSON lines.")
    boolean json;

    @Option(names = "--ffmpeg", paramLabel = "PATH", description = "ffmpeg to use instead of the bundled one (also SPOOL_FFMPEG).")
    Path ffmpeg;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try {
            EncodingFlags.checkCombination(audioCodec, segmentFormat, format);
            EncodeOptions options = new EncodeOptions(renditions, VideoCodec.ofEncoder(codec), preset, hlsTime,
                    EncodeOptions.SegmentFormat.parse(segmentFormat), EncodeOptions.OutputFormat.parse(format), masterName,
                    threads, java.util.Map.of(), VideoCodec.isNvenc(codec) ? codec.strip().toLowerCase(java.util.Locale.ROOT) : null,
                    EncodingFlags.audio(audioCodec, audioBitrate), EncodingFlags.videoCap(videoBitrate));
            FfmpegTools tools = FfmpegTools.locate(ffmpeg);
            Path input;
            Path outDir;
            if (sample) {
                if (paths.size() != 1) throw SpoolError.invalid("OUT", "is the only argument with --sample");
                input = sampleClip(tools);
                outDir = paths.get(0);
            } else {
                if (paths.size() != 2) throw SpoolError.invalid("OUT", "is missing: spool run INPUT OUT");
                input = paths.get(0);
                outDir = paths.get(1);
            }
            RunSummary summary;
            try (ProgressDisplay display = new ProgressDisplay(ProgressDisplay.choose(json), out);
                 var stopped = dev.spool.media.ffmpeg.ExitCleanup.sayOnStop(() -> stopLine(display, input, outDir))) {
                LadderRun.Request request = new LadderRun.Request(input, outDir, options, force);
                summary = workers > 1 ? new SplitRun(tools, workers, pieceSeconds).run(request, display)
                        : new LadderRun(tools).run(request, display);
            }
            if (json) out.println(Json.line(summaryEvent(summary)));
            else printSummary(summary, out);
            return 0;
        } catch (SpoolError e) {
            if (json) out.println(Json.line(errorEvent(e)));
            throw e;
        }
    }

    /**
     * What Ctrl-C stopped: the run stages beside OUT and deletes the staging on the way out, so
     * whatever OUT held before is still there (or there is still no OUT).
     */
    static String stopLine(ProgressDisplay display, Path input, Path out) {
        String stage = display.currentStage().isEmpty() ? "starting" : switch (display.currentStage()) {
            case "probe" -> "probing";
            case "encode" -> "encoding";
            case "package" -> "packaging";
            case "verify" -> "verifying";
            default -> display.currentStage();
        };
        return (display.barShown() ? "\n" : "") + "spool: stopped while " + stage + " " + input.getFileName() + "; " + out
                + " is untouched (the staged output beside it was deleted)";
    }

    /** The sample clip, generated once into the cache and reused. */
    private Path sampleClip(FfmpegTools tools) {
        return SampleCache.clip(tools, SAMPLE_NAME, SampleMedia.Spec.video(1920, 1080, 30, 30),
                line -> { if (!json) System.err.println(line + " (a 30 s 1080p30 sample clip with stereo audio)"); });
    }

    static Map<String, Object> summaryEvent(RunSummary summary) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", "summary");
        event.putAll(Json.MAPPER.convertValue(summary, Map.class));
        return event;
    }

    static Map<String, Object> errorEvent(SpoolError e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code().name());
        error.put("field", e.field());
        error.put("message", e.getMessage());
        return Map.of("event", "error", "error", error);
    }

    private static void printSummary(RunSummary s, PrintStream out) {
        out.printf(Locale.ROOT, "done: %s  (%.1f s of media in %.1f s, %.2fx realtime; %d checks passed)%n",
                s.master() != null ? s.master() : s.out(), s.sourceDurationSec(), s.wallMs() / 1000.0, s.speed(), s.checksPassed());
        for (OutputSummary o : s.outputs()) {
            String size = o.width() > 0 ? o.width() + "x" + o.height() : "";
            out.printf(Locale.ROOT, "  %-7s %-10s %-14s peak %7.0f kb/s  avg %7.0f kb/s  %8.1f MB%n", o.name(), size, o.codecs(),
                    o.peakBps() / 1000.0, o.averageBps() / 1000.0, o.bytes() / 1e6);
        }
        if (s.master() != null) out.println("play: open " + s.master() + " in VLC or ffplay, or serve " + s.out()
                + " over HTTP for a browser (see README, \"Playing the result\").");
    }
}
