package dev.spool.model.encode;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * How a job is encoded, worked out once at submit from what the client asked and stored with the
 * job: the coordinator and workers read it instead of working it out again. It checks nothing when
 * read back (the request was checked when the plan was made), so a stricter rule added later
 * cannot make a stored job unreadable; {@link #options()} gives the media pipeline its own value.
 *
 * @param renditions   rung names asked for (empty: every rung at or below the source)
 * @param codec        the video codec
 * @param hardware     the hardware encoder (NVENC) asked for instead of the codec's software one, or null
 * @param hlsTime      segment length in whole seconds
 * @param caps         bitrate caps in kb/s by rung name
 * @param audioCodec   the audio codec
 * @param audioKbps    the audio bitrate in kb/s
 * @param videoCapKbps the job-wide video cap in kb/s (0: none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)   // a newer coordinator's additions do not stop an older reader
public record EncodePlan(List<String> renditions, VideoCodec codec, String hardware, Integer hlsTime,
                         EncodeOptions.SegmentFormat segmentFormat, EncodeOptions.OutputFormat format, String masterName,
                         Map<String, Integer> caps, AudioEncoding.Codec audioCodec, Integer audioKbps, Integer videoCapKbps) {
    public EncodePlan {
        renditions = renditions == null ? List.of() : List.copyOf(renditions);
        codec = codec == null ? VideoCodec.H264 : codec;
        hlsTime = hlsTime == null ? EncodeOptions.DEFAULT_HLS_TIME : hlsTime;
        segmentFormat = segmentFormat == null ? EncodeOptions.SegmentFormat.FMP4 : segmentFormat;
        format = format == null ? EncodeOptions.OutputFormat.HLS : format;
        masterName = masterName == null ? EncodeOptions.DEFAULT_MASTER_NAME : masterName;
        caps = caps == null ? Map.of() : Map.copyOf(caps);
        audioCodec = audioCodec == null ? AudioEncoding.Codec.AAC : audioCodec;
        audioKbps = audioKbps == null ? AudioEncoding.DEFAULT_KBPS : audioKbps;
        videoCapKbps = videoCapKbps == null ? 0 : videoCapKbps;
    }

    /** The plan of these options (their preset and threads are the worker's choice, not the job's). */
    public static EncodePlan of(EncodeOptions o) {
        return new EncodePlan(o.renditions(), o.codec(), o.hardware(), o.hlsTime(), o.segmentFormat(), o.format(),
                o.masterName(), o.caps(), o.audio().codec(), o.audio().kbps(), o.videoCapKbps());
    }

    /** The media pipeline's options for this plan; those check what an encoder can do, naming the field. */
    public EncodeOptions options() {
        return new EncodeOptions(renditions, codec, null, hlsTime, segmentFormat, format, masterName, 0, caps, hardware,
                new AudioEncoding(audioCodec, audioKbps), videoCapKbps);
    }

    /** The ffmpeg encoder that runs: the hardware one when asked for, else the codec's software encoder. */
    public String encoder() {
        return hardware != null ? hardware : codec.encoder();
    }

    /** A rung's cap under the job-wide one: the lower of the two. */
    public int capped(int rungKbps) {
        return videoCapKbps > 0 ? Math.min(rungKbps, videoCapKbps) : rungKbps;
    }
}
