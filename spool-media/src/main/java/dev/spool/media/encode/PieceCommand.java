package dev.spool.media.encode;

import dev.spool.media.plan.LadderPlan;
import dev.spool.model.encode.EncodeOptions;
import dev.spool.model.encode.PiecePlan;
import dev.spool.media.plan.Rendition;

import dev.spool.media.ffmpeg.InputSandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ffmpeg invocation for one piece of a split job: decode only that stretch of the source
 * (frame-exact), keep source timestamps, and render every video rung as HLS segments numbered
 * where the piece begins. Audio is not here: it is encoded once, whole (cutting AAC at piece
 * boundaries is the classic cause of audio/video drift).
 */
public final class PieceCommand {
    private PieceCommand() {}

    public static List<String> args(LadderPlan plan, PiecePlan.Piece piece, Path input, Path dir, boolean withProgress) {
        double fps = plan.frameRate().orElseThrow().value();
        // -copyts keeps the source's own timestamps, which start at its start_time (1.4 s in a typical
        // MPEG-TS): the single pass's frame grid and keyframes, moved there
        double origin = plan.source().startSec();
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-v", "error"));
        if (withProgress) args.addAll(List.of("-progress", "pipe:1", "-nostats"));
        // Half a frame inside each boundary: the frame on the boundary is in, its predecessor out,
        // whatever the rounding of the timestamps.
        args.add("-copyts");
        args.addAll(LadderCommand.threadLimits(plan.options()));
        if (piece.firstFrame() > 0) args.addAll(List.of("-ss", seconds(origin + (piece.firstFrame() - 0.5) / fps)));
        // -to on the input: as an output option it would bound only the first rendition
        if (!piece.last()) args.addAll(List.of("-to", seconds(origin + (piece.endFrame() - 0.5) / fps)));
        args.addAll(InputSandbox.inputOptions());
        args.addAll(List.of("-i", input.toString()));
        // constant frame rate from the fps filter, which starts at the piece's first frame: the
        // output option (-fps_mode cfr) would pad a -copyts piece with copies back to time zero
        // on the whole output's frame grid (start_time), so a variable-rate source is sampled the same way
        String fpsFilter = "fps=" + plan.frameRate().get() + ":start_time=" + seconds(origin + piece.firstFrame() / fps) + ",";
        String graph = LadderCommand.filterGraph(plan).replaceFirst("^(\\[0:\\d+\\])fps=[^,]+,", "$1" + fpsFilter);
        args.addAll(List.of("-filter_complex", graph));
        List<Rendition> renditions = plan.renditions();
        for (int i = 0; i < renditions.size(); i++) {
            Rendition r = renditions.get(i);
            args.addAll(List.of("-map", "[v" + i + "]", "-fps_mode:v", "passthrough"));
            if (!piece.last()) args.addAll(List.of("-frames:v", Long.toString(piece.endFrame() - piece.firstFrame())));
            args.addAll(VideoEncoderArgs.of(r, plan, origin + piece.startSec()));
            args.addAll(List.of("-map_metadata", "-1", "-map_chapters", "-1", "-an", "-sn", "-dn"));
            List<String> hls = new ArrayList<>(LadderCommand.hlsArgs(plan, dir.resolve(r.name())));
            int output = hls.size() - 1;
            // fragments without an edit list are identical in their init segment across pieces; their
            // decode times restart at zero and are moved onto the source timeline when stitched
            hls.addAll(output, List.of("-start_number", Integer.toString(piece.firstSegment())));
            if (plan.options().segmentFormat() == EncodeOptions.SegmentFormat.FMP4)
                hls.addAll(output, List.of("-hls_segment_options", "use_editlist=0"));
            else hls.addAll(output, tsTimeline());
            args.addAll(hls);
        }
        return args;
    }

    /**
     * The audio of a split job: encoded once, whole, on the same timeline as the pieces. (The
     * pieces do the rest: each rendition's segments, the audio's own playlist is final as written.)
     */
    public static List<String> audioArgs(LadderPlan plan, Path input, Path dir) {
        LadderPlan audioOnly = new LadderPlan(plan.source(), List.of(), plan.frameRate(), plan.audio(), plan.options());
        // with -progress: nobody shows it, but the stall watch reads it
        List<String> args = new ArrayList<>(LadderCommand.args(audioOnly, input, dir, true));
        if (plan.options().segmentFormat() == EncodeOptions.SegmentFormat.TS) args.addAll(args.size() - 1, tsTimeline());
        return args;
    }

    /**
     * MPEG-TS keeps timestamps as they are, but the first piece's B-frame delay makes its first
     * DTS negative and the muxer would shift that piece alone. Every stream of a split TS job is
     * moved one second later instead, which no encoder's delay exceeds.
     */
    private static List<String> tsTimeline() {
        return List.of("-output_ts_offset", "1", "-avoid_negative_ts", "disabled");
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }
}
