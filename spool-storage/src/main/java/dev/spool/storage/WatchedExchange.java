package dev.spool.storage;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP transfer watched for stalls. The JDK's client has no read or write timeout once the
 * headers are in (its request timeout stops there), so a server that stops sending, or trickles,
 * would hold the caller for ever: here the exchange runs asynchronously, its bytes are counted as
 * they move, and an attempt that stalls by its {@link TransferStall} rule is cancelled (which
 * aborts the connection) and fails with an IOException saying why, for {@link IoRetry} to retry.
 */
final class WatchedExchange {
    private WatchedExchange() {}

    static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> body, TransferMeter meter)
            throws IOException, InterruptedException {
        long checkMillis = meter.rule().checkEvery().toMillis();
        CompletableFuture<HttpResponse<T>> exchange = client.sendAsync(request, body);
        try {
            while (true) {
                try {
                    return exchange.get(checkMillis, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    Optional<String> stalled = meter.stalled();
                    if (stalled.isPresent()) {
                        meter.abandon();
                        exchange.cancel(true);
                        meter.awaitQuiet();
                        throw new IOException(stalled.get());
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            // the request timeout: no reply (not even headers) in time, which is a stall too
            if (cause instanceof java.net.http.HttpTimeoutException)
                throw new IOException("stalled: no reply within " + request.timeout().map(Duration::toSeconds).orElse(0L) + " s");
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException r) throw r;
            throw new IOException(cause);
        } catch (InterruptedException e) {
            meter.abandon();
            exchange.cancel(true);
            throw e;
        }
    }

    /**
     * A response body written to a file as it arrives (appended to a 206, replacing the file on a
     * 200), each chunk counted; the body of any other status is discarded.
     */
    static HttpResponse.BodyHandler<Path> toFile(Path to, TransferMeter meter) {
        return info -> {
            int status = info.statusCode();
            if (status != 200 && status != 206) return HttpResponse.BodySubscribers.replacing(to);
            OpenOption[] options = status == 206
                    ? new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND}
                    : new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING};
            Counting<Path> counting = new Counting<>(HttpResponse.BodySubscribers.ofFile(to, options), meter);
            meter.onQuiet(counting::quiet);
            return counting;
        };
    }

    /** A request body that counts what the client takes from it; the meter stops judging once all is sent. */
    static HttpRequest.BodyPublisher counted(HttpRequest.BodyPublisher content, TransferMeter meter) {
        return new HttpRequest.BodyPublisher() {
            @Override public long contentLength() { return content.contentLength(); }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                content.subscribe(new Flow.Subscriber<ByteBuffer>() {
                    @Override public void onSubscribe(Flow.Subscription s) { subscriber.onSubscribe(s); }
                    @Override public void onNext(ByteBuffer item) {
                        meter.moved(item.remaining());
                        subscriber.onNext(item);
                    }
                    @Override public void onError(Throwable t) { subscriber.onError(t); }
                    @Override public void onComplete() {
                        meter.finished();
                        subscriber.onComplete();
                    }
                });
            }
        };
    }

    /**
     * Counts the bytes of each chunk before handing it on; once the attempt is given up, drops what
     * still arrives, so the next attempt's resume from the file's size is not overtaken by a late write.
     */
    private static final class Counting<T> implements HttpResponse.BodySubscriber<T> {
        private final HttpResponse.BodySubscriber<T> inner;
        private final TransferMeter meter;

        Counting(HttpResponse.BodySubscriber<T> inner, TransferMeter meter) {
            this.inner = inner;
            this.meter = meter;
        }

        @Override public CompletionStage<T> getBody() { return inner.getBody(); }
        @Override public void onSubscribe(Flow.Subscription s) { inner.onSubscribe(s); }
        @Override public synchronized void onNext(List<ByteBuffer> items) {
            if (meter.abandoned()) return;
            long n = 0;
            for (ByteBuffer b : items) n += b.remaining();
            meter.moved(n);
            inner.onNext(items);
        }
        @Override public void onError(Throwable t) { inner.onError(t); }
        @Override public void onComplete() { inner.onComplete(); }

        /** Waits for a write under way to end: after this, nothing more reaches the file. */
        synchronized void quiet() { }
    }
}
