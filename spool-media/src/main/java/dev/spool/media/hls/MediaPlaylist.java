package dev.spool.media.hls;

import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A parsed HLS media playlist (RFC 8216 section 4.3), checked as it is read. */
public record MediaPlaylist(Path file, int targetDuration, String playlistType, boolean independentSegments,
                            Optional<String> initSegment, List<Segment> segments, boolean ended) {

    /** One media segment: its EXTINF duration and its URI relative to the playlist. */
    public record Segment(double duration, String uri) {}

    public MediaPlaylist {
        segments = List.copyOf(segments);
    }

    public static MediaPlaylist read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw SpoolError.verification(file + " cannot be read: " + e.getMessage());
        }
        if (lines.isEmpty() || !lines.get(0).strip().equals("#EXTM3U"))
            throw SpoolError.verification(file + " does not start with #EXTM3U");
        int target = -1;
        String type = "";
        boolean independent = false;
        boolean ended = false;
        Optional<String> map = Optional.empty();
        List<Segment> segments = new ArrayList<>();
        Double pending = null;
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            String where = file + " line " + (n + 1);
            if (line.isEmpty()) continue;
            if (line.startsWith("#EXT-X-TARGETDURATION:")) target = parseInt(line.substring(22), where);
            else if (line.startsWith("#EXT-X-PLAYLIST-TYPE:")) type = line.substring(21);
            else if (line.equals("#EXT-X-INDEPENDENT-SEGMENTS")) independent = true;
            else if (line.equals("#EXT-X-ENDLIST")) ended = true;
            else if (line.startsWith("#EXT-X-MAP:")) map = Optional.of(checkUri(quotedAttribute(line, "URI", where), where));
            else if (line.startsWith("#EXTINF:")) {
                String value = line.substring(8);
                int comma = value.indexOf(',');
                pending = parseDouble(comma >= 0 ? value.substring(0, comma) : value, where);
            } else if (!line.startsWith("#")) {
                if (pending == null) throw SpoolError.verification(where + ": segment URI without #EXTINF");
                segments.add(new Segment(pending, checkUri(line, where)));
                pending = null;
            }
        }
        if (target < 0) throw SpoolError.verification(file + " has no #EXT-X-TARGETDURATION");
        if (segments.isEmpty()) throw SpoolError.verification(file + " lists no segments");
        for (Segment s : segments) {
            if (Math.round(s.duration()) > target)
                throw SpoolError.verification(file + ": segment " + s.uri() + " lasts " + s.duration()
                        + " s, more than the target duration " + target + " s");
        }
        return new MediaPlaylist(file, target, type, independent, map, segments, ended);
    }

    public double totalDuration() {
        return segments.stream().mapToDouble(Segment::duration).sum();
    }

    /** Start time of each segment from the playlist's start, by summing EXTINF. */
    public List<Double> segmentStarts() {
        List<Double> starts = new ArrayList<>(segments.size());
        double t = 0;
        for (Segment s : segments) {
            starts.add(t);
            t += s.duration();
        }
        return starts;
    }

    public Path resolve(String uri) {
        return file.resolveSibling(uri);
    }

    /** Segment URIs must stay beside the playlist: no absolute paths, schemes or "..". */
    static String checkUri(String uri, String where) {
        if (uri.contains("..") || uri.startsWith("/") || uri.contains(":") || uri.contains("\\"))
            throw SpoolError.verification(where + ": URI '" + uri + "' leaves the rendition directory");
        return uri;
    }

    static String quotedAttribute(String line, String name, String where) {
        int at = line.indexOf(name + "=\"");
        if (at < 0) throw SpoolError.verification(where + ": missing " + name + " attribute");
        int start = at + name.length() + 2;
        int end = line.indexOf('"', start);
        if (end < 0) throw SpoolError.verification(where + ": unterminated " + name + " attribute");
        return line.substring(start, end);
    }

    private static int parseInt(String text, String where) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw SpoolError.verification(where + ": not an integer: " + text);
        }
    }

    private static double parseDouble(String text, String where) {
        try {
            double d = Double.parseDouble(text.strip());
            if (!(d > 0)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw SpoolError.verification(where + ": not a positive duration: " + text);
        }
    }
}
