package dev.spool.model.encode;

/** A positive rational number as ffprobe prints it ("30000/1001", "16:9"); zero when unknown. */
public record Ratio(long num, long den) {
    public static final Ratio ONE = new Ratio(1, 1);
    public static final Ratio UNKNOWN = new Ratio(0, 1);

    public Ratio {
        if (den == 0) { num = 0; den = 1; }
        if (den < 0) { num = -num; den = -den; }
        long g = gcd(Math.abs(num), den);
        if (g > 1) { num /= g; den /= g; }
    }

    /** Parses "a/b" or "a:b"; anything else (including "0/0" and "N/A") is UNKNOWN. */
    public static Ratio parse(String text) {
        if (text == null) return UNKNOWN;
        String[] parts = text.split("[/:]");
        try {
            if (parts.length == 1) return new Ratio(Long.parseLong(parts[0].strip()), 1);
            if (parts.length == 2) return new Ratio(Long.parseLong(parts[0].strip()), Long.parseLong(parts[1].strip()));
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
        return UNKNOWN;
    }

    public boolean known() { return num > 0; }

    public double value() { return (double) num / den; }

    @Override public String toString() { return num + "/" + den; }

    private static long gcd(long a, long b) {
        while (b != 0) { long t = a % b; a = b; b = t; }
        return a == 0 ? 1 : a;
    }
}
