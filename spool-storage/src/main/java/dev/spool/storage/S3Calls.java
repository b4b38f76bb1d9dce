package dev.spool.storage;

import dev.spool.model.SpoolError;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * How every S3 call is made: again after a failure that may pass, with Spool's backoff (the
 * SDK's own retries are off), each failure noted; a failure that will not pass turned into a
 * SpoolError that says whose fault it is (input, output, environment) and names the object.
 */
final class S3Calls {
    private final TransferRetry retry;

    S3Calls(TransferRetry retry) {
        this.retry = retry;
    }

    /** A call that reads: a refusal is the input's problem (INPUT_UNREADABLE). */
    <T> T reading(String what, TransferLog log, Callable<T> call) {
        return retrying(what, false, log, call);
    }

    /** A call that writes (upload, put, delete): a refusal is the output's problem (OUTPUT_UNWRITABLE). */
    <T> T writing(String what, TransferLog log, Callable<T> call) {
        return retrying(what, true, log, call);
    }

    /**
     * Runs one call, again after a failure that may pass (a connection refused or cut, a timeout, a
     * 5xx, throttling) with backoff, each failure noted; a failure that will not pass (404, 403, a
     * bad request) is turned into a SpoolError at once.
     */
    private <T> T retrying(String what, boolean writes, TransferLog log, Callable<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (SpoolError e) {
                throw e;
            } catch (S3Exception e) {
                if (!mayPass(e)) throw refused(what, writes, e);
                if (attempt >= retry.attempts()) throw SpoolError.storage("cannot " + what + ": " + reason(e) + " (after " + attempt + " attempts)");
                retry.pauseAfter(attempt, what, reason(e), log);
            } catch (SdkClientException | IOException | UncheckedIOException e) {
                if (Thread.currentThread().isInterrupted()) throw SpoolError.interrupted("stopped during " + what);
                if (reason(e).contains("Unable to load credentials"))
                    throw SpoolError.environment("cannot " + what + ": no S3 credentials (set AWS_ACCESS_KEY_ID and "
                            + "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)");
                if (attempt >= retry.attempts()) throw SpoolError.storage("cannot " + what + ": " + reason(e) + " (after " + attempt + " attempts)");
                retry.pauseAfter(attempt, what, reason(e), log);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static boolean mayPass(S3Exception e) {
        return (e.statusCode() >= 500 && e.statusCode() != 501) || e.statusCode() == 408 || e.statusCode() == 429;
    }

    /** 403, 404, 400...: retrying cannot help; the message names the object and the reason. */
    private static SpoolError refused(String what, boolean writes, S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String why = switch (e.statusCode()) {
            case 403 -> "access denied (check the credentials and the bucket's policy)";
            case 404 -> "NoSuchBucket".equals(code) ? "the bucket does not exist" : "it does not exist";
            case 412 -> "the object changed while it was being read";
            default -> e.statusCode() + " " + (code != null ? code : reason(e));
        };
        SpoolError.Code fault = e.statusCode() == 412 ? SpoolError.Code.STORAGE
                : writes ? SpoolError.Code.OUTPUT_UNWRITABLE : SpoolError.Code.INPUT_UNREADABLE;
        return new SpoolError(fault, null, "cannot " + what + ": " + why);
    }

    private static String reason(Exception e) {
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null && s3.awsErrorDetails().errorCode() != null)
            return s3.statusCode() + " " + s3.awsErrorDetails().errorCode();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage() == null ? dev.spool.model.client.NetworkFailure.describe(e) : root.getMessage();
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }

}
