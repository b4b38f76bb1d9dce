package dev.spool.model.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Capabilities are read as seed 001 sends them, and leniently: what is absent or of another kind is absent. */
class CapabilitiesTest {
    @Test
    void seed001sCapabilitiesReadAsSent() throws Exception {
        Capabilities caps = Capabilities.read(Wire.JSON.readTree("""
                {"supported_codecs": ["h264_nvenc", "hevc_nvenc", "libx264"], "has_gpu": true, "gpu_type": "nvidia",
                 "max_resolution": "4k", "rack": "b2"}"""));

        assertThat(caps).isEqualTo(new Capabilities(java.util.List.of("h264_nvenc", "hevc_nvenc", "libx264"), true, "nvidia", "4k", null));
    }

    @Test
    void fieldsOfAnotherKindReadAsAbsent() throws Exception {
        Capabilities caps = Capabilities.read(Wire.JSON.readTree("""
                {"supported_codecs": "libx264", "has_gpu": "yes", "max_resolution": 1080, "encoder_build": "8.1-ab"}"""));

        assertThat(caps.supportedCodecs()).isEmpty();
        assertThat(caps.hasGpu()).isNull();
        assertThat(caps.maxResolution()).isNull();
        assertThat(caps.encoderBuild()).isEqualTo("8.1-ab");
        assertThat(Capabilities.read(Wire.JSON.readTree("[]")).supportedCodecs()).isEmpty();
    }
}
