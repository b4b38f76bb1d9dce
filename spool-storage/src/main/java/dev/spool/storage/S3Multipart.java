package dev.spool.storage;

import dev.spool.model.storage.ObjectLocation;
import dev.spool.model.SpoolError;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A large file into S3 in parts: four in flight, each read from its offset, sent with its MD5 and
 * retried alone; aborted (even when the task was stopped) if any part gives up; started over once
 * if the store will not assemble the parts (a store killed while writing one may have lost track).
 */
final class S3Multipart {
    /** Parts of a multipart upload; files above one part's size are uploaded in parts. */
    static final int PART_BYTES = 16 << 20;
    private static final int MAX_PARTS = 10_000;
    private static final int PARTS_IN_FLIGHT = 4;

    private final S3Client s3;
    private final S3Calls calls;

    S3Multipart(S3Client s3, S3Calls calls) {
        this.s3 = s3;
        this.calls = calls;
    }

    void upload(Path from, long size, ObjectLocation object, TransferLog log) {
        try {
            uploadInParts(from, size, object, log);
        } catch (PartsRefused e) {
            log.note(e.getMessage() + "; uploading " + object + " again from its first part");
            try {
                uploadInParts(from, size, object, log);
            } catch (PartsRefused again) {
                throw SpoolError.storage(again.getMessage());
            }
        }
    }

    /** A multipart upload: each part sent with its MD5 and retried alone; aborted if any part gives up. */
    private void uploadInParts(Path from, long size, ObjectLocation object, TransferLog log) {
        long partBytes = Math.max(PART_BYTES, (size + MAX_PARTS - 1) / MAX_PARTS);
        int count = (int) ((size + partBytes - 1) / partBytes);
        String uploadId = calls.writing("start upload of " + object, log,
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
                calls.writing("complete upload of " + object, log, () -> s3.completeMultipartUpload(r -> r.bucket(object.bucket())
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
        String md5 = Md5.base64(Md5.of(bytes));
        String etag = calls.writing("upload part " + part + " of " + object, log, () -> s3.uploadPart(r -> r.bucket(object.bucket())
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

    private static void readFully(FileChannel file, long offset, byte[] into) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, offset + buffer.position()) < 0) throw new IOException("file shrank while it was uploaded");
        }
    }

}
