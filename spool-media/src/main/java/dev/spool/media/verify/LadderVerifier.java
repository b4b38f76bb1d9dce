package dev.spool.media.verify;

import dev.spool.media.hls.MasterPlaylistFile;
import dev.spool.media.hls.MediaPlaylist;
import dev.spool.media.hls.StreamFacts;
import dev.spool.media.hls.StreamProbe;
import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Checks a finished HLS ladder the way a careful player would experience it: every playlist parses
 * and every file it names exists; each variant lasts as long as the source; no segment overruns the
 * target length; every segment starts on a keyframe; segment boundaries line up across renditions
 * (so switching is seamless); audio and video end together; the master tells the truth about them,
 * its BANDWIDTH never below its AVERAGE-BANDWIDTH.
 */
public final class LadderVerifier {
    private final StreamProbe probe;

    public LadderVerifier(StreamProbe probe) {
        this.probe = probe;
    }

    /** Verifies the output directory, HLS when it holds the master playlist, else MP4 files. */
    public VerifyReport verify(Path dir, Expectations expect) {
        VerifyReport report = new VerifyReport();
        Path master = dir.resolve(expect.masterName());
        if (Files.isRegularFile(master)) verifyHls(master, expect, report);
        else Mp4Checks.verify(dir, expect, probe, report);
        return report;
    }

    private void verifyHls(Path masterFile, Expectations expect, VerifyReport report) {
        MasterPlaylistFile master;
        try {
            master = MasterPlaylistFile.read(masterFile);
        } catch (SpoolError e) {
            report.fail("master playlist parses", e.getMessage());
            return;
        }
        report.check(master.independentSegments(), "master declares EXT-X-INDEPENDENT-SEGMENTS", masterFile.toString());
        for (MasterPlaylistFile.Entry variant : master.variants()) {
            Optional<String> problem = BandwidthRule.problem(variant.attributes());
            report.check(problem.isEmpty(), renditionName(variant.uri()) + " BANDWIDTH is at least its AVERAGE-BANDWIDTH",
                    problem.orElseGet(() -> BandwidthRule.summary(variant.attributes())));
        }
        List<Rendition> video = new ArrayList<>();
        Optional<Rendition> audio = Optional.empty();
        for (MasterPlaylistFile.Entry media : master.media()) {
            if ("AUDIO".equals(media.attributes().get("TYPE"))) audio = read(masterFile, media, "audio", report);
        }
        for (MasterPlaylistFile.Entry variant : master.variants()) {
            boolean audioOnly = !variant.attributes().containsKey("RESOLUTION");
            Optional<Rendition> r = read(masterFile, variant, audioOnly ? "audio" : "video", report);
            if (r.isEmpty()) continue;
            if (audioOnly) audio = r;
            else video.add(r.get());
        }
        if (video.isEmpty() && audio.isEmpty()) return;
        for (Rendition r : video) {
            checkDuration(r, expect.videoDurationSec(), report);
            checkFrames(r, expect.videoDurationSec(), report);
            checkSegmentLengths(r, expect.hlsTime(), report);
            checkKeyframes(r, report);
            checkMasterAttributes(r, report);
        }
        audio.ifPresent(a -> {
            checkDuration(a, expect.audioDurationSec(), report);
            checkSegmentLengths(a, expect.hlsTime(), report);
        });
        checkAlignment(video, report);
        audio.ifPresent(a -> video.forEach(v -> {
            double drift = Math.abs(a.facts().duration() - v.facts().duration() - expect.sourceDrift());
            report.check(drift <= Expectations.DURATION_TOLERANCE_SEC, "audio and video durations match (" + v.name() + ")",
                    String.format(Locale.ROOT, "audio %.3f s, video %.3f s", a.facts().duration(), v.facts().duration()));
        }));
    }

    /** A media playlist from the master, parsed, with the stream it carries. */
    record Rendition(String name, MasterPlaylistFile.Entry entry, MediaPlaylist playlist, StreamFacts facts) {}

