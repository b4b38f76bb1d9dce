package dev.spool.model.ffmpeg;

import dev.spool.model.SpoolError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A caller's ffmpeg command (seed 004's {@code command}) that passed the check: parsed into words
 * (never a shell), every option and value on the allow-list, inputs only the declared
 * {@code input_files} names, exactly one output, the declared {@code output_filename}, as the last
 * word. The coordinator checks at register time; the worker checks again before it runs, since it
 * must not trust what the queue hands it.
 *
 * @param tokens     the words as the caller wrote them, names not yet resolved
 * @param inputNames the declared input names the command reads
 * @param outputName the output file name
 * @param muxer      the muxer the output's extension chooses
 */
public record FfmpegCommand(List<String> tokens, Set<String> inputNames, String outputName, String muxer) {
    private static final Pattern MAP = Pattern.compile("-?(\\d+)(:[vas](:\\d+)?)?\\??");
    private static final Pattern MAP_LABEL = Pattern.compile("\\[([A-Za-z0-9_]+)]");

    public FfmpegCommand {
        tokens = List.copyOf(tokens);
        inputNames = Set.copyOf(inputNames);
    }

    /** Parses and checks {@code command}; throws {@link SpoolError#invalid} naming the offending token and why. */
    public static FfmpegCommand check(String command, Map<String, String> inputFiles, String outputFilename) {
        if (command == null || command.isBlank()) throw SpoolError.invalid("command", "is empty: give ffmpeg's arguments, e.g. -i input.mp4 output.mp4");
        if (inputFiles == null || inputFiles.isEmpty()) throw SpoolError.invalid("input_files", "is empty: declare at least one input name");
        inputFiles.keySet().forEach(name -> AllowList.name("input_files", name));
        AllowList.name("output_filename", outputFilename);
        String muxer = muxer(outputFilename);
        if (inputFiles.containsKey(outputFilename)) {
            throw SpoolError.invalid("output_filename", "'" + outputFilename + "' is also an input name: ffmpeg would overwrite its input");
        }

        List<String> tokens = Tokenizer.split(command);
        Set<String> inputs = new LinkedHashSet<>();
        int inputCount = 0;
        // -filter_complex is global and may come before the -i it reads, so labels are checked against all inputs.
        int totalInputs = (int) tokens.stream().filter("-i"::equals).count();
        boolean pendingFormat = false;
        String output = null;
        List<String[]> maps = new ArrayList<>();
        Set<String> defined = new HashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (output != null) {
                throw SpoolError.invalid("command", "'" + t + "' comes after the output '" + output
                        + "': the output file must be the last word, and there is exactly one");
            }
            if (!t.startsWith("-") || t.equals("-")) {
                if (t.equals(outputFilename)) {
                    if (pendingFormat) throw SpoolError.invalid("command", "'-f' before the output: the output format is chosen by output_filename's extension");
                    output = t;
                    continue;
                }
                if (inputFiles.containsKey(t)) {
                    throw SpoolError.invalid("command", "'" + t + "' is an input name used as an output: read it with -i " + t);
                }
                throw SpoolError.invalid("command", "'" + t + "' is a second output or an unknown word: the only output is output_filename '"
                        + outputFilename + "'");
            }
            String reason = AllowList.REFUSED.get(t);
            if (reason != null) throw SpoolError.invalid("command", "option '" + t + "' is refused: it " + reason);
            if (AllowList.FLAGS.contains(t)) continue;
            boolean known = t.equals("-i") || t.equals("-map") || AllowList.FILTER_OPTIONS.contains(t) || AllowList.takesValue(t);
            if (!known) throw SpoolError.invalid("command", "option '" + t + "' is not on the allow-list of the ffmpeg task API");
            if (i + 1 >= tokens.size()) throw SpoolError.invalid("command", "option '" + t + "' needs a value");
            String value = tokens.get(++i);
            switch (t) {
                case "-i" -> {
                    if (!inputFiles.containsKey(value)) {
                        AllowList.noProtocol("-i", value);
                        throw SpoolError.invalid("command", "'" + value + "' (value of -i) is not a declared input: declare it in input_files ("
                                + String.join(", ", new java.util.TreeSet<>(inputFiles.keySet())) + ")");
                    }
                    inputs.add(value);
                    inputCount++;
                    pendingFormat = false;
                }
                case "-map" -> maps.add(new String[] {value});
                case "-f" -> { AllowList.value(t, value); pendingFormat = true; }
                default -> {
                    if (AllowList.FILTER_OPTIONS.contains(t)) defined.addAll(FilterGraph.check(t, value, totalInputs).defined());
                    else AllowList.value(t, value);
                }
            }
        }
        if (output == null) throw SpoolError.invalid("command", "has no output: end it with output_filename '" + outputFilename + "'");
        for (String[] map : maps) map(map[0], totalInputs, defined);
        return new FfmpegCommand(tokens, inputs, output, muxer);
    }

    /** The argv after {@code ffmpeg}: Spool's own safety options, sandbox paths for the names, the muxer forced. */
    public List<String> arguments(Map<String, Path> inputs, Path output) {
        List<String> argv = new ArrayList<>(List.of("-nostdin", "-y", "-hide_banner"));
        boolean frames = false;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.equals("-y") || t.equals("-n") || t.equals("-hide_banner") || t.equals("-nostdin")) continue;
            if (i == tokens.size() - 1) break; // the output, added below
            if (t.equals("-i")) {
                String name = tokens.get(++i);
                Path path = inputs.get(name);
                if (path == null) throw new IllegalArgumentException("no sandbox path for declared input " + name);
                // Only local files: a media file cannot make ffmpeg open an address or another protocol.
                argv.addAll(List.of("-protocol_whitelist", "file", "-i", path.toString()));
                continue;
            }
            if (t.equals("-frames:v") || t.equals("-vframes")) frames = true;
            argv.add(t);
            if (!AllowList.FLAGS.contains(t)) argv.add(tokens.get(++i));
        }
        // A single image: without a frame limit the image2 muxer would want a %d pattern for the rest.
        if (muxer.equals("image2") && !frames) argv.addAll(List.of("-frames:v", "1"));
        argv.addAll(List.of("-f", muxer, output.toString()));
        return argv;
    }

    private static String muxer(String outputFilename) {
        int dot = outputFilename.lastIndexOf('.');
        String ext = dot < 0 ? "" : outputFilename.substring(dot + 1).toLowerCase(Locale.ROOT);
        String muxer = AllowList.MUXERS.get(ext);
        if (muxer == null) {
            throw SpoolError.invalid("output_filename", "'" + outputFilename + "' has no allowed extension ("
                    + String.join(", ", new java.util.TreeSet<>(AllowList.MUXERS.keySet())) + ")");
        }
        return muxer;
    }

    private static void map(String value, int inputs, Set<String> defined) {
        var m = MAP.matcher(value);
        if (m.matches()) {
            if (Integer.parseInt(m.group(1)) >= inputs) {
                throw SpoolError.invalid("command", "'" + value + "' (value of -map) reads input " + m.group(1)
                        + ", but the command has only " + inputs + " -i input(s)");
            }
            return;
        }
        var label = MAP_LABEL.matcher(value);
        if (label.matches() && defined.contains(label.group(1))) return;
        throw SpoolError.invalid("command", "'" + value + "' (value of -map) is not N, N:v, N:a or a label the filter graph defines");
    }
}
