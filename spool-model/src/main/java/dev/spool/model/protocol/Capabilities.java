package dev.spool.model.protocol;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What a worker says it can do, as the coordinator reads it: seed 001's {@code supported_codecs},
 * {@code has_gpu}, {@code gpu_type} and {@code max_resolution}, and Spool's {@code encoder_build}.
 * The registration is stored as sent (a seed worker may add fields of its own, which are kept and
 * shown); this reads it leniently, as the seed asks: a field absent or of another kind is absent.
 */
public record Capabilities(List<String> supportedCodecs, Boolean hasGpu, String gpuType, String maxResolution,
                           String encoderBuild) {
    public Capabilities {
        supportedCodecs = supportedCodecs == null ? List.of() : List.copyOf(supportedCodecs);
    }

    /** Reads a registration's capabilities object; anything but an object reads as no capabilities at all. */
    public static Capabilities read(JsonNode caps) {
        List<String> codecs = new ArrayList<>();
        for (JsonNode codec : caps == null ? List.<JsonNode>of() : caps.path("supported_codecs")) {
            if (codec.isTextual()) codecs.add(codec.asText());
        }
        return new Capabilities(codecs, caps != null && caps.path("has_gpu").isBoolean() ? caps.path("has_gpu").asBoolean() : null,
                text(caps, "gpu_type"), text(caps, "max_resolution"), text(caps, "encoder_build"));
    }

    private static String text(JsonNode caps, String field) {
        return caps != null && caps.path(field).isTextual() ? caps.path(field).asText() : null;
    }
}