    private Optional<Rendition> read(Path master, MasterPlaylistFile.Entry entry, String type, VerifyReport report) {
        Path file = master.resolveSibling(entry.uri());
        String name = renditionName(entry.uri());
        try {
            MediaPlaylist playlist = MediaPlaylist.read(file);
            List<String> missing = new ArrayList<>();
            playlist.initSegment().ifPresent(init -> { if (!nonEmpty(playlist.resolve(init))) missing.add(init); });
            for (MediaPlaylist.Segment s : playlist.segments()) if (!nonEmpty(playlist.resolve(s.uri()))) missing.add(s.uri());
            // audio frames are all sync samples, so only video playlists must declare independent segments
            boolean vod = playlist.ended() && playlist.playlistType().equals("VOD")
                    && (playlist.independentSegments() || type.equals("audio"));
            report.check(missing.isEmpty() && vod, "playlist " + entry.uri() + " parses",
                    missing.isEmpty() ? (vod ? playlist.segments().size() + " segments" : "missing ENDLIST, VOD type or INDEPENDENT-SEGMENTS")
                            : "missing or empty: " + String.join(", ", missing));
            // ffprobe would wait forever on a playlist without ENDLIST (it looks live), so stop here
            if (!missing.isEmpty() || !vod) return Optional.empty();
            return Optional.of(new Rendition(name, entry, playlist, probe.first(file, type)));
        } catch (SpoolError e) {
            report.fail("playlist " + entry.uri() + " parses", e.getMessage());
            return Optional.empty();
        }
    }

    /** "720p/index.m3u8" is the 720p rendition. */
    private static String renditionName(String uri) {
        return uri.contains("/") ? uri.substring(0, uri.indexOf('/')) : uri;
    }

