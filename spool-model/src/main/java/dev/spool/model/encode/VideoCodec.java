package dev.spool.model.encode;

import dev.spool.model.SpoolError;

import java.util.Locale;

/**
 * The codecs a ladder can use, each with its software encoder, the CRF that targets roughly the
 * same quality, and how much of H.264's bitrate it needs for it.
 */
public enum VideoCodec {
    H264("libx264", 23, 1.0, "veryfast"),
    HEVC("libx265", 26, 0.7, "veryfast"),
    AV1("libsvtav1", 32, 0.55, "8");

    private final String encoder;
    private final int crf;
    private final double bitrateFactor;
    private final String defaultPreset;

    VideoCodec(String encoder, int crf, double bitrateFactor, String defaultPreset) {
        this.encoder = encoder;
        this.crf = crf;
        this.bitrateFactor = bitrateFactor;
        this.defaultPreset = defaultPreset;
    }

    /** NVIDIA's encoder for this codec (h264_nvenc, hevc_nvenc, av1_nvenc). */
    public String nvenc() { return id() + "_nvenc"; }

    /** The codec an encoder name belongs to, accepting NVENC names ("hevc_nvenc" is HEVC). */
    public static VideoCodec ofEncoder(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (VideoCodec c : values()) if (t.equals(c.nvenc())) return c;
        return parse(t);
    }

    public static boolean isNvenc(String text) {
        return text != null && text.strip().toLowerCase(Locale.ROOT).endsWith("_nvenc");
    }

    public static VideoCodec parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "h264", "avc", "libx264" -> H264;
            case "hevc", "h265", "libx265" -> HEVC;
            case "av1", "libsvtav1" -> AV1;
            default -> throw SpoolError.invalid("codec", "must be h264, hevc or av1 (or libx264, libx265, libsvtav1, "
                    + "h264_nvenc, hevc_nvenc, av1_nvenc), not '" + text.strip() + "'");
        };
    }

    public String encoder() { return encoder; }
    public int crf() { return crf; }
    public double bitrateFactor() { return bitrateFactor; }
    public String defaultPreset() { return defaultPreset; }
    public String id() { return name().toLowerCase(Locale.ROOT); }
}
