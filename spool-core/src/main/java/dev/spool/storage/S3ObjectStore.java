package dev.spool.storage;

import dev.spool.job.SpoolError;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The ObjectStore on any S3-compatible service through the AWS SDK. The SDK's own retries are
 * off: {@link #retrying} does them, with longer backoff (it must outlast a restarting server),
 * resuming where the last attempt stopped, and a note of each attempt for the job's history.
 */
public final class S3ObjectStore implements ObjectStore {
    /** Parts of a multipart upload; files above one part's size are uploaded in parts. */
    static final int PART_BYTES = 16 << 20;
    private static final int MAX_PARTS = 10_000;
    private static final int PARTS_IN_FLIGHT = 4;

    private final S3Client s3;
    private final TransferRetry retry;
    private volatile boolean multiDelete = true;

    public S3ObjectStore(S3Settings settings, TransferRetry retry) {
        this.retry = retry;
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials(settings))
                // S3-compatible stores vary in the newer checksum headers; integrity is checked with Content-MD5 instead
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // operations that must carry a checksum (DeleteObjects) send Content-MD5, which every S3-compatible store reads
                .addPlugin(software.amazon.awssdk.services.s3.LegacyMd5Plugin.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofMinutes(5)));
        if (settings.endpoint() != null) builder.endpointOverride(settings.endpoint());
        this.s3 = builder.build();
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (settings.accessKey() != null)
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        if (settings.profile() != null)
            return software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider.create(settings.profile());
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public long size(ObjectLocation object) {
        return head(object).contentLength();
    }

    @Override
    public boolean exists(ObjectLocation object) {
        return retrying("look up " + object, TransferLog.NONE, () -> {
            try {
                s3.headObject(r -> r.bucket(object.bucket()).key(object.key()));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    requireBucket(object);
                    return false;
                }
                throw e;
            }
        });
    }

    private HeadObjectResponse head(ObjectLocation object) {
        return retrying("look up " + object, TransferLog.NONE, () -> {
            try {
                return s3.headObject(r -> r.bucket(object.bucket()).key(object.key()));
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    requireBucket(object);
                    throw SpoolError.input(object.toString(), "does not exist");
                }
                throw e;
            }
        });
    }

    /** A 404 on an object: is it the object, or the whole bucket, that is missing? */
    private void requireBucket(ObjectLocation object) {
        try {
            s3.headBucket(r -> r.bucket(object.bucket()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) throw SpoolError.input(object.toString(), "cannot be read: bucket " + object.bucket() + " does not exist");
            throw e;
        }
    }

    @Override
    public void download(ObjectLocation object, Path to, TransferLog log) {
        HeadObjectResponse head = head(object);
        long total = head.contentLength();
        String etag = head.eTag();
        PartialFile.keepIfSameVersion(to, etag);
        // a single-part object's ETag is its MD5: taken as the bytes arrive (and over what a resumed file
        // already held), not in a second pass; a multipart one's ("...-N") is not, and only the size is checked
        boolean checkMd5 = etag != null && etag.replace("\"", "").matches("[0-9a-fA-F]{32}");
        MessageDigest md5 = newMd5();
        retrying("download " + object, log, () -> {
            long have = Files.exists(to) ? Files.size(to) : 0;
            md5.reset();
            if (have > 0 && checkMd5) feed(md5, to, have);
            if (have > 0 && have < total) log.note("download of " + object + " resumes at byte " + have + " of " + total);
            if (have < total) {
                try (ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(object.bucket()).key(object.key())
                        .range("bytes=" + have + "-").ifMatch(etag));
                     OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    byte[] buffer = new byte[1 << 20];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        out.write(buffer, 0, n);
                        if (checkMd5) md5.update(buffer, 0, n);
                    }
                }
            } else if (!Files.exists(to)) {
                Files.createFile(to);   // an empty object
            }
            return null;
        });
        verifyDownload(object, to, total, etag, md5.digest());
        PartialFile.finished(to);
    }

    private static void verifyDownload(ObjectLocation object, Path to, long total, String etag, byte[] got) {
        try {
            long size = Files.size(to);
            if (size != total) throw SpoolError.storage(object + ": downloaded " + size + " bytes, the store holds " + total);
            String md5 = etag == null ? "" : etag.replace("\"", "");
            if (md5.matches("[0-9a-fA-F]{32}") && !md5.equalsIgnoreCase(HexFormat.of().formatHex(got))) {
                Files.deleteIfExists(to);
                throw SpoolError.storage(object + ": the downloaded bytes do not match the store's MD5; deleted, retry");
            }
        } catch (IOException e) {
            throw SpoolError.output(to.toString(), "cannot be read back: " + e.getMessage());
        }
    }

    /** Feeds the first {@code length} bytes of a file (what a resumed download already holds) to a digest. */
    private static void feed(MessageDigest md5, Path file, long length) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (long left = length; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) break;
                md5.update(buffer, 0, n);
                left -= n;
            }
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    @Override
    public void upload(Path from, ObjectLocation object, TransferLog log) {
        long size;
        try {
            size = Files.size(from);
        } catch (IOException e) {
            throw SpoolError.output(from.toString(), "cannot be read: " + e.getMessage());
        }
        if (size <= PART_BYTES) {
            String md5 = Base64.getEncoder().encodeToString(md5(from, 0, size));
            retrying("upload " + object, log, () -> s3.putObject(r -> r.bucket(object.bucket()).key(object.key()).contentMD5(md5)
                    .contentLength(size), RequestBody.fromFile(from)));
        } else {
            try {
                uploadInParts(from, size, object, log);
            } catch (PartsRefused e) {
                // a store that lost track of the parts (killed while writing one) will not assemble them: start over once
                log.note(e.getMessage() + "; uploading " + object + " again from its first part");
                try {
                    uploadInParts(from, size, object, log);
                } catch (PartsRefused again) {
                    throw SpoolError.storage(again.getMessage());
                }
            }
        }
        long stored = size(object);
        if (stored != size) throw SpoolError.storage(object + ": uploaded " + size + " bytes, the store holds " + stored);
    }

    /** A multipart upload: each part sent with its MD5 and retried alone; aborted if any part gives up. */
    private void uploadInParts(Path from, long size, ObjectLocation object, TransferLog log) {
        long partBytes = Math.max(PART_BYTES, (size + MAX_PARTS - 1) / MAX_PARTS);
        int count = (int) ((size + partBytes - 1) / partBytes);
        String uploadId = retrying("start upload of " + object, log,
                () -> s3.createMultipartUpload(r -> r.bucket(object.bucket()).key(object.key())).uploadId());
        // a few parts in flight at once, as every S3 uploader does: one connection rarely fills the link
        ExecutorService senders = Executors.newFixedThreadPool(Math.min(PARTS_IN_FLIGHT, count),
                Thread.ofPlatform().name("s3-part-", 0).daemon(true).factory());
        List<Future<CompletedPart>> sent = new ArrayList<>();
        try (FileChannel file = FileChannel.open(from, StandardOpenOption.READ)) {
            for (int i = 0; i < count; i++) {
                int part = i + 1;
                long offset = i * partBytes;
                int length = (int) Math.min(partBytes, size - offset);
                sent.add(senders.submit(() -> uploadPart(file, offset, length, part, uploadId, object, log)));
            }
            List<CompletedPart> parts = new ArrayList<>();
            for (Future<CompletedPart> f : sent) parts.add(await(f));
            try {
                retrying("complete upload of " + object, log, () -> s3.completeMultipartUpload(r -> r.bucket(object.bucket())
                        .key(object.key()).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
            } catch (SpoolError e) {
                if (e.code() == SpoolError.Code.INTERRUPTED) throw e;
                throw new PartsRefused(e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            sent.forEach(f -> f.cancel(true));
            senders.shutdownNow();
            try {
                senders.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
            // the abort must go out even when the task was stopped (interrupted): the store keeps parts until then
            boolean interrupted = Thread.interrupted();
            abort(object, uploadId);
            if (interrupted) Thread.currentThread().interrupt();
            if (e instanceof IOException io) throw SpoolError.output(from.toString(), "cannot be read: " + io.getMessage());
            throw (RuntimeException) e;
        } finally {
            senders.shutdownNow();
        }
    }

    /** One part: read from its offset, sent with its MD5, retried alone. */
    private CompletedPart uploadPart(FileChannel file, long offset, int length, int part, String uploadId, ObjectLocation object,
                                     TransferLog log) throws IOException {
        byte[] bytes = new byte[length];
        readFully(file, offset, bytes);
        String md5 = Base64.getEncoder().encodeToString(digest(bytes));
        String etag = retrying("upload part " + part + " of " + object, log, () -> s3.uploadPart(r -> r.bucket(object.bucket())
                .key(object.key()).uploadId(uploadId).partNumber(part).contentMD5(md5).contentLength((long) length),
                RequestBody.fromBytes(bytes)).eTag());
        return CompletedPart.builder().partNumber(part).eTag(etag).build();
    }

    private static CompletedPart await(Future<CompletedPart> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpoolError.interrupted("stopped during an upload");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The store would not assemble a multipart upload's parts. */
    private static final class PartsRefused extends RuntimeException {
        PartsRefused(String message) {
            super(message, null, false, false);
        }
    }

    private void abort(ObjectLocation object, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(object.bucket()).key(object.key()).uploadId(uploadId));
        } catch (RuntimeException ignored) {
            // the store expires abandoned uploads by its lifecycle rules; nothing was made visible
        }
    }

    @Override
    public void put(ObjectLocation object, byte[] content) {
        String md5 = Base64.getEncoder().encodeToString(digest(content));
        retrying("write " + object, TransferLog.NONE, () -> s3.putObject(r -> r.bucket(object.bucket()).key(object.key())
                .contentMD5(md5), RequestBody.fromBytes(content)));
    }

    @Override
    public List<ObjectLocation> list(ObjectLocation prefix) {
        String p = prefix.key().isEmpty() ? "" : prefix.key() + "/";
        return retrying("list " + prefix, TransferLog.NONE, () -> {
            List<ObjectLocation> found = new ArrayList<>();
            try {
                for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(prefix.bucket()).prefix(p)).contents())
                    if (!o.key().endsWith("/")) found.add(new ObjectLocation(prefix.bucket(), o.key()));   // "folder" markers hold nothing
            } catch (S3Exception e) {
                if (e.statusCode() == 404) throw SpoolError.input(prefix.toString(), "cannot be listed: bucket " + prefix.bucket() + " does not exist");
                throw e;
            }
            return found;
        });
    }

    @Override
    public void delete(Collection<ObjectLocation> objects) {
        var byBucket = objects.stream().collect(java.util.stream.Collectors.groupingBy(ObjectLocation::bucket));
        byBucket.forEach((bucket, keys) -> {
            for (int from = 0; from < keys.size(); from += 1000) deleteBatch(bucket, keys.subList(from, Math.min(keys.size(), from + 1000)));
        });
    }

    private void deleteBatch(String bucket, List<ObjectLocation> batch) {
        if (multiDelete) {
            List<ObjectIdentifier> ids = batch.stream().map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            boolean done = retrying("delete " + batch.size() + " objects in " + bucket, TransferLog.NONE, () -> {
                try {
                    var reply = s3.deleteObjects(r -> r.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build()));
                    if (reply.hasErrors() && !reply.errors().isEmpty())
                        throw SpoolError.storage("cannot delete s3://" + bucket + "/" + reply.errors().get(0).key() + ": "
                                + reply.errors().get(0).code() + " (and " + (reply.errors().size() - 1) + " more)");
                    return true;
                } catch (S3Exception e) {
                    if (e.statusCode() != 501) throw e;
                    multiDelete = false;   // a store without multi-object delete (S3Proxy, GCS's S3 API): one by one
                    return false;
                }
            });
            if (done) return;
        }
        for (ObjectLocation o : batch)
            retrying("delete " + o, TransferLog.NONE, () -> s3.deleteObject(r -> r.bucket(o.bucket()).key(o.key())));
    }

    /**
     * Runs one call, again after a failure that may pass (a connection refused or cut, a timeout, a
     * 5xx, throttling) with backoff, each failure noted; a failure that will not pass (404, 403, a
     * bad request) is turned into a SpoolError at once.
     */
    <T> T retrying(String what, TransferLog log, Callable<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (SpoolError e) {
                throw e;
            } catch (S3Exception e) {
                if (!mayPass(e)) throw refused(what, e);
                if (attempt >= retry.attempts()) throw SpoolError.storage("cannot " + what + ": " + reason(e) + " (after " + attempt + " attempts)");
                pause(what, attempt, reason(e), log);
            } catch (SdkClientException | IOException | UncheckedIOException e) {
                if (Thread.currentThread().isInterrupted()) throw SpoolError.interrupted("stopped during " + what);
                if (reason(e).contains("Unable to load credentials"))
                    throw SpoolError.environment("cannot " + what + ": no S3 credentials (set AWS_ACCESS_KEY_ID and "
                            + "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)");
                if (attempt >= retry.attempts()) throw SpoolError.storage("cannot " + what + ": " + reason(e) + " (after " + attempt + " attempts)");
                pause(what, attempt, reason(e), log);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void pause(String what, int attempt, String reason, TransferLog log) {
        Duration delay = retry.delayBefore(attempt);
        log.note(what + ": attempt " + attempt + " failed (" + reason + "); retrying in " + delay.toMillis() + " ms");
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpoolError.interrupted("stopped while waiting to retry " + what);
        }
    }

    private static boolean mayPass(S3Exception e) {
        return (e.statusCode() >= 500 && e.statusCode() != 501) || e.statusCode() == 408 || e.statusCode() == 429;
    }

    /** 403, 404, 400...: retrying cannot help; the message names the object and the reason. */
    private static SpoolError refused(String what, S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String why = switch (e.statusCode()) {
            case 403 -> "access denied (check the credentials and the bucket's policy)";
            case 404 -> "NoSuchBucket".equals(code) ? "the bucket does not exist" : "it does not exist";
            case 412 -> "the object changed while it was being read";
            default -> e.statusCode() + " " + (code != null ? code : reason(e));
        };
        // what a worker reads is its input; what it writes (upload, write, delete) is its output
        boolean writing = what.startsWith("upload") || what.startsWith("write") || what.startsWith("delete")
                || what.startsWith("start upload") || what.startsWith("complete upload");
        SpoolError.Code fault = e.statusCode() == 412 ? SpoolError.Code.STORAGE
                : writing ? SpoolError.Code.OUTPUT_UNWRITABLE : SpoolError.Code.INPUT_UNREADABLE;
        return new SpoolError(fault, null, "cannot " + what + ": " + why);
    }

    private static String reason(Exception e) {
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null && s3.awsErrorDetails().errorCode() != null)
            return s3.statusCode() + " " + s3.awsErrorDetails().errorCode();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }

    private static void readFully(FileChannel file, long offset, byte[] into) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, offset + buffer.position()) < 0) throw new IOException("file shrank while it was uploaded");
        }
    }

    private static byte[] md5(Path file, long offset, long length) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            in.skipNBytes(offset);
            byte[] buffer = new byte[1 << 16];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) break;
                md5.update(buffer, 0, n);
                left -= n;
            }
            return md5.digest();
        } catch (IOException e) {
            throw SpoolError.output(file.toString(), "cannot be read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
