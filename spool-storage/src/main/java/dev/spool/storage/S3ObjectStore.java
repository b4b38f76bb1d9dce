package dev.spool.storage;

import dev.spool.model.storage.ObjectLocation;
import dev.spool.model.SpoolError;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * The ObjectStore on any S3-compatible service through the AWS SDK. The SDK's own retries are
 * off: {@link #retrying} does them, with longer backoff (it must outlast a restarting server),
 * resuming where the last attempt stopped, and a note of each attempt for the job's history.
 */
public final class S3ObjectStore implements ObjectStore {
    /** Files above one part's size are uploaded in parts ({@link S3Multipart}). */
    static final int PART_BYTES = S3Multipart.PART_BYTES;

    private final S3Client s3;
    private final S3Calls calls;
    private final TransferStall stall;
    private final S3Multipart multipart;
    private volatile boolean multiDelete = true;

    public S3ObjectStore(S3Settings settings, TransferRetry retry) {
        this.calls = new S3Calls(retry);
        this.stall = retry.stall();
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials(settings))
                // S3-compatible stores vary in the newer checksum headers; integrity is checked with Content-MD5 instead
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // operations that must carry a checksum (DeleteObjects) send Content-MD5, which every S3-compatible store reads
                .addPlugin(software.amazon.awssdk.services.s3.LegacyMd5Plugin.create())
                // a read that delivers nothing for the stall rule's idle time fails its attempt (and is retried);
                // a request that trickles is ended by the attempt timeout, a download that trickles by its meter
                .httpClientBuilder(Apache5HttpClient.builder().socketTimeout(retry.stall().idle())
                        .connectionTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofMinutes(5)));
        if (settings.endpoint() != null) builder.endpointOverride(settings.endpoint());
        this.s3 = builder.build();
        this.multipart = new S3Multipart(s3, calls);
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
        return calls.reading("look up " + object, TransferLog.NONE, () -> {
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
        return calls.reading("look up " + object, TransferLog.NONE, () -> {
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
        MessageDigest md5 = Md5.create();
        calls.reading("download " + object, log, () -> {
            TransferMeter meter = stall.meter();
            long have = Files.exists(to) ? Files.size(to) : 0;
            md5.reset();
            if (have > 0 && checkMd5) Md5.feed(md5, to, have);
            if (have > 0 && have < total) log.note("download of " + object + " resumes at byte " + have + " of " + total);
            if (have < total) {
                try (ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(object.bucket()).key(object.key())
                        .range("bytes=" + have + "-").ifMatch(etag));
                     OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    byte[] buffer = new byte[1 << 20];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        out.write(buffer, 0, n);
                        if (checkMd5) md5.update(buffer, 0, n);
                        meter.moved(n);
                        // each read returns within the socket timeout, so a trickle is caught here
                        var stalled = meter.stalled();
                        if (stalled.isPresent()) throw new IOException(stalled.get());
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

    @Override
    public void upload(Path from, ObjectLocation object, TransferLog log) {
        long size;
        try {
            size = Files.size(from);
        } catch (IOException e) {
            throw SpoolError.output(from.toString(), "cannot be read: " + e.getMessage());
        }
        if (size <= PART_BYTES) {
            String md5 = Md5.base64(Md5.of(from));
            calls.writing("upload " + object, log, () -> s3.putObject(r -> r.bucket(object.bucket()).key(object.key()).contentMD5(md5)
                    .contentLength(size), RequestBody.fromFile(from)));
        } else {
            multipart.upload(from, size, object, log);
        }
        long stored = size(object);
        if (stored != size) throw SpoolError.storage(object + ": uploaded " + size + " bytes, the store holds " + stored);
    }

    @Override
    public void put(ObjectLocation object, byte[] content) {
        String md5 = Md5.base64(Md5.of(content));
        calls.writing("write " + object, TransferLog.NONE, () -> s3.putObject(r -> r.bucket(object.bucket()).key(object.key())
                .contentMD5(md5), RequestBody.fromBytes(content)));
    }

    @Override
    public List<ObjectLocation> list(ObjectLocation prefix) {
        String p = prefix.key().isEmpty() ? "" : prefix.key() + "/";
        return calls.reading("list " + prefix, TransferLog.NONE, () -> {
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
            boolean done = calls.writing("delete " + batch.size() + " objects in " + bucket, TransferLog.NONE, () -> {
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
            calls.writing("delete " + o, TransferLog.NONE, () -> s3.deleteObject(r -> r.bucket(o.bucket()).key(o.key())));
    }

    @Override
    public void close() {
        s3.close();
    }
}
