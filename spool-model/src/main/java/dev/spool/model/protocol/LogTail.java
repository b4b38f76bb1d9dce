package dev.spool.model.protocol;

import dev.spool.model.SpoolError;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The last lines of a task's ffmpeg stderr, as a worker sends them with progress and with a failure
 * ({@code log_tail}): at most {@link #MAX_LINES} lines of at most {@link #MAX_CHARS} characters.
 * ffmpeg prints its input and output URLs, which may carry credentials or presigned tokens, so every
 * line is redacted on both sides: {@code ://user:pass@} loses its user info, a URL its query string.
 */
public final class LogTail {
    public static final int MAX_LINES = 20;
    public static final int MAX_CHARS = 300;
    public static final String FIELD = "log_tail";

    private static final Pattern USER_INFO = Pattern.compile("://[^/@\\s'\"]*@");
    private static final Pattern QUERY = Pattern.compile("(://[^\\s'\"?]*)\\?[^\\s'\"]*");
    private static final Pattern SECRET_WORD = Pattern.compile(
            "(?i)\\b(X-Amz-[A-Za-z-]+|Signature|AWSAccessKeyId|token|access_token|password|secret|key)=[^\\s&'\"]+");

    private LogTail() {}

    /** One line as it may be shown: user info and query strings gone, over-long lines cut. */
    public static String redact(String line) {
        String s = USER_INFO.matcher(line).replaceAll("://***@");
        s = QUERY.matcher(s).replaceAll("$1?***");
        s = SECRET_WORD.matcher(s).replaceAll("$1=***");
        return s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) : s;
    }

    /** What a worker sends: the last {@link #MAX_LINES} of {@code lines}, each redacted and cut to fit. */
    public static List<String> of(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size()))
            out.add(redact(line.replace('\r', ' ')));
        return out;
    }

    /** What a coordinator stores: refused with a 400 naming {@code log_tail} beyond the caps; redacted again. */
    public static List<String> checked(List<String> tail) {
        if (tail == null) return null;
        if (tail.size() > MAX_LINES)
            throw SpoolError.invalid(FIELD, "takes at most " + MAX_LINES + " lines (got " + tail.size() + ")");
        List<String> out = new ArrayList<>();
        for (String line : tail) {
            if (line == null) throw SpoolError.invalid(FIELD, "must not hold null lines");
            if (line.length() > MAX_CHARS || line.indexOf('\n') >= 0)
                throw SpoolError.invalid(FIELD, "lines must be single lines of at most " + MAX_CHARS + " characters");
            out.add(redact(line));
        }
        return out;
    }
}
