package dev.spool.model;

/**
 * The one error type of Spool: a code that says who is at fault and whether a retry can help,
 * the field or file it is about (may be null), and a message meant for the person who reads it.
 */
public final class SpoolError extends RuntimeException {

    /** What went wrong, with the HTTP status, CLI exit code and retry advice that go with it. */
    public enum Code {
        /** A request or option is malformed. */
        INVALID(400, 2, false),
        NOT_FOUND(404, 3, false),
        /** No token, or one the coordinator does not know (revoked, or from a wiped database). */
        UNAUTHORIZED(401, 5, false),
        /** A valid token that may not do this (a worker touching a file of a job it does not hold). */
        FORBIDDEN(403, 5, false),
        CONFLICT(409, 1, false),
        /** The input is missing, empty, corrupt, or has nothing that can be encoded. */
        INPUT_UNREADABLE(422, 3, false),
        /** The output cannot be written: not empty, no permission, disk full. */
        OUTPUT_UNWRITABLE(507, 4, false),
        /** The machine lacks something Spool needs: ffmpeg cannot start, a library is missing. */
        ENVIRONMENT(500, 5, false),
        /** ffmpeg failed on an input it accepted; another attempt (or machine) may succeed. */
        ENCODER(500, 1, true),
        /** The finished output does not pass verification. */
        VERIFICATION(500, 6, true),
        /** Storage was unreachable; retrying may help. */
        STORAGE(503, 4, true),
        /**
         * The coordinator's reply cannot be read: not JSON, or not the message this version expects
         * (a coordinator of another version, or not a coordinator at all). The same call gets the same reply.
         */
        PROTOCOL(502, 5, false),
        /** The run was stopped by a signal or a cancel. */
        INTERRUPTED(499, 130, false);

        private final int httpStatus;
        private final int exitCode;
        private final boolean retryable;

        Code(int httpStatus, int exitCode, boolean retryable) {
            this.httpStatus = httpStatus;
            this.exitCode = exitCode;
            this.retryable = retryable;
        }

        public int httpStatus() { return httpStatus; }
        public int exitCode() { return exitCode; }
        public boolean retryable() { return retryable; }
    }

    private final Code code;
    private final String field;

    public SpoolError(Code code, String field, String message) {
        this(code, field, message, null);
    }

    public SpoolError(Code code, String field, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.field = field;
    }

    public static SpoolError invalid(String field, String why) {
        return new SpoolError(Code.INVALID, field, field + " " + why);
    }

    public static SpoolError input(String file, String why) {
        return new SpoolError(Code.INPUT_UNREADABLE, "input", file + ": " + why);
    }

    public static SpoolError output(String path, String why) {
        return new SpoolError(Code.OUTPUT_UNWRITABLE, "output", path + ": " + why);
    }

    public static SpoolError environment(String why) {
        return new SpoolError(Code.ENVIRONMENT, null, why);
    }

    public static SpoolError storage(String why) {
        return new SpoolError(Code.STORAGE, null, why);
    }

    public static SpoolError encoder(String why) {
        return new SpoolError(Code.ENCODER, null, why);
    }

    public static SpoolError verification(String why) {
        return new SpoolError(Code.VERIFICATION, null, "verification failed: " + why);
    }

    public static SpoolError interrupted(String why) {
        return new SpoolError(Code.INTERRUPTED, null, why);
    }

    public Code code() { return code; }

    /** The request field or option this error is about, or null. */
    public String field() { return field; }
}
