package dev.spool.coordinator.queue;

import java.time.Instant;
import java.util.List;

/**
 * A registered worker: what it can do (capabilities JSON as it sent them), where it stands, and
 * when it was last heard from; {@code control}: the operator's word on it (ACTIVE, PAUSED, DRAINING),
 * which a registration does not change.
 */
public record WorkerRecord(String id, int protocol, String capabilitiesJson, List<String> pools, int slots,
                           String status, String hardwareJson, String currentJobId, Instant registeredAt,
                           Instant lastSeenAt, Control control) {
    /** Whether claims may give the worker work ({@code ACTIVE}), or it must take none. */
    public enum Control { ACTIVE, PAUSED, DRAINING }

    public WorkerRecord {
        pools = List.copyOf(pools);
        control = control == null ? Control.ACTIVE : control;
    }

    /** A worker as it registers (its control, if it had one, stays as stored). */
    public WorkerRecord(String id, int protocol, String capabilitiesJson, List<String> pools, int slots,
                        String status, String hardwareJson, String currentJobId, Instant registeredAt, Instant lastSeenAt) {
        this(id, protocol, capabilitiesJson, pools, slots, status, hardwareJson, currentJobId, registeredAt, lastSeenAt, null);
    }
}
