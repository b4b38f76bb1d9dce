package dev.spool.coordinator.api;

import dev.spool.coordinator.files.FileStore;
import dev.spool.coordinator.queue.Job;
import dev.spool.coordinator.queue.JobQueue;
import dev.spool.model.SpoolError;
import dev.spool.model.job.JobState;
import dev.spool.model.protocol.Api;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A completed job's output, served for the dashboard's player: GET /api/v1/jobs/{id}/output/PATH.
 * Only a file under the job's output directory, only media and playlist types, only when the
 * coordinator can reach it: a {@code spool://} output from its own FileStore, a local one under a
 * {@code --serve-outputs} directory (no symlink leads out of it). Anything else is a 400 or a 404.
 */
final class OutputRoutes {
    /** What a player fetches, by extension, with the type it needs. */
    static final Map<String, String> TYPES = Map.of(
            "m3u8", "application/vnd.apple.mpegurl",
            "mp4", "video/mp4",
            "m4s", "video/iso.segment",
            "m4a", "audio/mp4",
            "ts", "video/mp2t",
            "vtt", "text/vtt",
            "jpg", "image/jpeg",
            "jpeg", "image/jpeg");
    private static final String SPOOL = "spool://";

    private final JobQueue queue;
    private final FileStore files;
    private final List<Path> roots;

    OutputRoutes(JobQueue queue, FileStore files, List<Path> roots) {
        this.queue = queue;
        this.files = files;
        this.roots = roots.stream().map(OutputRoutes::real).toList();
    }

    void register(Javalin app) {
        app.get(Api.JOB_OUTPUT, this::serve, Role.READ);
    }

    /** Where the player finds a completed job's manifest here; empty when this coordinator cannot serve its output. */
    Optional<String> playbackUrl(Job job) {
        if (job.state() != JobState.COMPLETED || job.manifestUrl() == null) return Optional.empty();
        String output = job.spec().output();
        String manifest = job.manifestUrl();
        String base = output.endsWith("/") ? output : output + "/";
        String path = manifest.startsWith(base) ? manifest.substring(base.length()) : manifest.substring(manifest.lastIndexOf('/') + 1);
        if (checkedPath(path).isEmpty() || !servable(output)) return Optional.empty();
        return Optional.of(Api.jobOutput(job.id(), path));
    }

    private boolean servable(String output) {
        if (output.startsWith(SPOOL)) return true;
        if (output.contains("://")) return false;   // s3: the player gets it from the store, not here
        return localDir(output).isPresent();
    }

    private void serve(Context ctx) throws IOException {
        String id = JobRoutes.checkJobId(ctx.pathParam("id"));
        String path = checkedPath(ctx.pathParam("path")).orElseThrow(() -> SpoolError.invalid("path",
                "must be a media or playlist file (" + String.join(", ", TYPES.keySet().stream().sorted().toList())
                        + ") under the job's output, without . or .. parts"));
        Job job = queue.job(id).orElseThrow(() -> new SpoolError(SpoolError.Code.NOT_FOUND, "job_id", "no job " + id));
        if (job.state() != JobState.COMPLETED)
            throw new SpoolError(SpoolError.Code.NOT_FOUND, "job_id", "job " + id + " has no output to serve (" + job.state() + ")");
        FileChannel channel = open(job.spec().output(), path)
                .orElseThrow(() -> new SpoolError(SpoolError.Code.NOT_FOUND, "path", "no file " + path + " in the output of job " + id
                        + " that this coordinator serves"));
        ctx.disableCompression();
        ctx.contentType(TYPES.get(extension(path)));
        ctx.header("Content-Length", Long.toString(channel.size()));
        ctx.header("Cache-Control", "private, max-age=60");
        ctx.result(Channels.newInputStream(channel));   // Javalin streams it and closes it
    }

    private Optional<FileChannel> open(String output, String path) throws IOException {
        if (output.startsWith(SPOOL)) {
            String key = output.substring(SPOOL.length());
            key = key.endsWith("/") ? key + path : key + "/" + path;
            return files.open(key).map(FileStore.Opened::channel);
        }
        Optional<Path> dir = localDir(output);
        if (dir.isEmpty()) return Optional.empty();
        Path file = dir.get().resolve(path).normalize();
        try {
            Path real = file.toRealPath();   // a symlink is followed here, and must still land inside the output
            if (!real.startsWith(dir.get()) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
            return Optional.of(FileChannel.open(real, StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The output directory, resolved through its symlinks, when it lies under a --serve-outputs root. */
    private Optional<Path> localDir(String output) {
        if (roots.isEmpty()) return Optional.empty();
        Path dir;
        try {
            dir = Path.of(output).toAbsolutePath().normalize().toRealPath();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        Path found = dir;
        return roots.stream().anyMatch(found::startsWith) ? Optional.of(dir) : Optional.empty();
    }

    /** A relative path of plain parts with a served extension; empty for anything else (.., absolute, NUL, backslash). */
    static Optional<String> checkedPath(String path) {
        if (path == null || path.isEmpty() || path.length() > 512 || !path.matches("[A-Za-z0-9._/-]+") || path.startsWith("/")
                || path.endsWith("/") || path.contains("//")) return Optional.empty();
        for (String part : path.split("/")) if (part.equals(".") || part.equals("..") || part.startsWith(".")) return Optional.empty();
        return TYPES.containsKey(extension(path)) ? Optional.of(path) : Optional.empty();
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static Path real(Path dir) {
        try {
            return dir.toAbsolutePath().normalize().toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }
}
