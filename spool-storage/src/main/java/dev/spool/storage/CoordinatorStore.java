package dev.spool.storage;

import dev.spool.model.protocol.Api;
import dev.spool.model.storage.ObjectLocation;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.SpoolError;
import dev.spool.model.client.CoordinatorUrls;
import dev.spool.model.protocol.Wire;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The ObjectStore on the coordinator itself ({@code spool://} locations, {@code /api/v1/files}):
 * for a worker with no shared disk and no cloud account, the coordinator's URL is enough. Same
 * contract as S3: ranged downloads that resume against the same version (the coordinator's ETag),
 * uploads with Content-MD5, retries with backoff through a restarting coordinator, transfers that
 * stall failing their attempt ({@link TransferStall}). With several coordinators it follows the
 * one the worker's protocol talks to, and moves it on when that one cannot be reached.
 */
public final class CoordinatorStore implements ObjectStore {
    private final HttpClient client;

    private final CoordinatorUrls coordinators;
    private final Supplier<String> token;
    private final TransferRetry retry;

    /** {@code token}: asked at each request (a worker's credential changes when it registers again). */
    public CoordinatorStore(String baseUrl, Supplier<String> token, TransferRetry retry) {
        this(CoordinatorUrls.parse(baseUrl), token, retry);
    }

    /** {@code coordinators}: shared with the worker's protocol client, so both talk to the same one. */
    public CoordinatorStore(CoordinatorUrls coordinators, Supplier<String> token, TransferRetry retry) {
        this.coordinators = coordinators;
        this.token = token;
        this.retry = retry;
        this.client = coordinators.trust().client().connectTimeout(Duration.ofSeconds(15)).build();
    }

    @Override
    public long size(ObjectLocation object) {
        return head(object).size();
    }

    @Override
    public boolean exists(ObjectLocation object) {
        return IoRetry.call(retry, "look up " + object, TransferLog.NONE, () -> {
            HttpResponse<Void> r = send(request(object).method("HEAD", HttpRequest.BodyPublishers.noBody()), object);
            if (r.statusCode() == 404) return false;
            return ok(r, object, false) != null;
        });
    }

    private record Head(long size, String etag) {}

    private Head head(ObjectLocation object) {
        return IoRetry.call(retry, "look up " + object, TransferLog.NONE, () -> {
            HttpResponse<Void> r = send(request(object).method("HEAD", HttpRequest.BodyPublishers.noBody()), object);
            ok(r, object, false);
            return new Head(r.headers().firstValueAsLong("content-length").orElse(0), r.headers().firstValue("etag").orElse(null));
        });
    }

    @Override
    public void download(ObjectLocation object, Path to, TransferLog log) {
        Head head = head(object);
        PartialFile.keepIfSameVersion(to, head.etag());
        IoRetry.call(retry, "download " + object, log, () -> {
            long have = Files.exists(to) ? Files.size(to) : 0;
            if (have >= head.size()) {
                if (!Files.exists(to)) Files.createFile(to);
                return null;
            }
            HttpRequest.Builder get = request(object).GET();
            if (have > 0) {
                get.header("Range", "bytes=" + have + "-").header("If-Range", head.etag());
                log.note("download of " + object + " resumes at byte " + have + " of " + head.size());
            }
            // written as it arrives (206 appended, 200 from the start), watched for stalls
            TransferMeter meter = retry.stall().meter();
            HttpResponse<Path> r = exchange(authorized(get).build(), WatchedExchange.toFile(to, meter), meter);
            if (r.statusCode() >= 300) ok(r, object, false);
            return null;
        });
        try {
            if (Files.size(to) != head.size())
                throw SpoolError.storage(object + ": downloaded " + Files.size(to) + " bytes, the coordinator holds " + head.size());
        } catch (IOException e) {
            throw SpoolError.output(to.toString(), "cannot be read back: " + e.getMessage());
        }
        PartialFile.finished(to);
    }

    @Override
    public void upload(Path from, ObjectLocation object, TransferLog log) {
        String md5 = Md5.base64(Md5.of(from));
        IoRetry.call(retry, "upload " + object, log, () -> {
            TransferMeter meter = retry.stall().meter();
            HttpRequest put = authorized(request(object).header("Content-MD5", md5)
                    .PUT(WatchedExchange.counted(HttpRequest.BodyPublishers.ofFile(from), meter))).build();
            return ok(exchange(put, HttpResponse.BodyHandlers.discarding(), meter), object, true);
        });
    }

    @Override
    public void put(ObjectLocation object, byte[] content) {
        IoRetry.call(retry, "write " + object, TransferLog.NONE,
                () -> ok(send(request(object).PUT(HttpRequest.BodyPublishers.ofByteArray(content)), object), object, true));
    }

    @Override
    public List<ObjectLocation> list(ObjectLocation prefix) {
        return IoRetry.call(retry, "list " + prefix, TransferLog.NONE, () -> {
            HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(coordinators.current() + Api.files(prefix.key()))).timeout(Duration.ofMinutes(1)).GET();
            HttpResponse<String> r = reaching(authorized(get).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 500) throw new IOException("HTTP " + r.statusCode());
            if (r.statusCode() >= 300) throw refused(prefix, r.statusCode(), false, r.body());
            List<ObjectLocation> found = new ArrayList<>();
            for (JsonNode k : Wire.JSON.readTree(r.body()).path("keys")) found.add(new ObjectLocation(ObjectLocation.COORDINATOR, k.asText()));
            return found;
        });
    }

    @Override
    public void delete(Collection<ObjectLocation> objects) {
        for (ObjectLocation o : objects)
            IoRetry.call(retry, "delete " + o, TransferLog.NONE, () -> {
                HttpResponse<Void> r = send(request(o).DELETE(), o);
                return r.statusCode() == 404 ? null : ok(r, o, true);
            });
    }

    private HttpRequest.Builder request(ObjectLocation object) {
        if (!object.onCoordinator()) throw new IllegalArgumentException(object + " is not kept by the coordinator");
        // the timeout runs until the reply's headers; a body that stalls is the meter's business
        return HttpRequest.newBuilder(URI.create(coordinators.current() + Api.file(object.key()))).timeout(Duration.ofMinutes(30));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder b) {
        String t = token.get();
        return t == null ? b : b.header("Authorization", "Bearer " + t);
    }

    private HttpResponse<Void> send(HttpRequest.Builder b, ObjectLocation object) throws IOException, InterruptedException {
        return reaching(authorized(b).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** A short request; a coordinator that cannot be reached is left for the next one (if there are several). */
    private <T> HttpResponse<T> reaching(HttpRequest request, HttpResponse.BodyHandler<T> body) throws IOException, InterruptedException {
        try {
            return client.send(request, body);
        } catch (IOException e) {
            coordinators.failed(request.uri());
            throw e;
        }
    }

    /** A transfer, watched for stalls; one that fails leaves its coordinator for the next one, as above. */
    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body, TransferMeter meter)
            throws IOException, InterruptedException {
        try {
            return WatchedExchange.send(client, request, body, meter);
        } catch (IOException e) {
            coordinators.failed(request.uri());
            throw e;
        }
    }

    /** A 2xx passes; a 5xx is retried (an IOException); anything else is final. */
    private static Object ok(HttpResponse<?> r, ObjectLocation object, boolean writing) throws IOException {
        int s = r.statusCode();
        if (s < 300) return Boolean.TRUE;
        if (s == 429) throw RateLimited.of(r);
        if (s >= 500 || s == 408) throw new IOException("HTTP " + s);
        throw refused(object, s, writing, null);
    }

    private static SpoolError refused(ObjectLocation object, int status, boolean writing, String body) {
        String why = switch (status) {
            case 404 -> "does not exist";
            case 401, 403 -> "access denied (a worker may touch only the files of the tasks it holds)";
            default -> "refused (HTTP " + status + ")" + (body == null || body.isBlank() ? "" : ": " + body);
        };
        return writing ? SpoolError.output(object.toString(), why) : SpoolError.input(object.toString(), why);
    }

    @Override
    public void close() { }
}
