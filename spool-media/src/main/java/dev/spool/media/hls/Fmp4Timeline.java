package dev.spool.media.hls;

import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Moves fMP4 fragments on the timeline by rewriting their decode times (the tfdt of every
 * track fragment), the one field that differs between a piece encoded alone and the same frames
 * in a whole encode. Nothing else is touched: no re-encode, no re-mux.
 */
public final class Fmp4Timeline {
    private Fmp4Timeline() {}

    /** The media timescale of the first track (moov/trak/mdia/mdhd), in ticks per second. */
    public static long timescale(Path init) {
        ByteBuffer b = read(init);
        int mdhd = find(b, 0, b.limit(), "moov", "trak", "mdia", "mdhd");
        if (mdhd < 0) throw SpoolError.verification(init + " has no mdhd box");
        int version = b.get(mdhd + 8) & 0xff;
        return Integer.toUnsignedLong(b.getInt(mdhd + (version == 1 ? 28 : 20)));
    }

    /** Adds {@code ticks} to the decode time of every fragment in the segment, in place. */
    public static void shift(Path segment, long ticks) {
        if (ticks == 0) return;
        ByteBuffer b = read(segment);
        int patched = 0;
        for (int at = 0; at + 8 <= b.limit(); at += boxSize(b, at)) {
            if (!type(b, at).equals("moof")) continue;
            int end = at + boxSize(b, at);
            for (int traf = at + 8; traf + 8 <= end; traf += boxSize(b, traf)) {
                if (!type(b, traf).equals("traf")) continue;
                int tfdt = find(b, traf + 8, traf + boxSize(b, traf), "tfdt");
                if (tfdt < 0) throw SpoolError.verification(segment + " has a track fragment without tfdt");
                if ((b.get(tfdt + 8) & 0xff) == 1) {
                    b.putLong(tfdt + 12, b.getLong(tfdt + 12) + ticks);
                } else {
                    long value = Integer.toUnsignedLong(b.getInt(tfdt + 12)) + ticks;
                    if (value > 0xffffffffL) throw SpoolError.verification(segment + ": decode time overflows a 32-bit tfdt");
                    b.putInt(tfdt + 12, (int) value);
                }
                patched++;
            }
        }
        if (patched == 0) throw SpoolError.verification(segment + " has no movie fragment");
        try {
            Files.write(segment, b.array());
        } catch (IOException e) {
            throw SpoolError.output(segment.toString(), "cannot be rewritten: " + e.getMessage());
        }
    }

    /** Offset of the box at the end of the path of box types, searching [from, to), or -1. */
    private static int find(ByteBuffer b, int from, int to, String... path) {
        for (int at = from; at + 8 <= to; at += boxSize(b, at)) {
            if (!type(b, at).equals(path[0])) continue;
            if (path.length == 1) return at;
            return find(b, at + 8, at + boxSize(b, at), java.util.Arrays.copyOfRange(path, 1, path.length));
        }
        return -1;
    }

    private static int boxSize(ByteBuffer b, int at) {
        long size = Integer.toUnsignedLong(b.getInt(at));
        if (size == 1) size = b.getLong(at + 8);
        if (size == 0) size = b.limit() - at;
        if (size < 8 || at + size > b.limit()) throw SpoolError.verification("malformed MP4 box at offset " + at);
        return (int) size;
    }

    private static String type(ByteBuffer b, int at) {
        byte[] t = new byte[4];
        b.get(at + 4, t);
        return new String(t, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static ByteBuffer read(Path file) {
        try {
            return ByteBuffer.wrap(Files.readAllBytes(file));
        } catch (IOException e) {
            throw SpoolError.verification(file + " cannot be read: " + e.getMessage());
        }
    }
}
