package dev.spool.model.client;

import dev.spool.model.protocol.Api;
import dev.spool.model.protocol.Wire;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.SpoolError;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small JSON client for the coordinator's API, used by workers and the CLI: bearer token,
 * snake_case JSON, and the API's error shape turned back into a {@link SpoolError}. Given several
 * coordinators, a request that cannot reach the current one goes to the next ({@link CoordinatorUrls}).
 */
public final class HttpApi {
    /** The longest a call waits, all 429s together, for the coordinator's Retry-After before it gives up. */
    public static final Duration MAX_RATE_LIMIT_WAIT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final CoordinatorUrls coordinators;
    private final Duration rateLimitWait;
    private volatile String token;

    /** {@code baseUrl}: one coordinator's URL, or several separated by commas. */
    public HttpApi(String baseUrl, String token) {
        this(CoordinatorUrls.parse(baseUrl), token);
    }

    public HttpApi(CoordinatorUrls coordinators, String token) {
        this(coordinators, token, MAX_RATE_LIMIT_WAIT);
    }

    HttpApi(CoordinatorUrls coordinators, String token, Duration rateLimitWait) {
        this.coordinators = coordinators;
        this.token = token;
        this.rateLimitWait = rateLimitWait;
        this.http = coordinators.trust().client().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public void token(String token) { this.token = token; }

    public String token() { return token; }

    /** The coordinator requests go to now. */
    public String baseUrl() { return coordinators.current().toString(); }

    public CoordinatorUrls coordinators() { return coordinators; }

    /**
     * Sends a request and returns the JSON reply; a non-2xx reply becomes a SpoolError with the
     * API's code. A coordinator that cannot be reached (refused, reset, timed out) is left for the
     * next one, each tried once per call. A 429 is waited out as its Retry-After asks, up to
     * {@link #MAX_RATE_LIMIT_WAIT} in all, then said in words: the caller was rate-limited.
     */
    public JsonNode call(String method, String path, Object body, Duration timeout) {
        HttpRequest.BodyPublisher content;
        try {
            content = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(Wire.JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SpoolError(SpoolError.Code.INVALID, "body", "the request cannot be written as JSON: " + e.getOriginalMessage());
        }
        IOException failure = null;
        URI base = null;
        long waitedNanos = 0;
        for (int tried = 0, places = coordinators.size(); tried < places; tried++) {
            base = coordinators.current();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                    .header("Accept", "application/json").method(method, content);
            if (token != null) request.header("Authorization", "Bearer " + token);
            if (body != null) request.header("Content-Type", "application/json");
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 429) {
                    Duration wait = retryAfter(response.headers().firstValue("Retry-After").orElse(null));
                    if (waitedNanos + wait.toNanos() <= rateLimitWait.toNanos()) {
                        Thread.sleep(wait);
                        waitedNanos += wait.toNanos();
                        tried--;   // the same coordinator again: it answered, it asked us to wait
                        continue;
                    }
                    throw rateLimited(base, response, waitedNanos);
                }
                JsonNode json = parse(response);
                if (response.statusCode() / 100 != 2) throw error(response.statusCode(), json);
                if (json == null) throw unreadable(base, method, path, "it is not JSON: " + excerpt(response.body()));
                return json;
            } catch (IOException e) {
                failure = e;
                coordinators.failed(base);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SpoolError.interrupted("interrupted while talking to the coordinator");
            }
        }
        String where = coordinators.given().size() > 1 ? "any coordinator of " + coordinators + " (last " + base + ")"
                : "the coordinator at " + base;
        throw new SpoolError(SpoolError.Code.STORAGE, "coordinator", "cannot reach " + where + ": "
                + NetworkFailure.describe(failure), failure);
    }

    /**
     * The reply as JSON; a success that is not JSON is null (the caller says so); a proxy's HTML page
     * or a plain-text error becomes {"error": {"message": ...}}.
     */
    private static JsonNode parse(HttpResponse<String> response) {
        String body = response.body();
        if (body.isBlank()) return Wire.JSON.createObjectNode();
        try {
            return Wire.JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            if (response.statusCode() / 100 == 2) return null;
            var error = Wire.JSON.createObjectNode();
            error.putObject("error").put("message", "HTTP " + response.statusCode() + ": " + excerpt(body));
            return error;
        }
    }

    /** Whole seconds, as the coordinator sends them; anything else (an HTTP date, nothing) is 1 s. */
    static Duration retryAfter(String header) {
        if (header != null && header.strip().matches("\\d{1,9}")) return Duration.ofSeconds(Math.max(1, Long.parseLong(header.strip())));
        return Duration.ofSeconds(1);
    }

    private static SpoolError rateLimited(URI base, HttpResponse<String> response, long waitedNanos) {
        JsonNode json = parse(response);
        String why = json == null ? "" : json.path("error").path("message").asText("");
        return new SpoolError(SpoolError.Code.STORAGE, "coordinator", "rate-limited by the coordinator at " + base
                + (waitedNanos > 0 ? " (still after waiting " + Duration.ofNanos(waitedNanos).toSeconds() + " s)" : "")
                + (why.isBlank() ? "" : ": " + why) + "; try again later, or ask for a higher --rate-limit");
    }

    private static String excerpt(String body) {
        String text = body.strip().replaceAll("\\s+", " ");
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /**
     * Sends a request and reads the reply as {@code type}. A reply that does not fit it is a
     * {@link SpoolError.Code#PROTOCOL} error: the coordinator speaks another version (or is not one),
     * which no retry of the same call changes.
     */
    public <T> T call(String method, String path, Object body, Duration timeout, Class<T> type) {
        JsonNode reply = call(method, path, body, timeout);
        try {
            return Wire.JSON.treeToValue(reply, type);
        } catch (IOException e) {
            throw unreadable(coordinators.current(), method, path, mismatch(e) + ", not what protocol " + Api.PROTOCOL + " sends");
        }
    }

    /** What did not fit, by the reply's own field names (Jackson's message names Java types). */
    private static String mismatch(IOException e) {
        if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m) || m.getPath().isEmpty()) return "its shape is unexpected";
        String field = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(java.util.stream.Collectors.joining("."));
        return e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException ? "it has an unknown field '" + field + "'"
                : "its field '" + field + "' is missing or not of the expected kind";
    }

    private static SpoolError unreadable(URI base, String method, String path, String why) {
        return new SpoolError(SpoolError.Code.PROTOCOL, "coordinator", "cannot read the reply of the coordinator at " + base
                + " to " + method + " " + path + ": " + why + " (are both sides the same version of Spool?)");
    }

    private static SpoolError error(int status, JsonNode json) {
        JsonNode e = json.path("error");
        String message = e.path("message").asText("HTTP " + status);
        String field = e.hasNonNull("field") ? e.path("field").asText() : null;
        try {
            if (e.hasNonNull("code")) return new SpoolError(SpoolError.Code.valueOf(e.path("code").asText()), field, message);
        } catch (IllegalArgumentException notOurs) {
            // FORBIDDEN, TOO_LARGE, INTERNAL are not SpoolError codes: mapped from the status below
        }
        SpoolError.Code code = switch (status) {
            case 400, 413 -> SpoolError.Code.INVALID;
            case 401, 403 -> SpoolError.Code.ENVIRONMENT;
            case 500 -> SpoolError.Code.STORAGE;   // the coordinator's own failure: worth a retry, not an encoder fault
            case 404 -> SpoolError.Code.NOT_FOUND;
            case 409 -> SpoolError.Code.CONFLICT;
            default -> SpoolError.Code.STORAGE;
        };
        return new SpoolError(code, field, message);
    }
}
