package dev.spool.storage;

import dev.spool.job.SpoolError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP(S) input URL. Downloads resume with a Range request pinned to the first response's
 * validator (If-Range with its ETag or Last-Modified: a changed file starts over), retry with
 * backoff through dropped connections and 5xx, and are checked against the size the server gave.
 * 404, 410 and 403 fail at once. Link-local addresses (cloud metadata services) are refused, so a
 * job cannot make a worker fetch its machine's credentials.
 */
public final class HttpInput implements RemoteInput {
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(15)).build();

    private final URI url;
    private final TransferRetry retry;
    private String validator;

    public HttpInput(URI url, TransferRetry retry) {
        this.url = url;
        this.retry = retry;
    }

    /** The URL an {@code http(s)://} input names, or empty for anything else. */
    public static Optional<URI> parse(String input) {
        String lower = input.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) return Optional.empty();
        try {
            URI uri = URI.create(input);
            if (uri.getHost() == null) throw new IllegalArgumentException("no host");
            return Optional.of(uri);
        } catch (IllegalArgumentException e) {
            throw SpoolError.invalid("input", "'" + input + "' is not a URL: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        String path = url.getPath() == null ? "" : url.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.matches("[A-Za-z0-9._-]{1,200}") && !last.startsWith(".") ? last : "input";
    }

    @Override
    public long size() {
        return retrying("look up", () -> {
            HttpResponse<Void> head = CLIENT.send(request().method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            refuseFinal(head.statusCode());
            if (head.statusCode() >= 400) throw new IOException("HTTP " + head.statusCode());
            validator = head.headers().firstValue("etag").or(() -> head.headers().firstValue("last-modified")).orElse(null);
            return head.headers().firstValueAsLong("content-length").orElse(-1);
        });
    }

    @Override
    public void download(Path to, TransferLog log) {
        requireSafeHost();
        long total = size();
        try {
            Files.createDirectories(to.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw SpoolError.output(to.toString(), "cannot be written: " + e.getMessage());
        }
        retrying("download", () -> {
            long have = Files.exists(to) ? Files.size(to) : 0;
            if (total >= 0 && have >= total) return null;
            HttpRequest.Builder get = request().GET();
            if (have > 0) {
                get.header("Range", "bytes=" + have + "-");
                if (validator != null) get.header("If-Range", validator);
                log.note("download of " + url + " resumes at byte " + have + (total >= 0 ? " of " + total : ""));
            }
            HttpResponse<InputStream> response = CLIENT.send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
            refuseFinal(response.statusCode());
            if (response.statusCode() >= 400) {
                response.body().close();
                throw new IOException("HTTP " + response.statusCode());
            }
            // 206: the rest; 200: the server ignored the range (or the file changed): start over
            boolean append = response.statusCode() == 206;
            try (InputStream in = response.body(); OutputStream out = append
                    ? Files.newOutputStream(to, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                    : Files.newOutputStream(to)) {
                in.transferTo(out);
            }
            return null;
        }, log);
        try {
            long got = Files.size(to);
            if (total >= 0 && got != total) throw SpoolError.storage(url + ": downloaded " + got + " bytes, the server announced " + total);
        } catch (IOException e) {
            throw SpoolError.output(to.toString(), "cannot be read back: " + e.getMessage());
        }
    }

    private HttpRequest.Builder request() {
        return HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5)).header("User-Agent", "spool");
    }

    private void refuseFinal(int status) {
        if (status == 404 || status == 410) throw SpoolError.input(url.toString(), "does not exist (HTTP " + status + ")");
        if (status == 401 || status == 403) throw SpoolError.input(url.toString(), "cannot be read: access denied (HTTP " + status + ")");
    }

    /** Cloud metadata services live on link-local addresses; no job may point a worker at them. */
    private void requireSafeHost() {
        try {
            for (InetAddress a : InetAddress.getAllByName(url.getHost())) {
                boolean metadata = a.isLinkLocalAddress() || (a instanceof Inet6Address && a.getHostAddress().startsWith("fd00:ec2"));
                if (metadata) throw SpoolError.input(url.toString(), "points at a link-local address (" + a.getHostAddress()
                        + "), which workers never fetch");
            }
        } catch (UnknownHostException e) {
            throw SpoolError.storage("cannot download " + url + ": unknown host " + url.getHost());
        }
    }

    private interface Call<T> { T call() throws IOException, InterruptedException; }

    private <T> T retrying(String what, Call<T> call) {
        return retrying(what, call, TransferLog.NONE);
    }

    private <T> T retrying(String what, Call<T> call, TransferLog log) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (IOException e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (attempt >= retry.attempts())
                    throw SpoolError.storage("cannot " + what + " " + url + ": " + reason + " (after " + attempt + " attempts)");
                Duration delay = retry.delayBefore(attempt);
                log.note(what + " " + url + ": attempt " + attempt + " failed (" + reason + "); retrying in " + delay.toMillis() + " ms");
                sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SpoolError.interrupted("stopped during " + what + " of " + url);
            }
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpoolError.interrupted("stopped while waiting to retry a download");
        }
    }
}
