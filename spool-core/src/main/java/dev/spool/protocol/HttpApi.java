package dev.spool.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.job.SpoolError;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small JSON client for the coordinator's API, used by workers and the CLI: bearer token,
 * snake_case JSON, and the API's error shape turned back into a {@link SpoolError}.
 */
public final class HttpApi {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private volatile String token;

    public HttpApi(String baseUrl, String token) {
        if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://")))
            throw SpoolError.invalid("coordinator", "must be an http(s):// URL (or set SPOOL_COORDINATOR)");
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        this.token = token;
    }

    public void token(String token) { this.token = token; }

    public String token() { return token; }

    public String baseUrl() { return base.toString(); }

    /** Sends a request and returns the JSON reply; a non-2xx reply becomes a SpoolError with the API's code. */
    public JsonNode call(String method, String path, Object body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        try {
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(Wire.JSON.writeValueAsBytes(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = parse(response);
            if (response.statusCode() / 100 == 2) return json;
            throw error(response.statusCode(), json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SpoolError(SpoolError.Code.INVALID, "body", "the request cannot be written as JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SpoolError(SpoolError.Code.STORAGE, "coordinator", "cannot reach the coordinator at " + base + ": "
                    + NetworkFailure.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpoolError.interrupted("interrupted while talking to the coordinator");
        }
    }

    /** The reply as JSON; a proxy's HTML page or a plain-text error becomes {"error": {"message": ...}}. */
    private static JsonNode parse(HttpResponse<String> response) {
        String body = response.body();
        if (body.isBlank()) return Wire.JSON.createObjectNode();
        try {
            return Wire.JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            String text = body.strip().replaceAll("\\s+", " ");
            var error = Wire.JSON.createObjectNode();
            error.putObject("error").put("message", "HTTP " + response.statusCode() + ": "
                    + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
            return error;
        }
    }

    public <T> T call(String method, String path, Object body, Duration timeout, Class<T> type) {
        try {
            return Wire.JSON.treeToValue(call(method, path, body, timeout), type);
        } catch (IOException e) {
            throw new SpoolError(SpoolError.Code.ENCODER, null, "unexpected reply from the coordinator: " + e.getMessage());
        }
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
