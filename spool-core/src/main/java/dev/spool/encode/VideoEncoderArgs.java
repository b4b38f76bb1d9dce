package dev.spool.encode;

import dev.spool.ladder.Rendition;

import java.util.ArrayList;
import java.util.List;

/**
 * Encoder arguments for one rendition: capped CRF (quality-targeted, with a VBV ceiling), closed
 * GOPs of exactly one segment, and no scene-cut keyframes, so every rendition has its keyframes on
 * the same frames and players can switch at any segment boundary.
 */
final class VideoEncoderArgs {
    private VideoEncoderArgs() {}

    static List<String> of(Rendition r, LadderPlan plan) {
        EncodeOptions o = plan.options();
        int gop = plan.gopFrames();
        List<String> args = new ArrayList<>(List.of(
                "-c:v", o.codec().encoder(), "-preset", o.preset(),
                "-crf", Integer.toString(o.codec().crf()),
                "-maxrate", r.maxrateKbps() + "k", "-bufsize", r.bufsizeKbps() + "k",
                "-g", Integer.toString(gop),
                // a keyframe on every segment boundary, computed from time so it holds at 29.97 fps too
                "-force_key_frames", "expr:gte(t,n_forced*" + o.hlsTime() + ")",
                "-flags", "+cgop",          // closed GOPs: a segment never references the one before it
                "-pix_fmt", "yuv420p"));
        switch (o.codec()) {
            case H264 -> args.addAll(List.of("-profile:v", "high",
                    "-sc_threshold", "0"));   // scene-cut keyframes would misalign renditions
            case HEVC -> args.addAll(List.of("-profile:v", "main", "-tag:v", "hvc1",   // hvc1: what Apple players require
                    "-x265-params", "scenecut=0:open-gop=0:keyint=" + gop + ":min-keyint=" + gop + ":log-level=error"));
            case AV1 -> args.addAll(List.of("-svtav1-params", "scd=0"));
        }
        if (o.threads() > 0) args.addAll(List.of("-threads", Integer.toString(o.threads())));
        return args;
    }
}
