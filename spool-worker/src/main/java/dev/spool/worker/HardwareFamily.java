package dev.spool.worker;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The hardware encoder families a worker tries: the device each needs, so that a machine without
 * one skips its test encodes, and the ffmpeg setup its test encode takes. Declared in the order
 * that picks {@code gpu_type} when several work.
 */
enum HardwareFamily {
    NVIDIA("nvidia", "_nvenc") {
        @Override Optional<String> missingDevice() {
            if (onWindows()) return Optional.empty();   // no device node to look for; the trial decides
            // /dev/dxg: WSL2 passes the Windows driver through without /dev/nvidia0
            if (anyExists("/dev/nvidia0", "/proc/driver/nvidia", "/dev/dxg")) return Optional.empty();
            return Optional.of("no NVIDIA device: /dev/nvidia0 and /proc/driver/nvidia are absent");
        }

        @Override EncoderTrial trial(String encoder) { return EncoderTrial.plain(encoder); }
    },
    QSV("intel", "_qsv") {
        @Override Optional<String> missingDevice() {
            if (onWindows() || renderNode().isPresent()) return Optional.empty();
            return Optional.of("no render node for Quick Sync: /dev/dri/renderD* is absent");
        }

        // QSV encoders take frames in GPU memory: upload them through a device made for the purpose
        @Override EncoderTrial trial(String encoder) {
            return new EncoderTrial(encoder, List.of("-init_hw_device", "qsv=hw", "-filter_hw_device", "hw"),
                    List.of("-vf", "format=nv12,hwupload=extra_hw_frames=64"));
        }
    },
    VAAPI("vaapi", "_vaapi") {
        @Override Optional<String> missingDevice() {
            if (renderNode().isPresent()) return Optional.empty();
            return Optional.of("no render node for VAAPI: /dev/dri/renderD* is absent");
        }

        @Override EncoderTrial trial(String encoder) {
            String device = renderNode().orElse(DEFAULT_RENDER_NODE).toString();
            return new EncoderTrial(encoder, List.of("-vaapi_device", device), List.of("-vf", "format=nv12,hwupload"));
        }
    },
    VIDEOTOOLBOX("apple", "_videotoolbox") {
        @Override Optional<String> missingDevice() {
            if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac")) return Optional.empty();
            return Optional.of("VideoToolbox exists only on macOS");
        }

        @Override EncoderTrial trial(String encoder) { return EncoderTrial.plain(encoder); }
    };

    static final Path DEFAULT_RENDER_NODE = Path.of("/dev/dri/renderD128");

    private final String gpuType;
    private final String suffix;

    HardwareFamily(String gpuType, String suffix) {
        this.gpuType = gpuType;
        this.suffix = suffix;
    }

    /** Why this machine cannot have the device, or empty when it may (the test encode decides). */
    abstract Optional<String> missingDevice();

    /** The test encode for one of this family's encoders. */
    abstract EncoderTrial trial(String encoder);

    /** The {@code gpu_type} a worker reports when one of this family's encoders works. */
    String gpuType() { return gpuType; }

    /** The family an encoder belongs to; empty for a software encoder. */
    static Optional<HardwareFamily> of(String encoder) {
        return Arrays.stream(values()).filter(f -> encoder.endsWith(f.suffix)).findFirst();
    }

    /** The first DRM render node; a machine with several GPUs is tried on this one only. */
    static Optional<Path> renderNode() {
        Path dri = Path.of("/dev/dri");
        if (!Files.isDirectory(dri)) return Optional.empty();
        List<Path> nodes = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dri, "renderD*")) {
            found.forEach(nodes::add);
        } catch (IOException e) {
            return Optional.empty();
        }
        return nodes.stream().sorted().findFirst();
    }

    private static boolean anyExists(String... paths) {
        return Arrays.stream(paths).anyMatch(p -> Files.exists(Path.of(p)));
    }

    private static boolean onWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
