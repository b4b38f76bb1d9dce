package dev.spool.model.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text exposition, keyed by name and labels in name order
 * ({@code spool_x_total{direction="in",store="s3"}}), so a test need not know the order a library
 * writes labels in. Comments and the # TYPE/HELP lines are skipped.
 */
public final class PrometheusSamples {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Map<String, Double> samples = new TreeMap<>();

    private PrometheusSamples() {}

    public static PrometheusSamples parse(String exposition) {
        PrometheusSamples parsed = new PrometheusSamples();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            Matcher m = SAMPLE.matcher(line.strip());
            if (!m.matches()) throw new AssertionError("not a sample line: " + line);
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) labels.put(l.group(1), l.group(2));
            }
            parsed.samples.put(key(m.group(1), labels), Double.parseDouble(m.group(3)));
        }
        return parsed;
    }

    /** The sample's value, or null when the exposition has none; labels as name, value, name, value... */
    public Double get(String name, String... labels) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) wanted.put(labels[i], labels[i + 1]);
        return samples.get(key(name, wanted));
    }

    private static String key(String name, Map<String, String> labels) {
        if (labels.isEmpty()) return name;
        StringBuilder key = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
        key.setLength(key.length() - 1);
        return key.append('}').toString();
    }

    @Override
    public String toString() {
        return String.join("\n", samples.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
    }
}
