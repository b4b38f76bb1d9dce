package dev.spool.coordinator.queue;

/**
 * What a completed job produced (seed 000's job result): the video frames of one rendition, the
 * output's media duration, and the bytes of every file committed. Each is null when the worker that
 * committed the output did not say (a seed-001 worker); the job completes all the same.
 */
public record JobResult(Long framesEncoded, Double durationSeconds, Long outputSizeBytes) {
    public JobResult {
        if (framesEncoded != null && framesEncoded < 0) throw dev.spool.model.SpoolError.invalid("frames_encoded", "must not be negative");
        if (durationSeconds != null && (durationSeconds < 0 || durationSeconds.isNaN()))
            throw dev.spool.model.SpoolError.invalid("duration_seconds", "must not be negative");
        if (outputSizeBytes != null && outputSizeBytes < 0) throw dev.spool.model.SpoolError.invalid("output_size_bytes", "must not be negative");
    }

    /** Null when nothing was said. */
    static JobResult ofNullable(Long framesEncoded, Double durationSeconds, Long outputSizeBytes) {
        if (framesEncoded == null && durationSeconds == null && outputSizeBytes == null) return null;
        return new JobResult(framesEncoded, durationSeconds, outputSizeBytes);
    }
}
