package dev.spool.worker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapabilitiesTest {
    private static final long GIB = 1L << 30;

    @Test
    void fourCoresAndFourGibOrAWorkingGpuEarn4k() {
        assertThat(Capabilities.maxResolutionFor(4, 4 * GIB, false)).isEqualTo("4k");
        assertThat(Capabilities.maxResolutionFor(2, 1 * GIB, true)).isEqualTo("4k");
        assertThat(Capabilities.maxResolutionFor(2, 32 * GIB, false)).isEqualTo("1080p");
        assertThat(Capabilities.maxResolutionFor(16, 4 * GIB - 1, false)).isEqualTo("1080p");
    }

    @Test
    void aGpuFlagThatContradictsTheGpuTypeIsRefused() {
        assertThatThrownBy(() -> new Capabilities(List.of("libx264"), true, "none", "4k", "x86_64", 4, GIB, "linux", "8.1.2", "8.1.2-0123456789ab"))
                .isInstanceOf(SpoolError.class).hasFieldOrPropertyWithValue("field", "has_gpu");
        assertThatThrownBy(() -> new Capabilities(List.of(), false, "amd", "4k", "x86_64", 4, GIB, "linux", "8.1.2", "8.1.2-0123456789ab"))
                .isInstanceOf(SpoolError.class).hasFieldOrPropertyWithValue("field", "gpu_type");
    }

    @Test
    void itSerializesWithTheRegistrationPayloadNames() throws Exception {
        var mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        var caps = new Capabilities(List.of("h264_nvenc", "libx264"), true, "nvidia", "4k", "x86_64", 8, 16 * GIB, "linux", "8.1.2", "8.1.2-0123456789ab");

        Map<String, Object> json = mapper.readValue(mapper.writeValueAsString(caps), new TypeReference<>() {});

        assertThat(json.keySet()).containsExactlyInAnyOrder("supported_codecs", "has_gpu", "gpu_type", "max_resolution",
                "cpu_arch", "cpu_cores", "memory_bytes", "os", "ffmpeg_version", "encoder_build");
        assertThat(json.get("supported_codecs")).isEqualTo(List.of("h264_nvenc", "libx264"));
        assertThat(json.get("has_gpu")).isEqualTo(true);
        assertThat(mapper.readValue(mapper.writeValueAsString(caps), Capabilities.class)).isEqualTo(caps);
    }
}
