package dev.spool.media.plan;

import dev.spool.media.encode.OutputFrameRate;
import dev.spool.model.encode.EncodeOptions;
import dev.spool.media.probe.AudioStream;
import dev.spool.media.probe.MediaInfo;
import dev.spool.model.encode.Ratio;

import java.util.List;
import java.util.Optional;

/**
 * Everything decided before ffmpeg starts: the source, the renditions, the output frame rate and
 * the audio stream carried. An audio-only source gives a plan with no renditions (audio-only HLS).
 */
public record LadderPlan(MediaInfo source, List<Rendition> renditions, Optional<Ratio> frameRate,
                         Optional<AudioStream> audio, EncodeOptions options) {
    public static final String AUDIO_DIR = "audio";
    public static final String MEDIA_PLAYLIST = "index.m3u8";

    public LadderPlan {
        renditions = List.copyOf(renditions);
    }

    public static LadderPlan of(MediaInfo source, EncodeOptions options) {
        List<Rendition> renditions = source.video()
                .map(v -> LadderPlanner.plan(v, options.renditions(), options.codec()))
                .orElse(List.of()).stream()
                // a rung's cap: the one asked for in outputs, else the ladder's; either way no higher than the job's video_bitrate
                .map(r -> new Rendition(r.name(), r.width(), r.height(),
                        options.capped(options.caps().getOrDefault(r.name(), r.maxrateKbps()))))
                .toList();
        return new LadderPlan(source, renditions, source.video().map(OutputFrameRate::of), source.mainAudio(), options);
    }

    /** The plan a split job's pieces are encoded and stitched by (see {@link EncodeOptions#forPieces}). */
    public LadderPlan forPieces() {
        EncodeOptions pieces = options.forPieces();
        return pieces == options ? this : new LadderPlan(source, renditions, frameRate, audio, pieces);
    }

    /** Frames between forced keyframes: one HLS segment. */
    public int gopFrames() {
        return (int) Math.max(1, Math.round(frameRate.orElseThrow().value() * options.hlsTime()));
    }
}
