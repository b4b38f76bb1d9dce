package dev.spool.storage;

import dev.spool.model.SpoolError;
import dev.spool.model.net.AddressPolicy;

import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP(S) input URL. Downloads resume with a Range request pinned to the validator of the
 * version the bytes on disk came from (If-Range with its ETag or Last-Modified; a file with
 * neither starts over), retry with backoff through dropped connections and 5xx, and are checked
 * against the size the server gave. 4xx fail at once. A job must not turn a worker into a proxy
 * into its own network: link-local addresses (cloud metadata services) are always refused, and
 * loopback, private and shared (CGNAT) ranges unless the worker allows them; every redirect hop is
 * checked the same way, by {@link AddressPolicy}, and the client connects to the addresses that were
 * checked ({@code PinnedAddresses}: a DNS answer that changes after the check is not used). URLs appear in messages
 * without their query string, which may hold a presigned signature.
 */
public final class HttpInput implements RemoteInput {
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(15)).build();
    private static final int MAX_REDIRECTS = 5;

    private final URI requested;
    private final TransferRetry retry;
    private final AddressPolicy policy;
    private URI url;
    private String validator;
    /** What the last {@link #size} learned (null before): a download right after it asks no second time. */
    private Long knownSize;

    public HttpInput(URI url, TransferRetry retry, boolean allowPrivate) {
        this.requested = url;
        this.url = url;
        this.retry = retry;
        this.policy = AddressPolicy.of(allowPrivate);
    }

    /** The URL an {@code http(s)://} input names, or empty for anything else. */
    public static Optional<URI> parse(String input) {
        String lower = input.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) return Optional.empty();
        try {
            URI uri = URI.create(input);
            // an authority java.net.URI reads no host in ("127.1", a registry authority) is kept: requireSafeHost
            // refuses it before any connection, saying so; only a URL with no authority at all is not one
            if (uri.getHost() == null && uri.getRawAuthority() == null) throw new IllegalArgumentException("no host");
            return Optional.of(uri);
        } catch (IllegalArgumentException e) {
            throw SpoolError.invalid("input", "'" + input + "' is not a URL: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        String path = requested.getPath() == null ? "" : requested.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.matches("[A-Za-z0-9._-]{1,200}") && !last.startsWith(".") ? last : "input";
    }

    /** Its size, from a HEAD of the URL redirects lead to (each hop checked before it is asked). */
    @Override
    public long size() {
        knownSize = retrying("look up", () -> {
            url = requested;
            for (int hop = 0; ; hop++) {
                requireSafeHost(url);
                HttpResponse<Void> head = CLIENT.send(request().method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.discarding());
                // a presigned URL is signed for GET only (HEAD: 403), some servers refuse HEAD (405): ask for one byte
                if (head.statusCode() == 403 || head.statusCode() == 405) head = firstByte();
                var location = head.headers().firstValue("location");
                if (head.statusCode() / 100 == 3 && location.isPresent() && hop < MAX_REDIRECTS) {
                    url = url.resolve(location.get());
                    continue;
                }
                refuseFinal(head.statusCode());
                if (head.statusCode() >= 400) throw new IOException("HTTP " + head.statusCode());
                HttpResponse<Void> answer = head;
                validator = answer.headers().firstValue("etag").or(() -> answer.headers().firstValue("last-modified")).orElse(null);
                return answer.statusCode() == 206 ? totalOf(answer) : answer.headers().firstValueAsLong("content-length").orElse(-1);
            }
        });
        return knownSize;
    }

    @Override
    public void download(Path to, TransferLog log) {
        long total = knownSize != null ? knownSize : size();
        PartialFile.keepIfSameVersion(to, validator);
        retrying("download", () -> {
            long have = Files.exists(to) ? Files.size(to) : 0;
            if (total >= 0 && have >= total) return null;
            HttpRequest.Builder get = request().GET();
            if (have > 0) {
                get.header("Range", "bytes=" + have + "-");
                if (validator != null) get.header("If-Range", validator);
                log.note("download of " + shown() + " resumes at byte " + have + (total >= 0 ? " of " + total : ""));
            }
            // 206: the rest is appended; 200: the server ignored the range (or the file changed): it starts over.
            // The body goes to the file as it arrives, watched: a server that stops or trickles fails the attempt
            TransferMeter meter = retry.stall().meter();
            HttpResponse<Path> response = WatchedExchange.send(CLIENT, get.build(), WatchedExchange.toFile(to, meter), meter);
            refuseFinal(response.statusCode());
            if (response.statusCode() / 100 == 3) throw new IOException("redirected again, to " + response.headers().firstValue("location").orElse("?"));
            if (response.statusCode() >= 300) throw new IOException("HTTP " + response.statusCode());
            return null;
        }, log);
        try {
            long got = Files.size(to);
            if (total >= 0 && got != total) {
                Files.deleteIfExists(to);
                throw SpoolError.storage(shown() + ": downloaded " + got + " bytes, the server announced " + total + "; deleted, retry");
            }
        } catch (IOException e) {
            throw SpoolError.output(to.toString(), "cannot be read back: " + e.getMessage());
        }
        PartialFile.finished(to);
    }

    /** The URL for messages: without user info or query string (a presigned URL's signature). */
    private String shown() {
        if (requested.getHost() == null) return requested.getScheme() + "://" + requested.getRawAuthority().replaceFirst("^.*@", "")
                + (requested.getPath() == null ? "" : requested.getPath());
        return requested.getScheme() + "://" + requested.getHost() + (requested.getPort() >= 0 ? ":" + requested.getPort() : "")
                + (requested.getPath() == null ? "" : requested.getPath());
    }

    private HttpRequest.Builder request() {
        // a server that does not even answer within the stall rule's idle time has stalled too
        return HttpRequest.newBuilder(url).timeout(retry.stall().idle()).header("User-Agent", "spool");
    }

    private HttpResponse<Void> firstByte() throws IOException, InterruptedException {
        return CLIENT.send(request().GET().header("Range", "bytes=0-0").build(), HttpResponse.BodyHandlers.discarding());
    }

    /** The whole size from "Content-Range: bytes 0-0/TOTAL" ("*": unknown, -1). */
    private static long totalOf(HttpResponse<Void> partial) {
        String range = partial.headers().firstValue("content-range").orElse("");
        String total = range.substring(range.indexOf('/') + 1);
        return total.matches("\\d{1,19}") ? Long.parseLong(total) : -1;
    }

    /** A 4xx other than timeouts and throttling: asking again will not change the answer. */
    private void refuseFinal(int status) {
        if (status == 404 || status == 410) throw SpoolError.input(shown(), "does not exist (HTTP " + status + ")");
        if (status == 401 || status == 403) throw SpoolError.input(shown(), "cannot be read: access denied (HTTP " + status + ")");
        if (status >= 400 && status < 500 && status != 408 && status != 429)
            throw SpoolError.input(shown(), "cannot be read: the server refused the request (HTTP " + status + ")");
    }

    /**
     * No job may point a worker at its machine's metadata service or, unless allowed, its private network
     * ({@link AddressPolicy}, shared with the coordinator's webhooks). The JDK client takes a URL, not an
     * address, and resolves the host again when it connects: it has no hook to be handed the checked
     * address (no resolver per client, and Host and SNI cannot be set apart from the URL), so a DNS answer
     * that changes between the check and the connection is not caught here (docs/DESIGN.md §9).
     */
    private void requireSafeHost(URI target) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) throw SpoolError.input(shown(), "redirects to a " + scheme + ": URL");
        // java.net.URI gives no host for some address spellings ("127.1"): nothing to check, so nothing to fetch
        if (target.getHost() == null) throw SpoolError.input(shown(), "names no host that can be checked");
        try {
            policy.resolve(target.getHost());
        } catch (AddressPolicy.Refused r) {
            String address = r.address().getHostAddress();
            if (r.kind().neverAllowed())
                throw SpoolError.input(shown(), "points at " + address + ", which is " + r.kind().described() + "; workers never fetch those");
            String which = r.kind() == AddressPolicy.Kind.PRIVATE ? "" : " (" + r.kind().described().replaceFirst("^an? ", "") + ")";
            throw SpoolError.input(shown(), "points at " + address + ", which is a private address" + which
                    + "; a worker fetches those only when started with --allow-private-urls");
        } catch (UnknownHostException e) {
            throw SpoolError.storage("cannot download " + shown() + ": unknown host " + target.getHost());
        }
    }

    private <T> T retrying(String what, IoRetry.Call<T> call) {
        return retrying(what, call, TransferLog.NONE);
    }

    private <T> T retrying(String what, IoRetry.Call<T> call, TransferLog log) {
        return IoRetry.call(retry, what + " " + shown(), log, call);
    }
}
