package dev.spool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.model.protocol.Wire;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What this worker registers, the coordinator reads in full: the two sides' capability records agree on names. */
class CapabilitiesWireTest {
    @Test
    void theCoordinatorReadsEveryFieldItSchedulesByFromWhatThisWorkerSends() {
        var sent = new Capabilities(List.of("h264_nvenc", "libx264"), true, "nvidia", "4k", "x86_64", 8, 16L << 30, "linux",
                "8.1.2", "8.1.2-0123456789ab");

        var read = dev.spool.model.protocol.Capabilities.read(Wire.JSON.valueToTree(sent));

        assertThat(read).isEqualTo(new dev.spool.model.protocol.Capabilities(List.of("h264_nvenc", "libx264"), true, "nvidia", "4k",
                "8.1.2-0123456789ab"));
    }
}
