package dev.spool.cli.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code --config} file as keys and the line each was written on: nested mappings become dotted
 * keys ({@code retry_policy.max_retries}), a sequence of scalars one key with several values. Read
 * token by token rather than into a tree because the tree forgets where each key stood, and a bad
 * file must be answered with its line.
 */
public record ConfigFile(Path path, Map<String, Setting> settings) {
    /** One key's values as written, and where. */
    public record Setting(String key, List<String> values, int line) {
        public Setting {
            values = List.copyOf(values);
        }
    }

    public ConfigFile {
        settings = Map.copyOf(settings);
    }

    public static ConfigFile read(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw SpoolError.invalid("--config", "'" + path + "' does not exist");
        } catch (IOException e) {
            throw SpoolError.invalid("--config", "cannot read '" + path + "': " + e.getMessage());
        }
        Map<String, Setting> settings = new LinkedHashMap<>();
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) return new ConfigFile(path, settings);   // an empty file sets nothing
            if (first != JsonToken.START_OBJECT)
                throw wrong(path, parser.currentTokenLocation(), "the file must be a mapping of keys to values (key: value)");
            readMapping(path, parser, "", settings);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            // the YAML parser's own words, less its lines that point into its reader
            String why = String.join("; ", e.getOriginalMessage().lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("in '") && !l.startsWith("^")).toList());
            throw SpoolError.invalid("--config", path + (at == null ? "" : " line " + at.getLineNr()) + ": " + (why.isEmpty() ? "not valid YAML" : why));
        } catch (IOException e) {
            throw SpoolError.invalid("--config", "cannot read '" + path + "': " + e.getMessage());
        }
        return new ConfigFile(path, settings);
    }

    private static void readMapping(Path path, JsonParser parser, String prefix, Map<String, Setting> into) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = prefix + parser.currentName();
            int line = parser.currentTokenLocation().getLineNr();
            if (into.containsKey(key)) throw wrong(path, parser.currentTokenLocation(), "'" + key + "' is set twice (first on line " + into.get(key).line() + ")");
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT) {
                readMapping(path, parser, key + ".", into);
            } else if (value == JsonToken.START_ARRAY) {
                List<String> values = new ArrayList<>();
                for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                    if (!item.isScalarValue() || item == JsonToken.VALUE_NULL)
                        throw wrong(path, parser.currentTokenLocation(), "'" + key + "' must be a list of plain values");
                    values.add(parser.getText());
                }
                into.put(key, new Setting(key, values, line));
            } else if (value == JsonToken.VALUE_NULL) {
                throw wrong(path, parser.currentTokenLocation(), "'" + key + "' has no value");
            } else {
                into.put(key, new Setting(key, List.of(parser.getText()), line));
            }
        }
    }

    private static SpoolError wrong(Path path, JsonLocation at, String why) {
        return SpoolError.invalid("--config", path + " line " + at.getLineNr() + ": " + why);
    }
}
