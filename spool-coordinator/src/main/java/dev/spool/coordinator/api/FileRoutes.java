package dev.spool.coordinator.api;

import dev.spool.model.protocol.Replies;
import dev.spool.model.protocol.Api;
import dev.spool.coordinator.files.FileStore;
import dev.spool.model.job.JobRecord;
import dev.spool.model.SpoolError;
import dev.spool.model.storage.ObjectLocation;
import dev.spool.coordinator.queue.Job;
import dev.spool.coordinator.queue.JobQueue;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * The coordinator's own storage ({@code spool://} locations), for machines with no shared disk:
 * clients upload inputs and fetch results with the client token; a worker, with its credential,
 * reads the input of a job whose task it holds and reads and writes that job's output and pieces,
 * and nothing else. GET honours {@code Range} and {@code If-Range}, so downloads resume.
 */
final class FileRoutes {
    private final JobQueue queue;
    private final FileStore files;
    private final Limits limits;

    FileRoutes(JobQueue queue, FileStore files, Limits limits) {
        this.queue = queue;
        this.files = files;
        this.limits = limits;
    }

    /** The upload cap as the 413 names it: "64G (--max-upload-bytes)". */
    static String uploadLimitName(Limits limits) {
        return Limits.size(limits.maxUploadBytes()) + " (--max-upload-bytes)";
    }

    void register(Javalin app) {
        app.get(Api.FILES, this::list, Role.FILES_READ);
        app.head(Api.FILE, ctx -> serve(ctx, false), Role.FILES_READ);
        app.get(Api.FILE, ctx -> serve(ctx, true), Role.FILES_READ);
        app.put(Api.FILE, this::put, Role.FILES_WRITE);
        app.delete(Api.FILE, this::delete, Role.FILES_WRITE);
    }

    /** The files routes (uploads are not held to the JSON body limit). */
    static boolean isFilesRoute(String path) {
        return path.equals(Api.FILES) || path.startsWith(Api.FILES + "/");
    }

    private void serve(Context ctx, boolean body) throws IOException {
        String key = ctx.pathParam("key");
        requireAccess(ctx, key, false);
        // the file is opened first and everything said about it comes from the open file: a new version
        // renamed into place meanwhile is not mixed into this answer
        FileStore.Opened file = files.open(key)
                .orElseThrow(() -> new SpoolError(SpoolError.Code.NOT_FOUND, "key", "no file spool://" + key));
        FileChannel channel = file.channel();
        long size = channel.size();
        long from = 0;
        String range = ctx.header("Range");
        String ifRange = ctx.header("If-Range");
        if (range != null && range.matches("bytes=\\d{1,18}-") && (ifRange == null || ifRange.equals(file.etag()))) {
            from = Long.parseLong(range.substring(6, range.length() - 1));
            if (from >= size && size > 0) {
                channel.close();
                ctx.status(416).header("Content-Range", "bytes */" + size);
                return;
            }
        }
        ctx.disableCompression();   // the length below is the file's: no gzip on top of it
        ctx.contentType("application/octet-stream");
        ctx.header("ETag", file.etag()).header("Accept-Ranges", "bytes").header("Content-Length", Long.toString(size - from));
        if (from > 0) ctx.status(206).header("Content-Range", "bytes " + from + "-" + (size - 1) + "/" + size);
        if (!body) {
            channel.close();
            return;
        }
        InputStream in = Channels.newInputStream(channel.position(from));
        ctx.result(in);   // Javalin streams it and closes it
    }

    private void put(Context ctx) {
        String key = ctx.pathParam("key");
        requireAccess(ctx, key, true);
        // counted while it streams: a chunked upload passing the cap stops there, and the store drops the partial file
        CappedInput body = new CappedInput(ctx.bodyInputStream(), limits.maxUploadBytes(), uploadLimitName(limits),
                ctx.attribute(RateLimiter.METER));
        long size = files.put(key, body, ctx.header("Content-MD5"));
        ctx.status(201).json(new Replies.StoredFile(key, size, "spool://" + key));
    }

    private void delete(Context ctx) {
        String key = ctx.pathParam("key");
        requireAccess(ctx, key, true);
        files.delete(key);
        ctx.status(204);
    }

    private void list(Context ctx) {
        String prefix = Optional.ofNullable(ctx.queryParam("prefix")).orElse("");
        requireAccess(ctx, prefix, false);
        ctx.json(new Replies.FileList(files.list(prefix)));
    }

    /**
     * A client may touch everything. A worker only what its leased jobs name: their input (read),
     * their output and its pieces (read and write). The join token never gets here ({@link Role#FILES_READ}, {@link Role#FILES_WRITE}): it is shared.
     */
    private void requireAccess(Context ctx, String key, boolean write) {
        Caller caller = ctx.attribute(Caller.ATTRIBUTE);
        if (!caller.isWorker()) return;
        for (Job job : queue.leasedJobs(caller.workerId())) {
            JobRecord spec = job.spec();
            Optional<ObjectLocation> output = ObjectLocation.parse(spec.output()).filter(ObjectLocation::onCoordinator);
            if (output.isPresent()) {
                ObjectLocation pieces = output.get().parent().child("." + output.get().name() + ".spool-pieces-" + job.id());
                if (under(key, output.get().key()) || under(key, pieces.key())) return;
            }
            boolean input = ObjectLocation.parse(spec.input()).filter(ObjectLocation::onCoordinator)
                    .map(in -> in.key().equals(key)).orElse(false);
            if (input && !write) return;
        }
        throw new SpoolError(SpoolError.Code.FORBIDDEN, "key", "worker " + caller.workerId() + " holds no task whose job "
                + (write ? "writes" : "reads") + " spool://" + key);
    }

    /** Whether {@code key} is {@code prefix} or inside it; an empty prefix (the whole queue) grants nothing. */
    private static boolean under(String key, String prefix) {
        return !prefix.isEmpty() && (key.equals(prefix) || key.startsWith(prefix + "/"));
    }
}
