package dev.spool.model;

import java.util.Locale;

/** A size as people type it: plain bytes, or K, M, G, T (powers of 1024): "512M", "64G". */
public final class ByteSize {
    private ByteSize() {}

    /** The bytes {@code text} says; NumberFormatException when it is not a positive size that fits a long. */
    public static long parse(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        int shift = s.isEmpty() ? 0 : switch (s.charAt(s.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        long n = Long.parseLong(shift == 0 ? s : s.substring(0, s.length() - 1));
        if (n <= 0 || n > (Long.MAX_VALUE >> shift)) throw new NumberFormatException("out of range: " + text);
        return n << shift;
    }
}
