package dev.spool.storage;

import dev.spool.model.SpoolError;

import java.io.IOException;

/**
 * Retries an HTTP transfer through I/O failures (a refused or dropped connection, a 5xx turned
 * into an IOException) with {@link TransferRetry}'s backoff, noting each failed attempt. What
 * retrying cannot fix is thrown as a SpoolError by the call and passes straight through.
 */
final class IoRetry {
    interface Call<T> { T call() throws IOException, InterruptedException; }

    private IoRetry() {}

    /** {@code what} names the transfer in notes and errors ("download http://host/a.mp4"). */
    static <T> T call(TransferRetry retry, String what, TransferLog log, Call<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (IOException e) {
                String reason = e instanceof RateLimited ? e.getMessage() : dev.spool.model.client.NetworkFailure.describe(e);
                if (attempt >= retry.attempts())
                    throw SpoolError.storage("cannot " + what + ": " + reason + " (after " + attempt + " attempts)");
                if (e instanceof RateLimited limited) retry.pauseAsked(limited.retryAfter(), attempt, what, e.getMessage(), log);
                else retry.pauseAfter(attempt, what, reason, log);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SpoolError.interrupted("stopped during " + what);
            }
        }
    }
}
