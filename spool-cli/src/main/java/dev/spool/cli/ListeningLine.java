package dev.spool.cli;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line a coordinator prints once it serves: "spool coordinator listening on URL (settings)".
 * Whatever starts a coordinator on {@code --port 0} (tests, chaos campaigns, benchmarks) reads the
 * port it was given from this line, so the format is written and read here only.
 */
public final class ListeningLine {
    private static final String PREFIX = "spool coordinator listening on ";
    private static final Pattern LINE = Pattern.compile(Pattern.quote(PREFIX) + "https?://\\S+:(\\d+)");

    private ListeningLine() {}

    static String of(String scheme, String host, int port, String settings) {
        return PREFIX + scheme + "://" + host + ":" + port + " (" + settings + ")";
    }

    /** The port in the first listening line of this text, if it has one. */
    public static OptionalInt port(CharSequence text) {
        Matcher m = LINE.matcher(text);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
