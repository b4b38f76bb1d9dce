package dev.spool.model.encode;

import dev.spool.model.SpoolError;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a ladder is encoded and packaged. Values check themselves and name the option at fault.
 *
 * @param renditions     rung names to keep (empty: every rung at or below the source)
 * @param preset         encoder preset; null takes the codec's default
 * @param hlsTime        target HLS segment length in whole seconds
 * @param masterName     file name of the master playlist (seed 001's master_playlist_name)
 * @param threads        ffmpeg threads per encoder; 0 lets ffmpeg choose
 * @param caps           bitrate caps in kb/s by rung name, replacing the ladder's defaults
 * @param hardware       a hardware encoder to use instead of the codec's software one (NVENC), or null
 * @param audio          the audio codec and bitrate (null: AAC-LC at {@value AudioEncoding#DEFAULT_KBPS} kb/s)
 * @param videoCapKbps   a job-wide ceiling in kb/s on every rung's cap, explicit ones included (0: none)
 */
public record EncodeOptions(List<String> renditions, VideoCodec codec, String preset, int hlsTime,
                            SegmentFormat segmentFormat, OutputFormat format, String masterName, int threads,
                            Map<String, Integer> caps, String hardware, AudioEncoding audio, int videoCapKbps) {
    /** NVENC's middle preset: a balance of speed and quality, like veryfast is for x264. */
    public static final String NVENC_DEFAULT_PRESET = "p4";

    public static final int DEFAULT_HLS_TIME = 6;
    public static final int MAX_HLS_TIME = 60;
    public static final String DEFAULT_MASTER_NAME = "index.m3u8";
    public static final int MIN_VIDEO_KBPS = 50;
    public static final int MAX_VIDEO_KBPS = 200_000;
    public static final int AUDIO_RATE = 48_000;

    public EncodeOptions {
        renditions = renditions == null ? List.of() : List.copyOf(renditions);
        codec = codec == null ? VideoCodec.H264 : codec;
        if (hardware != null && !hardware.equals(codec.nvenc()))
            throw SpoolError.invalid("codec", "hardware encoder '" + hardware + "' does not encode " + codec.id()
                    + "; of the hardware encoders Spool drives NVENC (h264_nvenc, hevc_nvenc, av1_nvenc)");
        String defaultPreset = hardware != null ? NVENC_DEFAULT_PRESET : codec.defaultPreset();
        preset = preset == null || preset.isBlank() ? defaultPreset : preset.strip();
        if (!preset.matches("[A-Za-z0-9_-]{1,20}")) throw SpoolError.invalid("preset", "is not a preset name: '" + preset + "'");
        if (hlsTime < 1 || hlsTime > MAX_HLS_TIME)
            throw SpoolError.invalid("hls_time", "must be between 1 and " + MAX_HLS_TIME + " seconds, not " + hlsTime);
        segmentFormat = segmentFormat == null ? SegmentFormat.FMP4 : segmentFormat;
        format = format == null ? OutputFormat.HLS : format;
        masterName = masterName == null || masterName.isBlank() ? DEFAULT_MASTER_NAME : masterName.strip();
        if (!masterName.matches("[A-Za-z0-9._-]{1,100}") || masterName.startsWith(".") || !masterName.endsWith(".m3u8"))
            throw SpoolError.invalid("master_playlist_name", "must be a plain file name ending in .m3u8, not '" + masterName + "'");
        if (codec == VideoCodec.AV1 && segmentFormat == SegmentFormat.TS && format == OutputFormat.HLS)
            throw SpoolError.invalid("segment_format", "ts cannot carry AV1; use fmp4");
        if (threads < 0 || threads > 256) throw SpoolError.invalid("threads", "must be between 0 and 256, not " + threads);
        caps = caps == null ? Map.of() : Map.copyOf(caps);
        caps.forEach((rung, kbps) -> {
            if (kbps < MIN_VIDEO_KBPS || kbps > MAX_VIDEO_KBPS) throw SpoolError.invalid("bitrate", "of " + rung + " must be between 50k and 200M");
        });
        // an MP4 output is whole files: a segment container asked for would be silently ignored
        if (format == OutputFormat.MP4 && segmentFormat == SegmentFormat.TS)
            throw SpoolError.invalid("segment_format", "ts applies only to HLS output (format hls); format mp4 writes whole MP4 files");
        audio = audio == null ? AudioEncoding.defaults() : audio;
        if (audio.codec() == AudioEncoding.Codec.OPUS && segmentFormat == SegmentFormat.TS && format == OutputFormat.HLS)
            throw SpoolError.invalid("audio_codec", "opus cannot be carried in MPEG-TS segments (segment_format ts); use fmp4 segments or aac");
        checkVideoCap("video_bitrate", videoCapKbps);
    }

    public EncodeOptions(List<String> renditions, VideoCodec codec, String preset, int hlsTime,
                         SegmentFormat segmentFormat, OutputFormat format, String masterName, int threads) {
        this(renditions, codec, preset, hlsTime, segmentFormat, format, masterName, threads, Map.of(), null);
    }

    public EncodeOptions(List<String> renditions, VideoCodec codec, String preset, int hlsTime,
                         SegmentFormat segmentFormat, OutputFormat format, String masterName, int threads,
                         Map<String, Integer> caps, String hardware) {
        this(renditions, codec, preset, hlsTime, segmentFormat, format, masterName, threads, caps, hardware, null, 0);
    }

    /** Refuses a job-wide video cap outside 50k-200M (0: no cap), naming the field or flag ({@code name}). */
    public static int checkVideoCap(String name, int kbps) {
        if (kbps != 0 && (kbps < MIN_VIDEO_KBPS || kbps > MAX_VIDEO_KBPS))
            throw SpoolError.invalid(name, "must be between 50k and 200M, not " + kbps + "k");
        return kbps;
    }

    /** A rung's cap under the job-wide one: the lower of the two. */
    public int capped(int rungKbps) {
        return videoCapKbps > 0 ? Math.min(rungKbps, videoCapKbps) : rungKbps;
    }

    /**
     * How a split job's pieces are encoded: as fMP4 HLS, whatever the output. An MP4 job's pieces
     * are stitched like an HLS ladder's, then copied (no re-encode) into one MP4 file per rung.
     */
    public EncodeOptions forPieces() {
        if (format == OutputFormat.HLS) return this;
        return new EncodeOptions(renditions, codec, preset, hlsTime, SegmentFormat.FMP4, OutputFormat.HLS, masterName, threads,
                caps, hardware, audio, videoCapKbps);
    }

    /** The same encoding with each ffmpeg limited to this many threads (a worker running several pieces at once). */
    public EncodeOptions withThreads(int n) {
        return new EncodeOptions(renditions, codec, preset, hlsTime, segmentFormat, format, masterName, n, caps, hardware,
                audio, videoCapKbps);
    }

    /** The ffmpeg encoder that runs: the hardware one when chosen, else the codec's software encoder. */
    public String encoder() {
        return hardware != null ? hardware : codec.encoder();
    }

    public static EncodeOptions defaults() {
        return new EncodeOptions(List.of(), VideoCodec.H264, null, DEFAULT_HLS_TIME, SegmentFormat.FMP4,
                OutputFormat.HLS, DEFAULT_MASTER_NAME, 0);
    }

    /** HLS media segment container. */
    public enum SegmentFormat {
        FMP4("fmp4", "m4s"), TS("mpegts", "ts");

        private final String muxerValue;
        private final String extension;

        SegmentFormat(String muxerValue, String extension) {
            this.muxerValue = muxerValue;
            this.extension = extension;
        }

        public static SegmentFormat parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "fmp4", "cmaf", "mp4" -> FMP4;
                case "ts", "mpegts" -> TS;
                default -> throw SpoolError.invalid("segment_format", "must be fmp4 or ts, not '" + text.strip() + "'");
            };
        }

        public String muxerValue() { return muxerValue; }
        public String extension() { return extension; }
    }

    /** What a job produces: an HLS ladder, or one faststart MP4 per rung. */
    public enum OutputFormat {
        HLS, MP4;

        public static OutputFormat parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "hls" -> HLS;
                case "mp4" -> MP4;
                default -> throw SpoolError.invalid("format", "must be hls or mp4, not '" + text.strip() + "'");
            };
        }
    }
}
