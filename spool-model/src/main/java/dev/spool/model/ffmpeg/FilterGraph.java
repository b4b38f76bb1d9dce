package dev.spool.model.ffmpeg;

import dev.spool.model.SpoolError;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses a filter graph value (-vf, -af, -filter_complex) as libavfilter's graphparser.c does:
 * chains split by ';', filters by ',', link labels in [...], a filter's arguments end at an
 * unquoted, unescaped '[', ']', ',' or ';' ('...' quotes and '\' escapes, as av_get_token), and
 * the arguments split by ':' into positional values or key=value pairs. Every filter must be on
 * the allow-list, and no argument may name a file: the filters below never open one unless told to.
 */
final class FilterGraph {
    static final Set<String> FILTERS = Set.of("scale", "crop", "pad", "fps", "format", "setsar", "setdar",
            "transpose", "hflip", "vflip", "rotate", "overlay", "drawtext", "loudnorm", "volume", "atrim", "trim",
            "setpts", "asetpts", "concat", "split", "asplit", "aresample", "aformat", "null", "anull", "fade",
            "afade", "thumbnail", "palettegen", "paletteuse", "hstack", "vstack", "amix", "yadif", "deinterlace");

    /** Refused with a reason: each reads a file, an address or commands from outside. */
    static final Set<String> REFUSED = Set.of("movie", "amovie", "sendcmd", "asendcmd", "zmq", "azmq", "subtitles",
            "ass", "frei0r", "frei0r_src", "ladspa", "lv2", "lut3d", "haldclut", "ocr", "dnn_processing", "sr",
            "vidstabdetect", "vidstabtransform", "vmafmotion", "libvmaf", "psnr", "ssim", "signature", "metadata",
            "ametadata", "cue", "coreimage", "opencl", "arnndn", "afir", "firequalizer", "drawbox_file");

    /** Argument keys that name a file in some filter; refused everywhere. */
    static final Set<String> FILE_KEYS = Set.of("textfile", "fontfile", "filename", "file", "f", "stats_file",
            "stats", "vstats", "model", "log", "log_path", "filename_prefix", "commands", "dumpfile");

    /** Filters whose first positional argument is harmless; drawtext's would be its fontfile. */
    private static final Set<String> NO_POSITIONAL = Set.of("drawtext");

    private static final Pattern INPUT_LABEL = Pattern.compile("(\\d+)(:[va](:\\d+)?)?");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]+");

    /** What a parsed graph links to: declared input labels it reads and labels it defines. */
    record Links(Set<String> used, Set<String> defined) {}

    private FilterGraph() {}

    /** Checks {@code graph}, the value of {@code option}, against the allow-list with {@code inputs} declared inputs. */
    static Links check(String option, String graph, int inputs) {
        AllowList.noProtocol(option, graph);
        Set<String> used = new HashSet<>();
        Set<String> defined = new HashSet<>();
        int i = 0;
        int n = graph.length();
        boolean expectFilter = true;
        while (i < n) {
            char c = graph.charAt(i);
            if (Character.isWhitespace(c)) { i++; continue; }
            if (c == '[') {
                int end = graph.indexOf(']', i);
                if (end < 0) throw bad(option, graph, "has an unclosed '['");
                String label = graph.substring(i + 1, end);
                // A label before a filter reads it; one after a filter (before ',', ';' or end) defines it.
                if (expectFilter) used.add(label); else defined.add(label);
                i = end + 1;
                continue;
            }
            if (c == ',' || c == ';') { expectFilter = true; i++; continue; }
            if (!expectFilter) throw bad(option, graph, "has '" + c + "' after a filter where ',', ';' or a label belongs");
            int start = i;
            while (i < n && (Character.isLetterOrDigit(graph.charAt(i)) || graph.charAt(i) == '_' || graph.charAt(i) == '@')) i++;
            String name = graph.substring(start, i);
            int at = name.indexOf('@');
            String filter = at >= 0 ? name.substring(0, at) : name;
            if (filter.isEmpty()) throw bad(option, graph, "has '" + c + "' where a filter name belongs");
            if (REFUSED.contains(filter)) {
                throw SpoolError.invalid("command", "filter '" + filter + "' (in " + option
                        + ") is refused: it reads files, addresses or commands from outside the task");
            }
            if (!FILTERS.contains(filter)) {
                throw SpoolError.invalid("command", "filter '" + filter + "' (in " + option + ") is not on the allow-list ("
                        + String.join(", ", new java.util.TreeSet<>(FILTERS)) + ")");
            }
            if (i < n && graph.charAt(i) == '=') {
                StringBuilder args = new StringBuilder();
                i = token(graph, i + 1, args);
                arguments(option, filter, args.toString());
            }
            expectFilter = false;
        }
        for (String label : used) {
            var m = INPUT_LABEL.matcher(label);
            if (m.matches()) {
                if (Integer.parseInt(m.group(1)) >= inputs) {
                    throw SpoolError.invalid("command", "label '[" + label + "]' (in " + option + ") reads input "
                            + m.group(1) + ", but the command has only " + inputs + " -i input(s)");
                }
            } else if (!LABEL.matcher(label).matches()) {
                throw SpoolError.invalid("command", "label '[" + label + "]' (in " + option + ") is not N:v, N:a or a plain name");
            } else if (!defined.contains(label)) {
                throw SpoolError.invalid("command", "label '[" + label + "]' (in " + option
                        + ") is read but no filter in the graph defines it");
            }
        }
        return new Links(used, defined);
    }

    /** av_get_token: reads up to an unquoted '[', ']', ',' or ';', removing one level of quotes and escapes. */
    private static int token(String s, int i, StringBuilder out) {
        int n = s.length();
        while (i < n && "[],;".indexOf(s.charAt(i)) < 0) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < n) {
                // Kept escaped so the second level (the ':' split) still sees it as escaped.
                out.append(c).append(s.charAt(i + 1));
                i += 2;
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) end = n;
                for (char q : s.substring(i + 1, end).toCharArray()) {
                    if (q == ':' || q == '\\' || q == '\'') out.append('\\');
                    out.append(q);
                }
                i = Math.min(end + 1, n);
            } else {
                out.append(c);
                i++;
            }
        }
        return i;
    }

    /** Splits arguments at unescaped ':' and checks each key; a value's text is free (it is not a file name). */
    private static void arguments(String option, String filter, String args) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '\\' && i + 1 < args.length()) { part.append(args.charAt(++i)); continue; }
            if (c == ':') { parts.add(part.toString()); part.setLength(0); continue; }
            part.append(c);
        }
        parts.add(part.toString());
        for (String p : parts) {
            int eq = p.indexOf('=');
            if (eq < 0) {
                if (NO_POSITIONAL.contains(filter) && !p.isEmpty()) {
                    throw SpoolError.invalid("command", "'" + p + "' (an argument of " + filter + " in " + option
                            + ") must be written key=value: " + filter + "'s first positional option is a file");
                }
                continue;
            }
            String key = p.substring(0, eq).trim();
            if (FILE_KEYS.contains(key)) {
                throw SpoolError.invalid("command", "'" + key + "=' (an option of " + filter + " in " + option
                        + ") names a file: filters may not read or write files");
            }
        }
    }

    private static SpoolError bad(String option, String graph, String why) {
        return SpoolError.invalid("command", "'" + graph + "' (value of " + option + ") " + why);
    }
}
