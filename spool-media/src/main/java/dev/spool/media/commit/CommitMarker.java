package dev.spool.media.commit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The record a worker writes into the output it commits ({@code .spool-commit}): which job, task
 * and granted lease it came from. A later attempt finishing the same commit reads it to tell "done
 * already" from "still to do", and an audit compares it with the lease the coordinator granted.
 */
public final class CommitMarker {
    public static final String FILE = ".spool-commit";

    private CommitMarker() {}

    public static void write(Path dir, String jobId, String taskId, String leaseId) {
        try {
            Files.write(dir.resolve(FILE), Wire.JSON.writeValueAsBytes(Map.of("job_id", jobId, "task_id", taskId == null ? "" : taskId,
                    "lease_id", leaseId)));
        } catch (IOException e) {
            throw SpoolError.output(dir.toString(), "cannot be written: " + StagedOutput.reason(e));
        }
    }

    /** The lease whose commit put {@code dir} there, if it carries a marker. */
    public static Optional<String> leaseOf(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            JsonNode node = Wire.JSON.readTree(file.toFile());
            return Optional.ofNullable(node.path("lease_id").textValue());
        } catch (IOException e) {
            return Optional.empty();   // torn or foreign: not a commit this worker can recognise
        }
    }
}
