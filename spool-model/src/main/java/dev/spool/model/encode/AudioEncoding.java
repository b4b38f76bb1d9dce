package dev.spool.model.encode;

import dev.spool.model.SpoolError;

import java.util.List;
import java.util.Locale;

/**
 * The audio every output carries: AAC-LC (any container) or Opus (fMP4 segments and MP4 files;
 * MPEG-TS has no standard mapping for it in HLS), stereo at 48 kHz, at a chosen bitrate.
 */
public record AudioEncoding(Codec codec, int kbps) {
    public static final int DEFAULT_KBPS = 128;
    public static final int MIN_KBPS = 32;
    public static final int MAX_KBPS = 320;

    public AudioEncoding {
        codec = codec == null ? Codec.AAC : codec;
        if (kbps == 0) kbps = DEFAULT_KBPS;
        checkKbps("audio_bitrate", kbps);
    }

    public static AudioEncoding defaults() {
        return new AudioEncoding(Codec.AAC, DEFAULT_KBPS);
    }

    /** Refuses a bitrate outside what both encoders do well, naming the field or flag ({@code name}). */
    public static int checkKbps(String name, int kbps) {
        if (kbps < MIN_KBPS || kbps > MAX_KBPS)
            throw SpoolError.invalid(name, "must be between " + MIN_KBPS + "k and " + MAX_KBPS + "k, not " + kbps + "k");
        return kbps;
    }

    /** ffmpeg's audio encoder arguments; surround sources are downmixed to stereo with ffmpeg's standard matrix. */
    public List<String> args() {
        List<String> encoder = switch (codec) {
            case AAC -> List.of("-c:a", "aac", "-profile:a", "aac_low");
            // libopus: the reference encoder (ffmpeg's native one is experimental). Constrained VBR: plain
            // VBR strays from the target by content (a tone took 115 kb/s of 96k, noise 64), the master's
            // bandwidth would not be what was asked
            case OPUS -> List.of("-c:a", "libopus", "-vbr", "constrained");
        };
        return java.util.stream.Stream.concat(encoder.stream(), java.util.stream.Stream.of("-b:a", kbps + "k",
                "-ac", "2", "-ar", Integer.toString(EncodeOptions.AUDIO_RATE))).toList();
    }

    /** The audio codecs Spool encodes to. */
    public enum Codec {
        AAC, OPUS;

        /** {@code name}: the field or flag the text came from, for the message. */
        public static Codec parse(String name, String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "aac", "aac-lc", "aac_low" -> AAC;
                case "opus", "libopus" -> OPUS;
                default -> throw SpoolError.invalid(name, "must be aac or opus, not '" + text.strip() + "'");
            };
        }

        public String id() { return name().toLowerCase(Locale.ROOT); }
    }
}
