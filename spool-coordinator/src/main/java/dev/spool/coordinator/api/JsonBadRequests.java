package dev.spool.coordinator.api;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Requests Jetty refuses before any route sees them (a path with an encoded NUL, {@code %00}, or
 * another character no path may have) get the API's one error shape too, not Jetty's HTML page: a
 * client reading {"error": ...} must not meet markup. Jetty does not say which part was bad, so the
 * message names what a path of ours carries: a file key or a job id.
 */
final class JsonBadRequests extends ErrorHandler {
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        String code = status == 413 || status == 414 || status == 431 ? "TOO_LARGE" : "INVALID";
        String message = switch (status) {
            case 400 -> "the request path cannot be read: a file key or job id in it holds a NUL (%00) or another character "
                    + "no key may have; keys are A-Z a-z 0-9 . _ - joined by /";
            case 414 -> "the request path is too long (the request line and headers may take 8 KiB)";
            case 431 -> "the request headers are too large (the request line and headers may take 8 KiB)";
            default -> "the request was refused before it was read (HTTP " + status + ")";
        };
        String field = status == 400 ? "key" : null;
        String json = "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\"", "'") + "\""
                + (field == null ? "" : ",\"field\":\"" + field + "\"") + "}}";
        return ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
    }
}
