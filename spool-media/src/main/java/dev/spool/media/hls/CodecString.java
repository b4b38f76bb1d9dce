package dev.spool.media.hls;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 6381 codec strings for the CODECS attribute, read from a stream's own decoder configuration
 * (avcC/hvcC/av1C in MP4, or the SPS in an MPEG-TS stream), never from what was asked of the encoder.
 */
public final class CodecString {
    private CodecString() {}

    /** The codec string of a video stream, from ffprobe's codec name and extradata. */
    public static Optional<String> video(String codecName, byte[] extradata) {
        if (extradata == null || extradata.length < 4) return Optional.empty();
        return switch (codecName) {
            case "h264" -> h264(extradata);
            case "hevc" -> hevc(extradata);
            case "av1" -> av1(extradata);
            default -> Optional.empty();
        };
    }

    /** mp4a.40.N from ffprobe's AAC profile name; "opus" for Opus in MP4 (its sample entry's registered codec string). */
    public static Optional<String> audio(String codecName, String profile) {
        if ("opus".equals(codecName)) return Optional.of("opus");
        if (!"aac".equals(codecName)) return codecName.equals("mp3") ? Optional.of("mp4a.40.34") : Optional.empty();
        return switch (profile == null ? "" : profile) {
            case "HE-AAC" -> Optional.of("mp4a.40.5");
            case "HE-AACv2" -> Optional.of("mp4a.40.29");
            default -> Optional.of("mp4a.40.2");
        };
    }

    static Optional<String> h264(byte[] x) {
        int at;
        if (x[0] == 1) at = 1;   // avcC: version, profile, constraints, level
        else {
            int sps = findNal(x, b -> (b & 0x1f) == 7);
            if (sps < 0 || sps + 3 >= x.length) return Optional.empty();
            at = sps + 1;
        }
        return Optional.of(String.format("avc1.%02X%02X%02X", x[at] & 0xff, x[at + 1] & 0xff, x[at + 2] & 0xff));
    }

    static Optional<String> hevc(byte[] x) {
        byte[] ptl;   // general_profile_space..general_level_idc: 12 bytes
        if (x[0] == 1 && x.length >= 13) {
            ptl = java.util.Arrays.copyOfRange(x, 1, 13);
        } else {
            int sps = findNal(x, b -> ((b >> 1) & 0x3f) == 33);
            if (sps < 0) return Optional.empty();
            byte[] rbsp = unescape(x, sps + 2);
            if (rbsp.length < 13) return Optional.empty();
            ptl = java.util.Arrays.copyOfRange(rbsp, 1, 13);   // skip vps id / max_sub_layers / nesting
        }
        int space = (ptl[0] >> 6) & 3;
        boolean highTier = (ptl[0] & 0x20) != 0;
        int profile = ptl[0] & 0x1f;
        long compat = ((ptl[1] & 0xffL) << 24) | ((ptl[2] & 0xffL) << 16) | ((ptl[3] & 0xffL) << 8) | (ptl[4] & 0xffL);
        StringBuilder s = new StringBuilder("hvc1.");
        if (space > 0) s.append((char) ('A' + space - 1));
        s.append(profile).append('.').append(Long.toHexString(Integer.reverse((int) compat) & 0xffffffffL).toUpperCase(Locale.ROOT))
                .append('.').append(highTier ? 'H' : 'L').append(ptl[11] & 0xff);
        int last = 10;
        while (last >= 5 && ptl[last] == 0) last--;   // trailing zero constraint bytes are omitted
        for (int i = 5; i <= last; i++) s.append('.').append(String.format("%02X", ptl[i] & 0xff));
        return Optional.of(s.toString());
    }

    static Optional<String> av1(byte[] x) {
        if ((x[0] & 0xff) != 0x81) return Optional.empty();   // av1C marker + version 1
        int profile = (x[1] >> 5) & 7;
        int level = x[1] & 0x1f;
        boolean highTier = (x[2] & 0x80) != 0;
        boolean highBitDepth = (x[2] & 0x40) != 0;
        boolean twelveBit = (x[2] & 0x20) != 0;
        int depth = twelveBit ? 12 : highBitDepth ? 10 : 8;
        return Optional.of(String.format("av01.%d.%02d%c.%02d", profile, level, highTier ? 'H' : 'M', depth));
    }

    /** Offset of the first byte of the first NAL unit (after a start code) whose header matches. */
    private static int findNal(byte[] x, java.util.function.IntPredicate header) {
        for (int i = 0; i + 3 < x.length; i++) {
            if (x[i] == 0 && x[i + 1] == 0 && x[i + 2] == 1 && header.test(x[i + 3] & 0xff)) return i + 3;
        }
        return -1;
    }

    /** Removes emulation-prevention bytes (00 00 03) from a NAL payload. */
    private static byte[] unescape(byte[] x, int from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int zeros = 0;
        for (int i = from; i < x.length && out.size() < 32; i++) {
            int b = x[i] & 0xff;
            if (zeros >= 2 && b == 3) { zeros = 0; continue; }
            zeros = b == 0 ? zeros + 1 : 0;
            out.write(b);
        }
        return out.toByteArray();
    }

    /** Decodes ffprobe's hexdump of extradata ("00000000: 0164 001f ffe1 ...  .d..."). */
    public static byte[] fromHexdump(String dump) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : dump.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon < 0) continue;
            String rest = line.substring(colon + 2);
            int ascii = rest.indexOf("  ");
            String hex = (ascii >= 0 ? rest.substring(0, ascii) : rest).replace(" ", "");
            out.writeBytes(HexFormat.of().parseHex(hex.length() % 2 == 0 ? hex : hex.substring(0, hex.length() - 1)));
        }
        return out.toByteArray();
    }
}
