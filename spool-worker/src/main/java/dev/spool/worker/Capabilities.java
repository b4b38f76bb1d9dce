package dev.spool.worker;

import dev.spool.model.SpoolError;

import java.util.List;
import java.util.Set;

/**
 * What this worker can encode and how much work it should be given, discovered once at start and
 * sent when it registers. Serialized with snake_case names: supported_codecs, has_gpu, gpu_type,
 * max_resolution, cpu_arch, cpu_cores, memory_bytes, os, ffmpeg_version, encoder_build.
 *
 * @param supportedCodecs ffmpeg encoder names whose test encode succeeded on this machine
 * @param hasGpu          true when a hardware encoder works (a GPU that cannot encode does not count)
 * @param gpuType         "nvidia", "intel", "vaapi", "apple" or "none"
 * @param maxResolution   the largest rendition to hand this worker; see {@link #maxResolutionFor}
 * @param cpuArch         "x86_64", "aarch64", or the JVM's os.arch for anything else
 * @param cpuCores        processors available to this JVM (a container's CPU limit included)
 * @param memoryBytes     memory available to this machine or container
 * @param os              "linux", "macos", "windows", or the JVM's os.name in lower case
 * @param ffmpegVersion   what {@code ffmpeg -version} names, e.g. "8.1.2"
 * @param encoderBuild    a fingerprint of the whole {@code ffmpeg -version} output (version, configuration, library
 *                        versions): pieces of one job are encoded only by workers with the same one, so they join
 */
public record Capabilities(List<String> supportedCodecs, boolean hasGpu, String gpuType, String maxResolution,
                           String cpuArch, int cpuCores, long memoryBytes, String os, String ffmpegVersion,
                           String encoderBuild) {
    public static final String NO_GPU = "none";
    public static final Set<String> GPU_TYPES = Set.of("nvidia", "intel", "vaapi", "apple", NO_GPU);
    public static final String RESOLUTION_4K = "4k";
    public static final String RESOLUTION_1080P = "1080p";
    /** A software-only worker needs this many cores and this much memory to be given 4K sources. */
    public static final int CORES_FOR_4K = 4;
    public static final long MEMORY_FOR_4K = 4L << 30;

    public Capabilities {
        if (supportedCodecs == null) throw SpoolError.invalid("supported_codecs", "is required");
        supportedCodecs = List.copyOf(supportedCodecs);
        if (gpuType == null || !GPU_TYPES.contains(gpuType))
            throw SpoolError.invalid("gpu_type", "must be one of " + GPU_TYPES + ", not " + gpuType);
        if (hasGpu == gpuType.equals(NO_GPU))
            throw SpoolError.invalid("has_gpu", "is " + hasGpu + " but gpu_type is " + gpuType);
        if (maxResolution == null || maxResolution.isBlank()) throw SpoolError.invalid("max_resolution", "is required");
        if (cpuArch == null || cpuArch.isBlank()) throw SpoolError.invalid("cpu_arch", "is required");
        if (cpuCores < 1) throw SpoolError.invalid("cpu_cores", "cannot be less than 1");
        if (memoryBytes < 1) throw SpoolError.invalid("memory_bytes", "cannot be less than 1");
        if (os == null || os.isBlank()) throw SpoolError.invalid("os", "is required");
        if (ffmpegVersion == null || ffmpegVersion.isBlank()) throw SpoolError.invalid("ffmpeg_version", "is required");
        if (encoderBuild == null || encoderBuild.isBlank()) throw SpoolError.invalid("encoder_build", "is required");
    }

    /**
     * The largest resolution a worker should be given: "4k" when a hardware encoder works (it
     * carries the load whatever the CPU), or when there are at least {@value #CORES_FOR_4K} cores
     * and {@link #MEMORY_FOR_4K} bytes (4 GiB) of memory, since a 4K decode plus a software ladder
     * needs both; "1080p" otherwise.
     */
    public static String maxResolutionFor(int cpuCores, long memoryBytes, boolean hasGpu) {
        if (hasGpu || (cpuCores >= CORES_FOR_4K && memoryBytes >= MEMORY_FOR_4K)) return RESOLUTION_4K;
        return RESOLUTION_1080P;
    }
}
