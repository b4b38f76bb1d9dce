package dev.spool.coordinator.queue;

import java.time.Instant;
import java.util.List;

/**
 * A registered worker: what it can do (capabilities JSON as it sent them), where it stands, and
 * when it was last heard from.
 */
public record WorkerRecord(String id, int protocol, String capabilitiesJson, List<String> pools, int slots,
                           String status, String hardwareJson, String currentJobId, Instant registeredAt,
                           Instant lastSeenAt) {
    public WorkerRecord {
        pools = List.copyOf(pools);
    }
}
