package dev.spool.cli;

import dev.spool.job.ExitCleanup;
import dev.spool.storage.ObjectLocation;
import dev.spool.storage.S3ObjectStore;
import dev.spool.storage.S3Settings;
import dev.spool.storage.TransferLog;
import dev.spool.storage.TransferRetry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * Upload and download throughput of one large file through Spool's storage layer (multipart
 * with per-part MD5, size and checksum checks, resumable ranged reads) against the AWS SDK
 * alone (one PUT, one GET), on the same store, alternating, best round of each.
 */
@Command(name = "storage", mixinStandardHelpOptions = true,
        description = "S3 upload/download throughput: Spool's storage layer against the AWS SDK alone.")
final class StorageBench implements Callable<Integer> {
    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3-compatible endpoint (default: AWS). Credentials from the AWS environment.")
    URI endpoint;

    @Option(names = "--bucket", required = true, description = "A bucket to write test objects to (they are deleted afterwards).")
    String bucket;

    @Option(names = "--size", defaultValue = "1G", description = "File size (K, M, G). Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds, each timing both. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Override
    public Integer call() throws Exception {
        long bytes = WorkerCommand.bytes(size);
        S3Settings settings = new S3Settings(endpoint, System.getenv("AWS_REGION"), endpoint != null, null, null);
        Path dir = Files.createTempDirectory("spool-bench-storage");
        ExitCleanup.track(dir);
        try (S3ObjectStore spool = new S3ObjectStore(settings, TransferRetry.DEFAULT); S3Client sdk = sdkAlone(settings)) {
            Path file = randomFile(dir.resolve("upload.bin"), bytes);
            ObjectLocation spoolKey = new ObjectLocation(bucket, "spool-bench/spool.bin");
            String sdkKey = "spool-bench/sdk.bin";
            double bestSdkUp = Double.MAX_VALUE, bestSpoolUp = Double.MAX_VALUE, bestSdkDown = Double.MAX_VALUE, bestSpoolDown = Double.MAX_VALUE;
            for (int round = 1; round <= rounds; round++) {
                double sdkUp = time(() -> sdk.putObject(r -> r.bucket(bucket).key(sdkKey), RequestBody.fromFile(file)));
                double spoolUp = time(() -> spool.upload(file, spoolKey, TransferLog.NONE));
                Files.deleteIfExists(dir.resolve("sdk.bin"));
                Files.deleteIfExists(dir.resolve("spool.bin"));
                double sdkDown = time(() -> sdk.getObject(r -> r.bucket(bucket).key(sdkKey), dir.resolve("sdk.bin")));
                double spoolDown = time(() -> spool.download(spoolKey, dir.resolve("spool.bin"), TransferLog.NONE));
                System.out.printf(Locale.ROOT, "round %d: upload sdk %.2f s, spool %.2f s; download sdk %.2f s, spool %.2f s%n",
                        round, sdkUp, spoolUp, sdkDown, spoolDown);
                bestSdkUp = Math.min(bestSdkUp, sdkUp);
                bestSpoolUp = Math.min(bestSpoolUp, spoolUp);
                bestSdkDown = Math.min(bestSdkDown, sdkDown);
                bestSpoolDown = Math.min(bestSpoolDown, spoolDown);
            }
            double mib = bytes / (1024.0 * 1024);
            System.out.printf(Locale.ROOT, "upload:   sdk %.0f MiB/s, spool %.0f MiB/s, spool/sdk time %.3f%n",
                    mib / bestSdkUp, mib / bestSpoolUp, bestSpoolUp / bestSdkUp);
            System.out.printf(Locale.ROOT, "download: sdk %.0f MiB/s, spool %.0f MiB/s, spool/sdk time %.3f%n",
                    mib / bestSdkDown, mib / bestSpoolDown, bestSpoolDown / bestSdkDown);
            spool.delete(java.util.List.of(spoolKey, new ObjectLocation(bucket, sdkKey)));
        } finally {
            ExitCleanup.deleteQuietly(dir);
        }
        return 0;
    }

    /** The SDK as an application would use it alone: one PUT, one GET, its defaults otherwise. */
    private static S3Client sdkAlone(S3Settings settings) {
        var builder = S3Client.builder().region(Region.of(settings.region())).forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.endpoint() != null) builder.endpointOverride(settings.endpoint());
        return builder.build();
    }

    private static Path randomFile(Path file, long bytes) throws Exception {
        byte[] block = new byte[1 << 20];
        Random random = new Random(42);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return file;
    }

    private interface Work { void run() throws Exception; }

    private static double time(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }
}
