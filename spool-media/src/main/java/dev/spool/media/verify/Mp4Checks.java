package dev.spool.media.verify;

import dev.spool.media.hls.StreamFacts;
import dev.spool.media.hls.StreamProbe;
import dev.spool.model.SpoolError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** Checks MP4 outputs: index before media (faststart), duration, audio/video agreement, a keyframe first. */
final class Mp4Checks {
    private Mp4Checks() {}

    static void verify(Path dir, Expectations expect, StreamProbe probe, VerifyReport report) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".mp4") || p.toString().endsWith(".m4a")).sorted().toList();
        } catch (IOException e) {
            report.fail("output directory is readable", dir + ": " + e.getMessage());
            return;
        }
        if (files.isEmpty()) {
            report.fail("output holds a ladder", "no " + expect.masterName() + " and no .mp4 files in " + dir);
            return;
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            report.check(isFastStart(file), name + " is faststart (moov before mdat)", file.toString());
            List<StreamFacts> streams;
            try {
                streams = probe.streams(file);
            } catch (SpoolError e) {
                report.fail(name + " can be read", e.getMessage());
                continue;
            }
            Optional<StreamFacts> video = streams.stream().filter(StreamFacts::isVideo).findFirst();
            Optional<StreamFacts> audio = streams.stream().filter(s -> !s.isVideo()).findFirst();
            StreamFacts main = video.or(() -> audio).orElse(null);
            if (main == null) {
                report.fail(name + " has streams", "no audio or video stream");
                continue;
            }
            double reference = (video.isPresent() ? expect.videoDurationSec() : expect.audioDurationSec()).orElse(main.duration());
            report.check(Math.abs(main.duration() - reference) <= Expectations.DURATION_TOLERANCE_SEC,
                    name + " lasts as long as the source", String.format(Locale.ROOT, "%.3f s vs %.3f s", main.duration(), reference));
            video.ifPresent(v -> report.check(!v.packets().isEmpty() && v.packets().get(0).key(),
                    name + " starts with a keyframe", v.packets().size() + " video packets"));
            if (video.isPresent() && audio.isPresent()) {
                double drift = Math.abs(audio.get().duration() - video.get().duration() - expect.sourceDrift());
                report.check(drift <= Expectations.DURATION_TOLERANCE_SEC, name + " audio and video durations match",
                        String.format(Locale.ROOT, "audio %.3f s, video %.3f s", audio.get().duration(), video.get().duration()));
            }
        }
    }

    /** Reads top-level box headers only: faststart means "moov" comes before "mdat". */
    static boolean isFastStart(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = new byte[16];
            long size = Files.size(file);
            long at = 0;
            while (at + 8 <= size) {
                if (in.readNBytes(header, 0, 8) < 8) return false;
                long boxSize = ByteBuffer.wrap(header, 0, 4).getInt() & 0xffffffffL;
                String type = new String(header, 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
                int headerLength = 8;
                if (boxSize == 1) {
                    if (in.readNBytes(header, 8, 8) < 8) return false;
                    boxSize = ByteBuffer.wrap(header, 8, 8).getLong();
                    headerLength = 16;
                }
                if (type.equals("moov")) return true;
                if (type.equals("mdat") || boxSize < headerLength) return false;
                in.skipNBytes(boxSize - headerLength);
                at += boxSize;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
