package dev.spool.media.run;

import dev.spool.media.commit.StagedOutput;
import dev.spool.media.plan.LadderPlan;
import dev.spool.media.hls.MasterPlaylist;
import dev.spool.media.hls.MediaPlaylist;
import dev.spool.media.hls.SegmentRates;
import dev.spool.media.hls.StreamFacts;
import dev.spool.media.hls.StreamProbe;
import dev.spool.model.SpoolError;
import dev.spool.media.plan.Rendition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes the master playlist of a ladder ffmpeg has rendered: bandwidths measured from the
 * segments, resolution and codec strings read back from the streams. The master is the last file
 * written, so a ladder without one is visibly unfinished.
 */
final class HlsPackager {
    private final StreamProbe probe;

    HlsPackager(StreamProbe probe) {
        this.probe = probe;
    }

    List<OutputSummary> writeMaster(LadderPlan plan, Path dir) {
        readBackInParallel(plan, dir);
        Optional<MasterPlaylist.Audio> audio = Optional.empty();
        List<OutputSummary> summaries = new ArrayList<>();
        if (plan.audio().isPresent()) {
            String uri = LadderPlan.AUDIO_DIR + "/" + LadderPlan.MEDIA_PLAYLIST;
            MediaPlaylist playlist = MediaPlaylist.read(dir.resolve(uri));
            SegmentRates rates = SegmentRates.measure(playlist);
            StreamFacts facts = probe.first(playlist.file(), "audio");
            String codecs = facts.codecs().orElseThrow(() -> SpoolError.verification("unknown audio codec " + facts.codecName()));
            audio = Optional.of(new MasterPlaylist.Audio(uri, rates, codecs, facts.channels(), plan.audio().get().language()));
            summaries.add(new OutputSummary(LadderPlan.AUDIO_DIR, uri, 0, 0, codecs, rates.peakBps(), rates.averageBps(),
                    rates.totalBytes(), facts.duration()));
        }
        List<MasterPlaylist.Variant> variants = new ArrayList<>();
        for (Rendition r : plan.renditions()) {
            String uri = r.name() + "/" + LadderPlan.MEDIA_PLAYLIST;
            MediaPlaylist playlist = MediaPlaylist.read(dir.resolve(uri));
            SegmentRates rates = SegmentRates.measure(playlist);
            StreamFacts facts = probe.first(playlist.file(), "video");
            String video = facts.codecs().orElseThrow(() -> SpoolError.verification(
                    "cannot read the codec configuration of " + uri));
            String codecs = audio.map(a -> video + "," + a.codecs()).orElse(video);
            variants.add(new MasterPlaylist.Variant(uri, rates, facts.width(), facts.height(),
                    plan.frameRate().orElseThrow().value(), codecs));
            summaries.add(new OutputSummary(r.name(), uri, facts.width(), facts.height(), video, rates.peakBps(),
                    rates.averageBps(), rates.totalBytes(), facts.duration()));
        }
        Path master = dir.resolve(plan.options().masterName());
        try {
            Files.writeString(master, MasterPlaylist.render(variants, audio));
        } catch (IOException e) {
            throw SpoolError.output(master.toString(), "cannot be written: " + StagedOutput.reason(e));
        }
        return summaries;
    }

    /** ffprobe each rendition at once: reading back is I/O-bound and the results are cached for verification. */
    private void readBackInParallel(LadderPlan plan, Path dir) {
        List<Path> playlists = new ArrayList<>();
        plan.renditions().forEach(r -> playlists.add(dir.resolve(r.name()).resolve(LadderPlan.MEDIA_PLAYLIST)));
        plan.audio().ifPresent(a -> playlists.add(dir.resolve(LadderPlan.AUDIO_DIR).resolve(LadderPlan.MEDIA_PLAYLIST)));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> reads = playlists.stream().<Future<?>>map(p -> pool.submit(() -> probe.streams(p))).toList();
            for (Future<?> read : reads) read.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SpoolError error) throw error;
            throw SpoolError.verification("reading back the ladder failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpoolError.interrupted("interrupted while reading back the ladder");
        }
    }
}
