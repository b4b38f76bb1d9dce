package dev.spool.media.encode;

import dev.spool.media.plan.LadderPlan;
import dev.spool.model.encode.EncodeOptions;
import dev.spool.media.plan.Rendition;

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
        return of(r, plan, 0);
    }

    /** {@code fromSec}: where this encode starts on the source timeline (a piece of a split job). */
    static List<String> of(Rendition r, LadderPlan plan, double fromSec) {
        EncodeOptions o = plan.options();
        int gop = plan.gopFrames();
        if (o.hardware() != null) return nvenc(r, plan, gop, fromSec);
        List<String> args = new ArrayList<>(List.of(
                "-c:v", o.encoder(), "-preset", o.preset(),
                "-crf", Integer.toString(o.codec().crf()),
                "-maxrate", r.maxrateKbps() + "k", "-bufsize", r.bufsizeKbps() + "k",
                "-g", Integer.toString(gop),
                // a keyframe on every segment boundary, computed from time so it holds at 29.97 fps too
                "-force_key_frames", keyframes(o.hlsTime(), fromSec),
                "-flags", "+cgop",          // closed GOPs: a segment never references the one before it
                "-pix_fmt", "yuv420p"));
        switch (o.codec()) {
            case H264 -> args.addAll(List.of("-profile:v", "high",
                    "-sc_threshold", "0"));   // scene-cut keyframes would misalign renditions
            case HEVC -> args.addAll(List.of("-profile:v", "main", "-tag:v", "hvc1",   // hvc1: what Apple players require
                    "-x265-params", "scenecut=0:open-gop=0:keyint=" + gop + ":min-keyint=" + gop + ":log-level=error"));
            case AV1 -> args.addAll(List.of("-svtav1-params", "scd=0"));
        }
        args.addAll(initialBuffer(r, o));
        if (o.threads() > 0) args.addAll(List.of("-threads", Integer.toString(o.threads())));
        return args;
    }

    /**
     * NVENC's capped constant quality: VBR with a CQ target under the same ceiling, IDR frames on
     * the forced boundaries (-forced-idr) and no scene-cut keyframes (-no-scenecut).
     */
    /**
     * Under a job's video_bitrate the VBV buffer starts a quarter full (x264's default is 0.9): the
     * bits of an initially full buffer are spent in the first seconds and lift a short video's
     * average above the cap asked for (a 12 s clip capped at 500k averaged 534k).
     */
    static List<String> initialBuffer(Rendition r, EncodeOptions o) {
        if (o.videoCapKbps() <= 0) return List.of();
        return List.of("-rc_init_occupancy", Long.toString(r.bufsizeKbps() * 1000L / 4));   // bits
    }

    /** n_forced restarts in every process, so a piece counts its boundaries from its own start. */
    static String keyframes(int hlsTime, double fromSec) {
        String start = fromSec == 0 ? "" : String.format(java.util.Locale.ROOT, "%.6f+", fromSec);
        return "expr:gte(t," + start + "n_forced*" + hlsTime + ")";
    }

    private static List<String> nvenc(Rendition r, LadderPlan plan, int gop, double fromSec) {
        EncodeOptions o = plan.options();
        List<String> args = new ArrayList<>(List.of(
                "-c:v", o.hardware(), "-preset", o.preset(), "-rc", "vbr", "-cq", Integer.toString(o.codec().crf()),
                "-b:v", "0", "-maxrate", r.maxrateKbps() + "k", "-bufsize", r.bufsizeKbps() + "k",
                "-g", Integer.toString(gop), "-forced-idr", "1", "-no-scenecut", "1",
                "-force_key_frames", keyframes(o.hlsTime(), fromSec), "-pix_fmt", "yuv420p"));
        switch (o.codec()) {
            case H264 -> args.addAll(List.of("-profile:v", "high"));
            case HEVC -> args.addAll(List.of("-profile:v", "main", "-tag:v", "hvc1"));
            case AV1 -> { }
        }
        args.addAll(initialBuffer(r, o));
        return args;
    }
}
