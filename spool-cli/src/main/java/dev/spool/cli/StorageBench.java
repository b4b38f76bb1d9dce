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
            double bestSdkParts = Double.MAX_VALUE, bestSdkDownParts = Double.MAX_VALUE, bestSpoolDownParts = Double.MAX_VALUE;
            double bestSdkPartsMd5 = Double.MAX_VALUE;
            for (int round = 1; round <= rounds; round++) {
                double sdkUp = time(() -> sdk.putObject(r -> r.bucket(bucket).key(sdkKey), RequestBody.fromFile(file)));
                double sdkParts = time(() -> multipart(sdk, file, bytes, sdkKey + ".parts", false));
                double sdkPartsMd5 = time(() -> multipart(sdk, file, bytes, sdkKey + ".parts", true));
                bestSdkPartsMd5 = Math.min(bestSdkPartsMd5, sdkPartsMd5);
                double spoolUp = time(() -> spool.upload(file, spoolKey, TransferLog.NONE));
                System.out.printf(Locale.ROOT, "round %d: sdk multipart upload %.2f s%n", round, sdkParts);
                bestSdkParts = Math.min(bestSdkParts, sdkParts);
                Files.deleteIfExists(dir.resolve("sdk.bin"));
                Files.deleteIfExists(dir.resolve("spool.bin"));
                // downloads of the same objects by both: the single PUT's ETag is an MD5, which Spool checks as
                // it reads; the multipart one's is not, and Spool checks its size only
                double sdkDown = time(() -> sdk.getObject(r -> r.bucket(bucket).key(sdkKey), dir.resolve("sdk.bin")));
                double spoolDown = time(() -> spool.download(new ObjectLocation(bucket, sdkKey), dir.resolve("spool.bin"), TransferLog.NONE));
                Files.delete(dir.resolve("sdk.bin"));
                Files.delete(dir.resolve("spool.bin"));
                double sdkDownParts = time(() -> sdk.getObject(r -> r.bucket(bucket).key(spoolKey.key()), dir.resolve("sdk.bin")));
                double spoolDownParts = time(() -> spool.download(spoolKey, dir.resolve("spool.bin"), TransferLog.NONE));
                System.out.printf(Locale.ROOT, "round %d: upload sdk %.2f s, spool %.2f s; download (MD5 checked) sdk %.2f s, spool %.2f s; "
                        + "download (size checked) sdk %.2f s, spool %.2f s%n", round, sdkUp, spoolUp, sdkDown, spoolDown, sdkDownParts, spoolDownParts);
                bestSdkDownParts = Math.min(bestSdkDownParts, sdkDownParts);
                bestSpoolDownParts = Math.min(bestSpoolDownParts, spoolDownParts);
                bestSdkUp = Math.min(bestSdkUp, sdkUp);
                bestSpoolUp = Math.min(bestSpoolUp, spoolUp);
                bestSdkDown = Math.min(bestSdkDown, sdkDown);
                bestSpoolDown = Math.min(bestSpoolDown, spoolDown);
            }
            double mib = bytes / (1024.0 * 1024);
            System.out.printf(Locale.ROOT, "upload:   sdk one PUT %.0f MiB/s, sdk multipart %.0f MiB/s, spool %.0f MiB/s; "
                    + "spool/sdk time %.3f (one PUT), %.3f (same multipart)%n", mib / bestSdkUp, mib / bestSdkParts, mib / bestSpoolUp,
                    bestSpoolUp / bestSdkUp, bestSpoolUp / bestSdkParts);
            System.out.printf(Locale.ROOT, "upload:   sdk multipart with Content-MD5 as Spool sends it %.0f MiB/s; spool/sdk time %.3f%n",
                    mib / bestSdkPartsMd5, bestSpoolUp / bestSdkPartsMd5);
            System.out.printf(Locale.ROOT, "download, MD5 checked:  sdk %.0f MiB/s, spool %.0f MiB/s, spool/sdk time %.3f%n",
                    mib / bestSdkDown, mib / bestSpoolDown, bestSpoolDown / bestSdkDown);
            System.out.printf(Locale.ROOT, "download, size checked: sdk %.0f MiB/s, spool %.0f MiB/s, spool/sdk time %.3f%n",
                    mib / bestSdkDownParts, mib / bestSpoolDownParts, bestSpoolDownParts / bestSdkDownParts);
            spool.delete(java.util.List.of(spoolKey, new ObjectLocation(bucket, sdkKey), new ObjectLocation(bucket, sdkKey + ".parts")));
        } finally {
            ExitCleanup.deleteQuietly(dir);
        }
        return 0;
    }

    /**
     * The SDK alone doing what Spool's layer does: the same part size, the same number of parts in
     * flight, no retries, no read-back; with or without the per-part Content-MD5 Spool sends.
     */
    private void multipart(S3Client sdk, Path file, long size, String key, boolean withMd5) throws Exception {
        String uploadId = sdk.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        int count = (int) ((size + PART - 1) / PART);
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(4);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            java.util.List<java.util.concurrent.Future<software.amazon.awssdk.services.s3.model.CompletedPart>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                int part = i + 1;
                long offset = (long) i * PART;
                int length = (int) Math.min(PART, size - offset);
                sent.add(senders.submit(() -> {
                    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(length);
                    while (buffer.hasRemaining()) channel.read(buffer, offset + buffer.position());
                    String md5 = withMd5 ? java.util.Base64.getEncoder().encodeToString(
                            java.security.MessageDigest.getInstance("MD5").digest(buffer.array())) : null;
                    String etag = sdk.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(part)
                            .contentLength((long) length).contentMD5(md5), RequestBody.fromBytes(buffer.array())).eTag();
                    return software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(part).eTag(etag).build();
                }));
            }
            java.util.List<software.amazon.awssdk.services.s3.model.CompletedPart> parts = new java.util.ArrayList<>();
            for (var f : sent) parts.add(f.get());
            sdk.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        } finally {
            senders.shutdownNow();
        }
    }

    private static final int PART = 16 << 20;

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
