package dev.spool.coordinator.api;

import dev.spool.model.protocol.Api;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.job.TaskKind;
import dev.spool.model.protocol.Capabilities;
import dev.spool.model.protocol.Wire;
import dev.spool.coordinator.queue.WorkerFit;
import dev.spool.coordinator.queue.WorkerRecord;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Reads what a worker can take from the capabilities it registered (seed 001's fields). */
final class WorkerFits {
    private WorkerFits() {}

    static WorkerFit of(WorkerRecord worker) {
        JsonNode caps;
        try {
            caps = Wire.JSON.readTree(worker.capabilitiesJson());
        } catch (Exception e) {
            caps = Wire.JSON.createObjectNode();
        }
        Capabilities said = Capabilities.read(caps);
        Set<String> encoders = new HashSet<>(said.supportedCodecs());
        // seed-001 workers may list codec families; a family implies its software encoder
        if (encoders.contains("h264")) encoders.add("libx264");
        if (encoders.contains("hevc") || encoders.contains("h265")) encoders.add("libx265");
        if (encoders.contains("av1")) encoders.add("libsvtav1");
        // Spool's worker from protocol 3 runs every task kind; older ones, and seed 001's, run whole jobs
        Set<String> kinds = worker.protocol() >= Api.SPLIT_PROTOCOL ? TaskKind.ALL : TaskKind.WHOLE_JOB;
        return new WorkerFit(worker.id(), encoders, maxHeight(said.maxResolution() == null ? "" : said.maxResolution()),
                new HashSet<>(worker.pools()), kinds, said.encoderBuild());
    }

    /** "4k" -> 2160, "1080p" -> 1080; unknown or absent means no limit worth enforcing. */
    static int maxHeight(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) return Integer.MAX_VALUE;
        if (t.equals("8k")) return 4320;
        if (t.equals("4k") || t.equals("uhd")) return 2160;
        if (t.equals("2k")) return 1440;
        if (t.matches("\\d{3,4}p")) return Integer.parseInt(t.substring(0, t.length() - 1));
        return Integer.MAX_VALUE;
    }
}
