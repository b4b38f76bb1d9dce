package dev.spool.model.job;

import dev.spool.model.SpoolError;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shapes a job's input and output may take: a path on the worker's disks, {@code s3://},
 * {@code spool://}, and for inputs {@code http(s)://}. Anything else in URL form
 * ({@code gopher://}, {@code file://}, {@code ftp://}) used to pass as a relative path and fail on
 * a worker, or worse, reach a tool that knows the scheme; it is refused at submit instead. A
 * relative path is the worker's (from its first {@code --root}), so one that climbs out with
 * {@code ..} can only name a place no root allows.
 */
final class LocationForms {
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");
    private static final Set<String> INPUT_SCHEMES = Set.of("s3", "spool", "http", "https");
    private static final Set<String> OUTPUT_SCHEMES = Set.of("s3", "spool");

    private LocationForms() {}

    /** Refuses a URL in a scheme Spool does not read from, or a relative path that climbs out with "..". */
    static void checkInput(String value) {
        check("input", value, INPUT_SCHEMES, "a path, s3://bucket/key, spool://key or an http(s):// URL");
    }

    static void checkOutput(String value) {
        check("output", value, OUTPUT_SCHEMES, "a path, s3://bucket/prefix or spool://outputs/NAME");
    }

    private static void check(String field, String value, Set<String> schemes, String forms) {
        Matcher scheme = SCHEME.matcher(value);
        // "C:" alone is a drive, and "name:with:colons" a file name: only "x://" and "file:" are URLs here
        if (scheme.find() && (value.startsWith("//", scheme.end()) || scheme.group(1).equalsIgnoreCase("file"))) {
            String name = scheme.group(1).toLowerCase(Locale.ROOT);
            if (!schemes.contains(name))
                throw SpoolError.invalid(field, "'" + value + "' is a " + name + ": URL, which Spool does not read; give " + forms);
            return;
        }
        Path path = Path.of(value).normalize();
        if (!path.isAbsolute() && !path.toString().isEmpty() && path.getName(0).toString().equals(".."))
            throw SpoolError.invalid(field, "'" + value + "' is a relative path that climbs out with ..; a relative path is "
                    + "taken from the worker's first --root, so give an absolute path (or one inside that root)");
    }
}
