package dev.spool.media.hls;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses an attribute list (RFC 8216 section 4.2): NAME=value pairs, commas inside quotes kept. */
final class PlaylistAttributes {
    private PlaylistAttributes() {}

    static Map<String, String> parse(String list) {
        Map<String, String> attributes = new LinkedHashMap<>();
        int i = 0;
        while (i < list.length()) {
            int eq = list.indexOf('=', i);
            if (eq < 0) break;
            String name = list.substring(i, eq).strip();
            int j = eq + 1;
            String value;
            if (j < list.length() && list.charAt(j) == '"') {
                int close = list.indexOf('"', j + 1);
                if (close < 0) close = list.length();
                value = list.substring(j + 1, close);
                j = close + 1;
            } else {
                int comma = list.indexOf(',', j);
                if (comma < 0) comma = list.length();
                value = list.substring(j, comma).strip();
                j = comma;
            }
            attributes.put(name, value);
            int comma = list.indexOf(',', j);
            i = comma < 0 ? list.length() : comma + 1;
        }
        return attributes;
    }
}
