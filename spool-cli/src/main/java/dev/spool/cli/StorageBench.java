package dev.spool.cli;

import dev.spool.media.ffmpeg.ExitCleanup;
import dev.spool.model.storage.ObjectLocation;
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
 * alone (one PUT, one GET), on the same store. The variants alternate round by round (see
 * {@link Rounds}); each ratio is taken within a round and summarised by its median and spread.
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

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds, each timing every variant, in alternating order. Default: ${DEFAULT-VALUE}.")
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
            Path sdkFile = dir.resolve("sdk.bin");
            Path spoolFile = dir.resolve("spool.bin");
            // Round 1 runs in this order, so every object exists before it is read; later rounds
            // (some reversed) read what the round before wrote. The single PUT's ETag is an MD5,
            // which Spool checks as it reads; the multipart one's is not, and Spool checks its size only.
            Rounds.Result r = new Rounds(rounds)
                    .variant(SDK_PUT, Rounds.timed(() -> sdk.putObject(q -> q.bucket(bucket).key(sdkKey), RequestBody.fromFile(file))))
                    .variant(SDK_PARTS, Rounds.timed(() -> multipart(sdk, file, bytes, sdkKey + ".parts", false)))
                    .variant(SDK_PARTS_MD5, Rounds.timed(() -> multipart(sdk, file, bytes, sdkKey + ".parts", true)))
                    .variant(SPOOL_UP, Rounds.timed(() -> spool.upload(file, spoolKey, TransferLog.NONE)))
                    .variant(SDK_GET, Rounds.timed(() -> {
                        Files.deleteIfExists(sdkFile);
                        sdk.getObject(q -> q.bucket(bucket).key(sdkKey), sdkFile);
                    }))
                    .variant(SPOOL_GET, Rounds.timed(() -> {
                        Files.deleteIfExists(spoolFile);
                        spool.download(new ObjectLocation(bucket, sdkKey), spoolFile, TransferLog.NONE);
                    }))
                    .variant(SDK_GET_PARTS, Rounds.timed(() -> {
                        Files.deleteIfExists(sdkFile);
                        sdk.getObject(q -> q.bucket(bucket).key(spoolKey.key()), sdkFile);
                    }))
                    .variant(SPOOL_GET_PARTS, Rounds.timed(() -> {
                        Files.deleteIfExists(spoolFile);
                        spool.download(spoolKey, spoolFile, TransferLog.NONE);
                    }))
                    .run(System.out);
            double mib = bytes / (1024.0 * 1024);
            System.out.printf(Locale.ROOT, "%nmedian (min-max) over rounds%n");
            for (String variant : r.runs().keySet())
                System.out.printf(Locale.ROOT, "%-40s %s MiB/s%n", variant, Rounds.Spread.of(r.values(variant, Rounds.WALL).stream()
                        .map(sec -> mib / sec).toList()).format("%.0f"));
            System.out.printf(Locale.ROOT, "upload, spool/sdk time:   %s (one PUT), %s (same multipart), %s (multipart with Content-MD5 as Spool sends it)%n",
                    ratio(r, SPOOL_UP, SDK_PUT), ratio(r, SPOOL_UP, SDK_PARTS), ratio(r, SPOOL_UP, SDK_PARTS_MD5));
            System.out.printf(Locale.ROOT, "download, spool/sdk time: %s (MD5 checked), %s (size checked)%n",
                    ratio(r, SPOOL_GET, SDK_GET), ratio(r, SPOOL_GET_PARTS, SDK_GET_PARTS));
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

    private static final String SDK_PUT = "upload: sdk one PUT";
    private static final String SDK_PARTS = "upload: sdk multipart";
    private static final String SDK_PARTS_MD5 = "upload: sdk multipart with Content-MD5";
    private static final String SPOOL_UP = "upload: spool";
    private static final String SDK_GET = "download, MD5 checked: sdk";
    private static final String SPOOL_GET = "download, MD5 checked: spool";
    private static final String SDK_GET_PARTS = "download, size checked: sdk";
    private static final String SPOOL_GET_PARTS = "download, size checked: spool";

    private static String ratio(Rounds.Result r, String a, String b) {
        return Rounds.Spread.of(r.ratios(a, b, Rounds.WALL)).format("%.3f");
    }
}
