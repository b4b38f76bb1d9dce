package dev.spool.cli;

import dev.spool.model.encode.AudioEncoding;
import dev.spool.model.encode.Bitrate;
import dev.spool.model.encode.EncodeOptions;
import dev.spool.model.SpoolError;

/**
 * Seed 000's job knobs as `spool run` and `spool submit` take them (--audio-codec, --audio-bitrate,
 * --video-bitrate), checked before anything starts, with the flags' names in every message; and
 * the combinations of flags that cannot work together, naming both.
 */
final class EncodingFlags {
    private EncodingFlags() {}

    /** The audio asked for; null flags take AAC-LC at the default bitrate. */
    static AudioEncoding audio(String codec, String bitrate) {
        AudioEncoding.Codec c = codec == null ? null : AudioEncoding.Codec.parse("--audio-codec", codec);
        int kbps = bitrate == null ? AudioEncoding.DEFAULT_KBPS
                : AudioEncoding.checkKbps("--audio-bitrate", Bitrate.kbps("--audio-bitrate", bitrate));
        return new AudioEncoding(c, kbps);
    }

    /** The job-wide video cap in kb/s; 0 when the flag is absent. */
    static int videoCap(String bitrate) {
        if (bitrate == null) return 0;
        int kbps = Bitrate.kbps("--video-bitrate", bitrate);
        if (kbps == 0) throw SpoolError.invalid("--video-bitrate", "must be between 50k and 200M, not " + bitrate.strip());
        return EncodeOptions.checkVideoCap("--video-bitrate", kbps);
    }

    /** Refuses flags that would be silently ignored or cannot be written; null means the flag was not given. */
    static void checkCombination(String audioCodec, String segmentFormat, String format) {
        boolean ts = segmentFormat != null && EncodeOptions.SegmentFormat.parse(segmentFormat) == EncodeOptions.SegmentFormat.TS;
        boolean mp4 = format != null && EncodeOptions.OutputFormat.parse(format) == EncodeOptions.OutputFormat.MP4;
        if (ts && mp4)
            throw SpoolError.invalid("--segment-format", "ts applies only to --format hls; --format mp4 writes whole MP4 files "
                    + "(leave out --segment-format)");
        boolean opus = audioCodec != null && AudioEncoding.Codec.parse("--audio-codec", audioCodec) == AudioEncoding.Codec.OPUS;
        if (opus && ts)
            throw SpoolError.invalid("--audio-codec", "opus cannot be carried in MPEG-TS segments (--segment-format ts); "
                    + "use --segment-format fmp4, or --audio-codec aac");
    }
}
