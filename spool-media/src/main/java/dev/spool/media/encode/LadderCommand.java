package dev.spool.media.encode;

import dev.spool.media.plan.LadderPlan;
import dev.spool.model.encode.EncodeOptions;
import dev.spool.media.plan.Rendition;

import dev.spool.media.ffmpeg.InputSandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Builds the one ffmpeg invocation that renders a whole ladder: the source is decoded once, split
 * into one scaler per rendition, and every rendition (plus the shared audio) is written by its own
 * muxer. The result is an argument list; no shell ever sees it.
 */
public final class LadderCommand {
    private LadderCommand() {}

    /** Arguments for ffmpeg (without the executable), writing the ladder under {@code dir}. */
    public static List<String> args(LadderPlan plan, Path input, Path dir, boolean withProgress) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-v", "error"));
        if (withProgress) args.addAll(List.of("-progress", "pipe:1", "-nostats"));
        args.addAll(threadLimits(plan.options()));
        args.addAll(InputSandbox.inputOptions());
        args.addAll(List.of("-i", input.toString()));
        List<Rendition> renditions = plan.renditions();
        if (!renditions.isEmpty()) args.addAll(List.of("-filter_complex", filterGraph(plan)));
        EncodeOptions o = plan.options();
        for (int i = 0; i < renditions.size(); i++) {
            Rendition r = renditions.get(i);
            args.addAll(List.of("-map", "[v" + i + "]"));
            if (o.format() == EncodeOptions.OutputFormat.MP4) plan.audio().ifPresent(a -> args.addAll(List.of("-map", "0:" + a.index())));
            args.addAll(List.of("-fps_mode:v", "passthrough"));
            args.addAll(VideoEncoderArgs.of(r, plan));
            args.addAll(List.of("-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn"));
            if (o.format() == EncodeOptions.OutputFormat.MP4) {
                if (plan.audio().isPresent()) args.addAll(o.audio().args());
                else args.add("-an");
                args.addAll(List.of("-movflags", "+faststart", "-f", "mp4", dir.resolve(r.name() + ".mp4").toString()));
            } else {
                args.add("-an");
                args.addAll(hlsArgs(plan, dir.resolve(r.name())));
            }
        }
        boolean separateAudio = o.format() == EncodeOptions.OutputFormat.HLS || renditions.isEmpty();
        if (separateAudio && plan.audio().isPresent()) {
            args.addAll(List.of("-map", "0:" + plan.audio().get().index(), "-vn", "-sn", "-dn",
                    "-map_metadata", "-1", "-map_chapters", "-1"));
            args.addAll(o.audio().args());
            if (o.format() == EncodeOptions.OutputFormat.MP4) {
                args.addAll(List.of("-movflags", "+faststart", "-f", "mp4", dir.resolve("audio.m4a").toString()));
            } else {
                args.addAll(hlsArgs(plan, dir.resolve(LadderPlan.AUDIO_DIR)));
            }
        }
        return args;
    }

    /**
     * --threads N bounds the whole process, not only the encoders: the decoder (an input option)
     * and the filter graph get N threads too, so N=1 really is one core's worth of work.
     */
    static List<String> threadLimits(EncodeOptions options) {
        if (options.threads() <= 0) return List.of();
        String n = Integer.toString(options.threads());
        return List.of("-filter_complex_threads", n, "-threads", n);
    }

    static List<String> hlsArgs(LadderPlan plan, Path renditionDir) {
        EncodeOptions o = plan.options();
        EncodeOptions.SegmentFormat segments = o.segmentFormat();
        List<String> args = new ArrayList<>(List.of("-f", "hls", "-hls_time", Integer.toString(o.hlsTime()),
                "-hls_playlist_type", "vod", "-hls_flags", "independent_segments",
                "-hls_segment_type", segments.muxerValue()));
        if (segments == EncodeOptions.SegmentFormat.FMP4) args.addAll(List.of("-hls_fmp4_init_filename", "init.mp4"));
        args.addAll(List.of("-hls_segment_filename", renditionDir.resolve("seg_%05d." + segments.extension()).toString(),
                renditionDir.resolve(LadderPlan.MEDIA_PLAYLIST).toString()));
        return args;
    }

    /** Decode once, split, scale each branch to its rendition with square pixels. */
    static String filterGraph(LadderPlan plan) {
        List<Rendition> renditions = plan.renditions();
        int videoIndex = plan.source().video().orElseThrow().index();
        // constant frame rate by the fps filter on a grid from time zero (ffmpeg has already moved
        // the input's start there): the grid a split job's pieces use too, so both sample a
        // variable-rate source identically
        StringBuilder graph = new StringBuilder("[0:" + videoIndex + "]fps=" + plan.frameRate().orElseThrow()
                + ":start_time=0,");
        if (plan.source().video().get().hdr()) graph.append(HDR_TO_SDR).append(',');
        StringJoiner branches = new StringJoiner("");
        for (int i = 0; i < renditions.size(); i++) branches.add("[s" + i + "]");
        graph.append("split=").append(renditions.size()).append(branches).append(';');
        for (int i = 0; i < renditions.size(); i++) {
            Rendition r = renditions.get(i);
            graph.append("[s").append(i).append("]scale=").append(r.width()).append(':').append(r.height())
                    .append(":flags=bicubic,setsar=1[v").append(i).append(']');
            if (i + 1 < renditions.size()) graph.append(';');
        }
        return graph.toString();
    }

    /** PQ/HLG to SDR BT.709 with zimg and the Hable curve: browsers would show HDR in H.264 washed out. */
    private static final String HDR_TO_SDR = "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,"
            + "tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p";
}
