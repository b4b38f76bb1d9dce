package dev.spool.media.hls;

import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A master playlist read back from disk: its variant streams and alternative renditions. */
public record MasterPlaylistFile(Path file, boolean independentSegments, List<Entry> variants, List<Entry> media) {

    /** A tag's attributes and the URI it points at. */
    public record Entry(Map<String, String> attributes, String uri) {}

    public static MasterPlaylistFile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw SpoolError.verification("master playlist " + file + " cannot be read: " + e.getMessage());
        }
        if (lines.isEmpty() || !lines.get(0).strip().equals("#EXTM3U"))
            throw SpoolError.verification(file + " does not start with #EXTM3U");
        boolean independent = false;
        List<Entry> variants = new ArrayList<>();
        List<Entry> media = new ArrayList<>();
        Map<String, String> pending = null;
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            String where = file + " line " + (n + 1);
            if (line.equals("#EXT-X-INDEPENDENT-SEGMENTS")) independent = true;
            else if (line.startsWith("#EXT-X-MEDIA:")) {
                Map<String, String> attributes = PlaylistAttributes.parse(line.substring(13));
                String uri = attributes.get("URI");
                if (uri != null) media.add(new Entry(attributes, MediaPlaylist.checkUri(uri, where)));
            } else if (line.startsWith("#EXT-X-STREAM-INF:")) {
                pending = PlaylistAttributes.parse(line.substring(18));
                if (!pending.containsKey("BANDWIDTH")) throw SpoolError.verification(where + ": EXT-X-STREAM-INF without BANDWIDTH");
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                if (pending == null) throw SpoolError.verification(where + ": URI without #EXT-X-STREAM-INF");
                variants.add(new Entry(pending, MediaPlaylist.checkUri(line, where)));
                pending = null;
            }
        }
        if (variants.isEmpty()) throw SpoolError.verification(file + " lists no variant streams");
        return new MasterPlaylistFile(file, independent, List.copyOf(variants), List.copyOf(media));
    }
}
