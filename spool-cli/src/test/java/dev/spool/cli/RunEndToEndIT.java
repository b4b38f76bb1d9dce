package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.media.hls.MasterPlaylistFile;
import dev.spool.media.hls.MediaPlaylist;
import dev.spool.media.hls.StreamFacts;
import dev.spool.media.hls.StreamProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * `spool run` on a 1080p source, end to end through the packaged jar, then every property of a
 * web-ready ladder checked here independently of Spool's own verifier.
 */
class RunEndToEndIT {
    private static final double SOURCE_SECONDS = 4;
    private static final int HLS_TIME = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path work;
    static Path out;
    static SpoolProcess.Result result;
    static StreamProbe probe;

    @BeforeAll
    static void runTheLadder() throws Exception {
        Path source = TestMedia.get("1080p-4s.mp4", SampleMedia.Spec.video(1920, 1080, 30, SOURCE_SECONDS));
        out = work.resolve("out");
        result = SpoolProcess.run("run", source.toString(), out.toString(), "--hls-time", Integer.toString(HLS_TIME), "--json");
        probe = new StreamProbe(TestMedia.TOOLS);
    }

    @Test
    void theRunSucceedsAndPrintsProgressAndASummaryAsJson() throws Exception {
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : result.stdout().lines().toList()) events.add(JSON.readTree(line));
        assertThat(events).extracting(e -> e.path("event").asText()).contains("plan", "progress", "summary");
        JsonNode summary = events.getLast();
        assertThat(summary.path("event").asText()).isEqualTo("summary");
        assertThat(summary.path("master").asText()).isEqualTo(out.resolve("index.m3u8").toAbsolutePath().toString());
        assertThat(summary.path("outputs")).hasSize(6);   // five rungs and the audio
        assertThat(summary.path("wall_ms").asLong()).isPositive();
        assertThat(summary.path("source_duration_sec").asDouble()).isCloseTo(SOURCE_SECONDS, within(0.1));
    }

    @Test
    void theMasterListsEveryRungWithMeasuredBandwidthCodecsAndTheAudioGroup() {
        MasterPlaylistFile master = MasterPlaylistFile.read(out.resolve("index.m3u8"));
        assertThat(master.independentSegments()).isTrue();
        assertThat(master.variants()).extracting(MasterPlaylistFile.Entry::uri)
                .containsExactly("1080p/index.m3u8", "720p/index.m3u8", "480p/index.m3u8", "360p/index.m3u8", "240p/index.m3u8");
        assertThat(master.media()).singleElement().satisfies(audio -> {
            assertThat(audio.attributes()).containsEntry("TYPE", "AUDIO").containsEntry("GROUP-ID", "audio")
                    .containsEntry("URI", "audio/index.m3u8").containsEntry("CHANNELS", "2");
        });
        for (MasterPlaylistFile.Entry v : master.variants()) {
            Map<String, String> a = v.attributes();
            assertThat(Long.parseLong(a.get("BANDWIDTH"))).isGreaterThanOrEqualTo(Long.parseLong(a.get("AVERAGE-BANDWIDTH")));
            assertThat(a.get("CODECS")).matches("avc1\\.64[0-9A-F]{4},mp4a\\.40\\.2");
            assertThat(a).containsEntry("AUDIO", "audio").containsEntry("FRAME-RATE", "30.000");
            StreamFacts video = probe.first(out.resolve(v.uri()), "video");
            assertThat(a.get("RESOLUTION")).isEqualTo(video.width() + "x" + video.height());
            assertThat(a.get("CODECS")).startsWith(video.codecs().orElseThrow());
        }
        assertThat(master.variants().getFirst().attributes()).containsEntry("RESOLUTION", "1920x1080");
    }

    @Test
    void everyRenditionIsAVodPlaylistOfAlignedSegmentsThatStartOnKeyframes() {
        List<Double> reference = null;
        for (String rung : List.of("1080p", "720p", "480p", "360p", "240p")) {
            MediaPlaylist playlist = MediaPlaylist.read(out.resolve(rung).resolve("index.m3u8"));
            assertThat(playlist.playlistType()).isEqualTo("VOD");
            assertThat(playlist.ended()).isTrue();
            assertThat(playlist.independentSegments()).isTrue();
            assertThat(playlist.initSegment()).contains("init.mp4");
            assertThat(playlist.totalDuration()).isCloseTo(SOURCE_SECONDS, within(0.1));
            List<MediaPlaylist.Segment> segments = playlist.segments();
            for (MediaPlaylist.Segment s : segments.subList(0, segments.size() - 1))
                assertThat(s.duration()).isLessThanOrEqualTo(HLS_TIME + 0.5);
            StreamFacts video = probe.first(playlist.file(), "video");
            List<Double> keyframes = video.packets().stream().filter(StreamFacts.Packet::key).map(StreamFacts.Packet::pts).toList();
            for (double start : playlist.segmentStarts())
                assertThat(keyframes).anySatisfy(k -> assertThat(k - video.start()).isCloseTo(start, within(0.017)));
            if (reference == null) reference = playlist.segmentStarts();
            else assertThat(playlist.segmentStarts()).hasSameSizeAs(reference)
                    .zipSatisfy(reference, (a, b) -> assertThat(a).isCloseTo(b, within(0.017)));
        }
    }

    @Test
    void audioIsOneStereoAacRenditionEndingWithTheVideo() {
        StreamFacts audio = probe.first(out.resolve("audio/index.m3u8"), "audio");
        StreamFacts video = probe.first(out.resolve("1080p/index.m3u8"), "video");
        assertThat(audio.codecName()).isEqualTo("aac");
        assertThat(audio.channels()).isEqualTo(2);
        assertThat(audio.duration()).isCloseTo(video.duration(), within(0.1));
    }

    @Test
    void verifyAcceptsTheLadderAndRejectsItOnceASegmentIsGone() throws Exception {
        Verified.output(out);
        Path copy = work.resolve("damaged");
        copyTree(out, copy);
        Files.delete(copy.resolve("480p/seg_00001.m4s"));
        SpoolProcess.Result damaged = SpoolProcess.run("verify", copy.toString());
        assertThat(damaged.exitCode()).isEqualTo(6);
        assertThat(damaged.stdout()).contains("FAIL", "480p/index.m3u8", "seg_00001.m4s");
    }

    @Test
    void verifyRejectsAPlaylistWithoutEndlist() throws Exception {
        Path copy = work.resolve("no-endlist");
        copyTree(out, copy);
        Path playlist = copy.resolve("720p/index.m3u8");
        Files.writeString(playlist, Files.readString(playlist).replace("#EXT-X-ENDLIST", ""));
        SpoolProcess.Result r = SpoolProcess.run("verify", copy.toString());
        assertThat(r.exitCode()).isEqualTo(6);
        assertThat(r.stdout()).contains("FAIL  playlist 720p/index.m3u8 parses");
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p, dest);
            }
        }
    }
}