    private static boolean nonEmpty(Path p) {
        try {
            return Files.isRegularFile(p) && Files.size(p) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void checkDuration(Rendition r, java.util.OptionalDouble source, VerifyReport report) {
        double listed = r.playlist().totalDuration();
        double actual = r.facts().duration();
        double reference = source.orElse(listed);
        boolean ok = Math.abs(listed - reference) <= Expectations.DURATION_TOLERANCE_SEC
                && Math.abs(actual - reference) <= Expectations.DURATION_TOLERANCE_SEC;
        report.check(ok, r.name() + " lasts as long as the source", String.format(Locale.ROOT,
                "playlist %.3f s, media %.3f s, source %s", listed, actual,
                source.isPresent() ? String.format(Locale.ROOT, "%.3f s", reference) : "unknown"));
    }

    /**
     * Every frame one frame after the last (no gap, no duplicate: where a split job's pieces meet,
     * too), and as many frames as the source's video lasts at the output rate (to one frame).
     */
    private static void checkFrames(Rendition r, java.util.OptionalDouble source, VerifyReport report) {
        var rate = r.facts().frameRate();
        if (!r.facts().isVideo() || rate == null || !rate.known() || r.facts().packets().isEmpty()) return;
        double frame = 1 / rate.value();
        List<Double> pts = r.facts().packets().stream().map(StreamFacts.Packet::pts).sorted().toList();
        int breaks = 0;
        double worst = frame;
        for (int i = 1; i < pts.size(); i++) {
            double step = pts.get(i) - pts.get(i - 1);
            if (Math.abs(step - frame) > frame / 10) {
                breaks++;
                worst = Math.abs(step - frame) > Math.abs(worst - frame) ? step : worst;
            }
        }
        report.check(breaks == 0, r.name() + " frames follow each other one frame apart", breaks == 0
                ? pts.size() + " frames" : String.format(Locale.ROOT, "%d irregular steps, the worst %.4f s (a frame is %.4f s)", breaks, worst, frame));
        if (source.isPresent()) {
            double expected = source.getAsDouble() * rate.value();
            report.check(Math.abs(pts.size() - expected) <= 1, r.name() + " has the source's frames",
                    String.format(Locale.ROOT, "%d frames, the source's %.3f s at %s fps make %.1f", pts.size(), source.getAsDouble(), rate, expected));
        }
    }

    /**
     * No segment but the last runs past the segment length by more than the overrun. The length is
     * the one asked for when known, else the playlist's own EXT-X-TARGETDURATION: the length its
     * writer promised players (RFC 8216 4.3.3.1), which a ladder standing alone knows for certain.
     */
    private static void checkSegmentLengths(Rendition r, OptionalInt asked, VerifyReport report) {
        int length = asked.orElse(r.playlist().targetDuration());
        String source = asked.isPresent() ? "the segment length asked for" : "its EXT-X-TARGETDURATION";
        List<MediaPlaylist.Segment> segments = r.playlist().segments();
        List<String> long_ = new ArrayList<>();
        for (int i = 0; i < segments.size() - 1; i++) {
            if (segments.get(i).duration() > length + Expectations.SEGMENT_OVERRUN_SEC)
                long_.add(segments.get(i).uri() + " (" + segments.get(i).duration() + " s)");
        }
        report.check(long_.isEmpty(), r.name() + " segments are at most " + length + " s (" + source + ") + "
                + Expectations.SEGMENT_OVERRUN_SEC, long_.isEmpty() ? segments.size() + " segments" : "too long: " + String.join(", ", long_));
    }

    private static void checkKeyframes(Rendition r, VerifyReport report) {
        StreamFacts v = r.facts();
        double tolerance = frameTolerance(v);
        List<Double> keys = v.packets().stream().filter(StreamFacts.Packet::key).map(StreamFacts.Packet::pts).sorted().toList();
        List<String> without = new ArrayList<>();
        List<Double> starts = r.playlist().segmentStarts();
        for (int i = 0; i < starts.size(); i++) {
            double t = v.start() + starts.get(i);
            boolean found = keys.stream().anyMatch(k -> Math.abs(k - t) <= tolerance);
            if (!found) without.add(r.playlist().segments().get(i).uri());
        }
        report.check(without.isEmpty(), r.name() + " segments start with a keyframe",
                without.isEmpty() ? starts.size() + " of " + starts.size() : "no keyframe at the start of " + String.join(", ", without));
    }

    private static void checkMasterAttributes(Rendition r, VerifyReport report) {
        Map<String, String> a = r.entry().attributes();
        String resolution = r.facts().width() + "x" + r.facts().height();
        boolean resolutionOk = resolution.equals(a.get("RESOLUTION"));
        String codecs = a.getOrDefault("CODECS", "");
        boolean codecsOk = r.facts().codecs().map(c -> codecs.contains(c)).orElse(false);
        report.check(resolutionOk && codecsOk, r.name() + " master attributes match the stream",
                "RESOLUTION " + a.get("RESOLUTION") + " vs " + resolution + ", CODECS " + codecs + " vs " + r.facts().codecs().orElse("?"));
    }

    private static void checkAlignment(List<Rendition> video, VerifyReport report) {
        if (video.size() < 2) return;
        Rendition first = video.get(0);
        double tolerance = frameTolerance(first.facts());
        for (Rendition other : video.subList(1, video.size())) {
            List<Double> a = first.playlist().segmentStarts();
            List<Double> b = other.playlist().segmentStarts();
            boolean aligned = a.size() == b.size();
            for (int i = 0; aligned && i < a.size(); i++) aligned = Math.abs(a.get(i) - b.get(i)) <= tolerance;
            report.check(aligned, "segments of " + other.name() + " align with " + first.name(),
                    a.size() + " and " + b.size() + " segments");
        }
    }

    /** Half a frame: boundaries and keyframes closer than this are the same instant. */
    private static double frameTolerance(StreamFacts v) {
        double fps = v.frameRate().known() ? v.frameRate().value() : 30;
        return 0.5 / fps;
    }
}
