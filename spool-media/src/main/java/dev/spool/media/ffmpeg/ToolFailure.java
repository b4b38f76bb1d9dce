package dev.spool.media.ffmpeg;

import dev.spool.model.SpoolError;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns what ffmpeg or ffprobe printed on failure into one line a person can act on. */
public final class ToolFailure {
    private static final Pattern MISSING_LIBRARY =
            Pattern.compile("error while loading shared libraries: (\\S+?): cannot open shared object file");

    /** Debian packages for the system libraries the bundled build expects the machine to have. */
    private static final Map<String, String> DEBIAN_PACKAGES = Map.of(
            "libpulse.so.0", "libpulse0",
            "libxcb.so.1", "libxcb1",
            "libX11.so.6", "libx11-6",
            "libasound.so.2", "libasound2");

    private ToolFailure() {}

    /** The shared library the dynamic loader could not find, if that is why the tool did not start. */
    public static Optional<String> missingLibrary(String stderr) {
        Matcher m = MISSING_LIBRARY.matcher(stderr);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** An ENVIRONMENT error naming the missing library and the command that installs it. */
    public static SpoolError missingLibraryError(String tool, String library) {
        String pkg = DEBIAN_PACKAGES.get(library);
        String fix = pkg != null
                ? "install it with: sudo apt-get install -y " + pkg
                : "find the package that provides it with: apt-file search " + library;
        return SpoolError.environment(tool + " cannot start: the system library " + library
                + " is missing; " + fix + " (or choose another ffmpeg with --ffmpeg PATH or SPOOL_FFMPEG)");
    }

    /** The last meaningful line of a tool's stderr, for error messages. */
    public static String lastLine(List<String> stderr) {
        for (int i = stderr.size() - 1; i >= 0; i--) {
            String line = stderr.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("Conversion failed") && !line.startsWith("Exiting normally"))
                return line;
        }
        return "(no message)";
    }
}
