package dev.spool.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hostile requests of issue 13, each with the answer it must get: status, error code, and a
 * fragment its message must hold. Every one goes out on a raw socket ({@link RawSocketHttp}), so
 * paths and bodies reach the coordinator exactly as written here.
 */
final class HostileRequests {
    /**
     * Whose token a request carries: the coordinator's admin token ("initial"), tokens the suite
     * made with it (read, submit, one revoked, one read token of its own for the rate limit), the
     * join token, or the probe worker's own credential.
     */
    enum Who { NONE, BAD, ADMIN, READ, SUBMIT, REVOKED, LIMITED, JOIN, WORKER }

    /** Where the requests go and the credentials they may carry; {@code jobId} names a real job. */
    record Target(int port, Map<Who, String> tokens, String jobId) {
        String token(Who who) {
            return switch (who) {
                case NONE -> null;
                case BAD -> "spool_c_not-a-token-anyone-was-given";
                default -> tokens.get(who);
            };
        }

        Target withJob(String id) {
            return new Target(port, tokens, id);
        }
    }

    /**
     * One request and its expected answer. {@code path} and {@code body} may hold {@code {job}}
     * (the target's job id); a body of {@link #OVERSIZED} announces and starts a 2 MiB body.
     * {@code header} is one more header line, or null; {@code field} the error's field, or null
     * when it is not checked; {@code repeat} how many times the request may go out before the
     * expected answer comes (1 but for the rate limit, whose burst is used up first).
     */
    record Case(String name, String method, String path, Who who, String body, int status, String code, String fragment,
                String header, String field, int repeat) {
        /** The request with one more header line ("Name: value"). */
        Case withHeader(String line) {
            return new Case(name, method, path, who, body, status, code, fragment, line, field, repeat);
        }

        /** The answer must name this field. */
        Case naming(String errorField) {
            return new Case(name, method, path, who, body, status, code, fragment, header, errorField, repeat);
        }

        /** Sent up to this many times, until something other than a 2xx comes back. */
        Case repeated(int times) {
            return new Case(name, method, path, who, body, status, code, fragment, header, field, times);
        }

        /** Sends the request (again while it succeeds, up to {@code repeat} times) and returns the last reply. */
        RawSocketHttp.Reply sendRepeated(Target t) throws java.io.IOException {
            RawSocketHttp.Reply reply = send(t);
            for (int i = 1; i < repeat && reply.status() / 100 == 2; i++) reply = send(t);
            return reply;
        }

        RawSocketHttp.Reply send(Target t) throws java.io.IOException {
            String p = path.replace("{job}", t.jobId());
            if (OVERSIZED.equals(body)) {
                String head = method + " " + p + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer "
                        + t.token(who) + "\r\nContent-Type: application/json\r\nContent-Length: " + (2 * 1024 * 1024) + "\r\n\r\n";
                return RawSocketHttp.exchange(t.port(), head.getBytes(StandardCharsets.ISO_8859_1), " ".repeat(64 * 1024).getBytes());
            }
            if (CHUNKED.equals(body)) {
                String head = method + " " + p + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer "
                        + t.token(who) + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
                String chunk = Integer.toHexString(64 * 1024) + "\r\n" + " ".repeat(64 * 1024) + "\r\n";
                return RawSocketHttp.exchange(t.port(), head.getBytes(StandardCharsets.ISO_8859_1),
                        (chunk.repeat(32) + "0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            byte[] bytes = body == null ? null : body.replace("{job}", t.jobId()).getBytes(StandardCharsets.UTF_8);
            return header == null ? RawSocketHttp.send(t.port(), method, p, t.token(who), bytes)
                    : RawSocketHttp.send(t.port(), method, p, t.token(who), bytes, header);
        }
    }

    static final String OVERSIZED = "<2 MiB announced>";
    static final String CHUNKED = "<2 MiB chunked>";
    private static final String JOBS = "/api/v1/jobs";
    private static final String TOKENS = "/api/v1/tokens";
    /** The suite's coordinator runs with --rate-limit RATE_LIMIT (RATE:BURST): far above what any other case sends. */
    static final String RATE_LIMIT = "20:400";
    static final int RATE_LIMIT_BURST = 400;
    private static final String OK_OUTPUTS = "\"output\":\"/srv/out\",\"outputs\":[{\"resolution\":\"240p\"}]";

    private HostileRequests() {}

    private static Case c(String name, String method, String path, Who who, String body, int status, String code, String fragment) {
        return new Case(name, method, path, who, body, status, code, fragment, null, null, 1);
    }

    /** A job body with this input and the usual outputs. */
    private static String job(String input) {
        return "{\"input\":\"" + input + "\"," + OK_OUTPUTS + "}";
    }

    private static Case submit(String name, String body, String field, String fragment) {
        return c(name, "POST", JOBS, Who.ADMIN, body, 400, "INVALID", fragment == null ? field : fragment);
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        // bodies: JSON that is not a job
        cases.add(submit("malformed JSON", "{\"input\":\"/a.mp4\",", "body", "malformed JSON"));
        cases.add(submit("an empty body", "", "body", "is empty"));
        cases.add(submit("JSON null", "null", "body", "not null"));
        cases.add(submit("an array for a body", "[1,2]", "body", "must be a JSON object"));
        cases.add(submit("10k-deep arrays for a body", "[".repeat(10_000) + "]".repeat(10_000), "body", "must be a JSON object"));
        cases.add(submit("10k-deep objects for a body", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000), "body", "body is nested too deep"));
        cases.add(submit("10k-deep arrays in a field", "{\"input\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}", "input", "input must be a string, not an array"));
        cases.add(submit("a duplicate key (the second input would win)",
                "{\"input\":\"/srv/a.mp4\"," + OK_OUTPUTS + ",\"input\":\"/etc/passwd\"}", "input", "input is given twice"));
        cases.add(submit("a duplicate key inside outputs[]",
                "{\"input\":\"/srv/a.mp4\",\"output\":\"/srv/out\",\"outputs\":[{\"resolution\":\"240p\",\"resolution\":\"720p\"}]}",
                "resolution", "given twice"));
        cases.add(submit("an unknown field", "{\"input\":\"/srv/a.mp4\"," + OK_OUTPUTS + ",\"run_as\":\"root\"}", "run_as",
                "unknown field 'run_as'"));
        cases.add(submit("a huge number", "{\"input\":\"/srv/a.mp4\"," + OK_OUTPUTS + ",\"piece_seconds\":" + "9".repeat(400) + "}",
                "piece_seconds", "out of range"));
        cases.add(submit("1e400", "{\"input\":\"/srv/a.mp4\"," + OK_OUTPUTS + ",\"piece_seconds\":1e400}", "piece_seconds", "out of range"));
        cases.add(submit("a negative piece length", "{\"input\":\"/srv/a.mp4\"," + OK_OUTPUTS + ",\"piece_seconds\":-4}",
                "piece_seconds", "must be 0 (never split) or 1 to"));
        cases.add(submit("a string where a list goes", "{\"input\":\"/srv/a.mp4\",\"output\":\"/srv/out\",\"outputs\":\"240p\"}",
                "outputs", "outputs must be a JSON array, not a string"));
        cases.add(submit("a list where a string goes", "{\"input\":[\"/srv/a.mp4\"]," + OK_OUTPUTS + "}", "input",
                "input must be a string, not an array"));
        cases.add(submit("an escape sequence in a label", "{\"input\":\"/srv/a.mp4\"," + OK_OUTPUTS
                + ",\"labels\":{\"title\":\"x\\u001b[2Jy\"}}", "labels.title", "contains a control character"));
        cases.add(submit("a newline in a label", "{\"input\":\"/srv/a.mp4\"," + OK_OUTPUTS + ",\"labels\":{\"title\":\"a\\nb\"}}",
                "labels.title", "contains a control character"));
        cases.add(submit("a label key with a space", "{\"input\":\"/srv/a.mp4\"," + OK_OUTPUTS + ",\"labels\":{\"a b\":\"x\"}}",
                "labels", "key 'a b' must be"));
        cases.add(submit("an unknown rung", "{\"input\":\"/srv/a.mp4\",\"output\":\"/srv/out\",\"outputs\":[{\"resolution\":\"99999p\"}]}",
                "outputs[].resolution", "outputs[].resolution '99999p' is not a rung"));
        cases.add(submit("an unknown priority", "{\"input\":\"/srv/a.mp4\"," + OK_OUTPUTS + ",\"priority\":\"ROOT\"}", "priority",
                "priority must be HIGH, NORMAL or LOW"));
        cases.add(submit("17 renditions", "{\"input\":\"/srv/a.mp4\",\"output\":\"/srv/out\",\"outputs\":["
                + "{\"resolution\":\"240p\"},".repeat(16) + "{\"resolution\":\"240p\"}]}", "outputs", "more than 16"));
        cases.add(submit("a NUL in the input", job("/srv/a\\u0000b.mp4"), "input", "input contains control characters"));
        cases.add(submit("a 5000-character input", job("/" + "a".repeat(5000)), "input", "longer than 4096"));
        cases.add(submit("an input in gopher://", job("gopher://x"), "input", "'gopher://x' is a gopher: URL, which Spool does not read"));
        cases.add(submit("an input in file://", job("file:///etc/passwd"), "input", "is a file: URL, which Spool does not read"));
        cases.add(submit("a relative input that climbs out", job("../outside/secret.mp4"), "input", "relative path that climbs out"));
        cases.add(submit("an output in gopher://", "{\"input\":\"/srv/a.mp4\",\"output\":\"gopher://x/out\",\"outputs\":[{\"resolution\":\"240p\"}]}",
                "output", "is a gopher: URL"));
        cases.add(submit("an output over HTTP", "{\"input\":\"/srv/a.mp4\",\"output\":\"http://127.0.0.1/out\",\"outputs\":[{\"resolution\":\"240p\"}]}",
                "output", "cannot be an HTTP URL"));
        cases.add(submit("a spool:// input with ..", job("spool://uploads/../../etc/passwd"), "input", "none of them . or .."));
        cases.add(submit("an s3:// key with ..", job("s3://bucket/a/../../b"), "input", "not a plain object key"));
        cases.add(c("a body over the 1 MiB cap, announced", "POST", JOBS, Who.ADMIN, OVERSIZED, 413, "TOO_LARGE", "larger than 1 MiB"));
        cases.add(c("a body over the 1 MiB cap, chunked", "POST", JOBS, Who.ADMIN, CHUNKED, 413, "TOO_LARGE", "larger than 1 MiB"));
        // file routes: keys that try to leave the coordinator's store
        cases.add(c("a file key with ..", "GET", "/api/v1/files/in/../../tokens", Who.ADMIN, null, 400, "INVALID", "is not a file key"));
        cases.add(c("a file key with %2e%2e", "GET", "/api/v1/files/%2e%2e/tokens", Who.ADMIN, null, 400, "INVALID", "is not a file key"));
        cases.add(c("a file key with %2e%2e%2f", "GET", "/api/v1/files/in%2f%2e%2e%2f%2e%2e%2ftokens", Who.ADMIN, null, 400, "INVALID", "is not a file key"));
        cases.add(c("a file key with NUL", "GET", "/api/v1/files/in/a%00b", Who.ADMIN, null, 400, "INVALID", "NUL"));
        cases.add(c("an absolute path as a file key", "GET", "/api/v1/files//etc/passwd", Who.ADMIN, null, 400, "INVALID", "is not a file key"));
        cases.add(c("an upload to a key with ..", "PUT", "/api/v1/files/%2e%2e/evil", Who.ADMIN, "x", 400, "INVALID", "is not a file key"));
        cases.add(c("a backslash in a file key", "GET", "/api/v1/files/in/..%5c..%5ctokens", Who.ADMIN, null, 400, "INVALID", "is not a file key"));
        // a job's output, served to the player: paths that try to leave the output directory (symlinks: DashboardApiTest)
        String notMedia = "path must be a media or playlist file";
        cases.add(c("an output path with ..", "GET", JOBS + "/{job}/output/../../../data/tokens", Who.ADMIN, null, 400, "INVALID", notMedia)
                .naming("path"));
        cases.add(c("an output path with %2e%2e", "GET", JOBS + "/{job}/output/%2e%2e/%2e%2e/tokens.m3u8", Who.ADMIN, null, 400, "INVALID",
                notMedia).naming("path"));
        cases.add(c("an output path with %2e%2e%2f", "GET", JOBS + "/{job}/output/360p%2f%2e%2e%2f%2e%2e%2fmaster.m3u8", Who.ADMIN, null, 400,
                "INVALID", notMedia).naming("path"));
        cases.add(c("an absolute output path", "GET", JOBS + "/{job}/output//etc/passwd.m3u8", Who.ADMIN, null, 400, "INVALID", notMedia)
                .naming("path"));
        cases.add(c("a NUL in an output path", "GET", JOBS + "/{job}/output/master.m3u8%00.txt", Who.ADMIN, null, 400, "INVALID", "NUL"));
        cases.add(c("a backslash in an output path", "GET", JOBS + "/{job}/output/..%5c..%5ctokens.m3u8", Who.ADMIN, null, 400, "INVALID",
                notMedia).naming("path"));
        cases.add(c("an output file that is not media", "GET", JOBS + "/{job}/output/spool.db", Who.ADMIN, null, 400, "INVALID", notMedia)
                .naming("path"));
        // the operator's worker control
        cases.add(c("a read-only token draining a worker", "POST", "/api/v1/workers/hostile-worker/drain", Who.READ, null, 403, "FORBIDDEN",
                "needs a submit or admin token; this token (name 'hostile-read') is read-only"));
        cases.add(c("a worker credential pausing a worker", "POST", "/api/v1/workers/hostile-worker/pause", Who.WORKER, null, 403, "FORBIDDEN",
                "needs a submit or admin token; this token is worker hostile-probe's own credential"));
        cases.add(c("pausing a worker that is not there", "POST", "/api/v1/workers/nobody-at-all/pause", Who.ADMIN, null, 404, "NOT_FOUND",
                "no worker nobody-at-all").naming("worker_id"));
        cases.add(c("a 20 KiB path", "GET", JOBS + "/" + "a".repeat(20 * 1024), Who.ADMIN, null, 414, "TOO_LARGE", "path is too long"));
        cases.add(c("a 64 KiB header", "GET", JOBS, Who.ADMIN, null, 431, "TOO_LARGE", "headers are too large")
                .withHeader("X-Padding: " + "p".repeat(64 * 1024)));
        // job ids
        cases.add(c("a job id of %2e%2e", "GET", JOBS + "/%2e%2e", Who.ADMIN, null, 400, "INVALID", "job_id is malformed"));
        cases.add(c("a 5000-character job id", "GET", JOBS + "/" + "a".repeat(5000), Who.ADMIN, null, 400, "INVALID", "job_id is malformed"));
        cases.add(c("SQL in a job id", "GET", JOBS + "/job_x'%20OR%20'1'='1", Who.ADMIN, null, 400, "INVALID", "job_id is malformed"));
        // tokens: who may call what (Role), and tokens that are no longer, or never were, valid
        cases.add(c("no token", "GET", JOBS, Who.NONE, null, 401, "UNAUTHORIZED", "a bearer token is required"));
        cases.add(c("a token nobody was given", "GET", JOBS, Who.BAD, null, 401, "UNAUTHORIZED", "the token is not valid"));
        cases.add(c("a revoked token", "GET", JOBS, Who.REVOKED, null, 401, "UNAUTHORIZED", "the token is not valid"));
        cases.add(c("a read-only token submitting a job", "POST", JOBS, Who.READ, job("/srv/a.mp4"), 403, "FORBIDDEN",
                "needs a submit or admin token; this token (name 'hostile-read') is read-only"));
        cases.add(c("a read-only token cancelling a job", "POST", JOBS + "/{job}/cancel", Who.READ, "{}", 403, "FORBIDDEN",
                "needs a submit or admin token; this token (name 'hostile-read') is read-only"));
        cases.add(c("a submit token creating a token", "POST", TOKENS, Who.SUBMIT, "{\"name\":\"sneaky\",\"role\":\"admin\"}", 403,
                "FORBIDDEN", "needs an admin token; this token (name 'hostile-submit') is a submit token"));
        cases.add(c("a submit token revoking the admin token", "DELETE", TOKENS + "/initial", Who.SUBMIT, null, 403, "FORBIDDEN",
                "needs an admin token"));
        cases.add(c("the join token on a client route", "POST", JOBS, Who.JOIN, job("/srv/a.mp4"), 403, "FORBIDDEN",
                "needs a submit or admin token; this token is the worker join token"));
        cases.add(c("a worker credential on a client route", "GET", JOBS, Who.WORKER, null, 403, "FORBIDDEN",
                "needs a read, submit or admin token; this token is worker hostile-probe's own credential"));
        cases.add(c("a worker credential cancelling a job", "POST", JOBS + "/{job}/cancel", Who.WORKER, "{}", 403, "FORBIDDEN",
                "needs a submit or admin token; this token is worker hostile-probe's own credential"));
        String workersOnly = "needs the join token or a worker's own credential; this token (name 'initial') is an admin token";
        cases.add(c("a client token on a worker route", "POST", "/api/v1/workers/sync", Who.ADMIN, "{\"worker_id\":\"x\"}", 403, "FORBIDDEN",
                workersOnly));
        cases.add(c("a client token setting progress through a trailing slash", "PATCH", JOBS + "/{job}/", Who.ADMIN,
                "{\"worker_id\":\"x\",\"progress\":55}", 403, "FORBIDDEN", workersOnly));
        cases.add(c("a client token finalizing through a trailing slash", "POST", JOBS + "/{job}/finalize/", Who.ADMIN,
                "{\"worker_id\":\"x\",\"manifest_url\":\"/forged/index.m3u8\"}", 403, "FORBIDDEN", workersOnly));
        cases.add(c("a worker reading a file its lease does not name", "GET", "/api/v1/files/in/clip.mp4", Who.WORKER, null, 403, "FORBIDDEN",
                "holds no task whose job reads spool://in/clip.mp4"));
        cases.add(c("a worker writing a file its lease does not name", "PUT", "/api/v1/files/outputs/forged/index.m3u8", Who.WORKER, "#EXTM3U",
                403, "FORBIDDEN", "holds no task whose job writes spool://outputs/forged/index.m3u8"));
        // hostile-worker registered with its own credential (the suite waits for that) and leases the
        // target job or has failed it: the shared join token cannot speak for it either way
        // (the suite's last case checks that no job ended with the forged manifest)
        cases.add(c("the join token finalizing another worker's job", "POST", JOBS + "/{job}/finalize", Who.JOIN,
                "{\"worker_id\":\"hostile-worker\",\"status\":\"COMPLETED\",\"manifest_url\":\"/forged/index.m3u8\"}", 403, "FORBIDDEN",
                "worker hostile-worker registered with its own credential; the join token cannot act for it").naming("worker_id"));
        cases.add(c("the join token setting another worker's progress", "PATCH", JOBS + "/{job}", Who.JOIN,
                "{\"worker_id\":\"hostile-worker\",\"progress\":55}", 403, "FORBIDDEN",
                "worker hostile-worker registered with its own credential").naming("worker_id"));
        // a read token of its own, so using up its burst starves no other case (limits are per token)
        cases.add(c("requests past a token's rate", "GET", JOBS + "/{job}", Who.LIMITED, null, 429, "RATE_LIMITED",
                "this token is over its limit (--rate-limit").repeated(RATE_LIMIT_BURST * 20));
        return cases;
    }
}
