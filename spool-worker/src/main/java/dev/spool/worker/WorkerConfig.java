package dev.spool.worker;

import dev.spool.media.ffmpeg.StallWatch;
import dev.spool.model.SpoolError;
import dev.spool.model.client.CoordinatorUrls;
import dev.spool.storage.S3Settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a worker runs: where its coordinators are (it follows the first that answers), its name and
 * join token, how many tasks at once, which pools it serves, the ffmpeg it uses, the directories it
 * may touch, how it reaches object storage, where (and how much) it caches downloaded inputs and
 * scratch work, and how long an encode may go without progress before it is killed.
 */
public record WorkerConfig(CoordinatorUrls coordinators, String workerId, String token, int slots, List<String> pools,
                           Path ffmpeg, Duration progressInterval, Duration longPoll, List<Path> roots,
                           S3Settings s3, Path cacheDir, long cacheBytes, boolean allowPrivateUrls, Duration stallTimeout) {
    public static final Duration DEFAULT_STALL_TIMEOUT = StallWatch.DEFAULT_TIMEOUT;
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_LONG_POLL = Duration.ofSeconds(25);
    public static final long DEFAULT_CACHE_BYTES = 50L << 30;

    public WorkerConfig {
        if (coordinators == null) throw SpoolError.invalid(CoordinatorUrls.FLAG, "is required (or set SPOOL_COORDINATOR)");
        if (token == null || token.isBlank()) throw SpoolError.invalid("--token", "is required (or set SPOOL_TOKEN to the join token)");
        if (slots < 1 || slots > 64) throw SpoolError.invalid("--slots", "must be between 1 and 64");
        pools = pools == null || pools.isEmpty() ? List.of("transcode") : List.copyOf(pools);
        roots = roots == null ? List.of() : List.copyOf(roots);
        s3 = s3 == null ? S3Settings.aws() : s3;
        if (cacheDir == null) throw SpoolError.invalid("--cache", "is required");
        if (cacheBytes < (64L << 20)) throw SpoolError.invalid("--cache-size", "must be at least 64M");
        stallTimeout = stallTimeout == null ? DEFAULT_STALL_TIMEOUT : stallTimeout;
        if (stallTimeout.compareTo(Duration.ofSeconds(1)) < 0) throw SpoolError.invalid("--stall-timeout", "must be at least 1 second");
    }
}
