package dev.spool.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.coordinator.api.RawHttp.Reply;
import dev.spool.model.protocol.Api;
import io.javalin.event.HandlerMetaInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route the coordinator registered, as Javalin lists it (not a list kept here), called with
 * every kind of token (read, submit and admin client tokens, the join token, a worker's credential,
 * none, an unknown one, an expired one), with and without a trailing slash: each answer is the one
 * its declared role allows. Auth's own refusals carry no field; a handler's (a file a worker may not
 * touch, a token name that is not there) name one.
 */
class RouteAccessTest {
    /** Who each role lets in, written out here so the test does not take Role's word for it. */
    private static final Map<Role, Set<String>> ADMITS = Map.of(
            Role.READ, Set.of("read", "submit", "admin"),
            Role.SUBMIT, Set.of("submit", "admin"),
            Role.ADMIN, Set.of("admin"),
            Role.WORKER, Set.of("join", "worker"),
            Role.FILES_READ, Set.of("read", "submit", "admin", "worker"),
            Role.FILES_WRITE, Set.of("submit", "admin", "worker"));

    private static final String FILE_KEY = "outputs/a/index.m3u8";

    @TempDir Path dataDir;
    private Coordinator coordinator;

    @AfterEach
    void stop() {
        if (coordinator != null) coordinator.close();
    }

    @Test
    void everyRegisteredRouteAnswersEachKindOfTokenAsItsDeclaredRoleSaysWithOrWithoutATrailingSlash() throws IOException {
        // about roles, not rate limits: the walk sends some 80 bad tokens from one address in a second,
        // which the per-address limit would rightly answer 429 (LimitsApiTest is about that)
        coordinator = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, dataDir, null, Duration.ofMinutes(5),
                Duration.ofSeconds(1), CoordinatorApiContract.RETRY, Duration.ofMillis(200))
                .withLimits(new Limits(Limits.DEFAULT_REQUESTS, Limits.DEFAULT_BYTES, null, Limits.DEFAULT_MAX_UPLOAD_BYTES)), Clock.systemUTC());
        RawHttp http = new RawHttp(coordinator.port());
        String client = token("SPOOL_TOKEN");
        String join = token("SPOOL_JOIN_TOKEN");
        String read = http.post(Api.TOKENS, client, """
                {"name":"read","role":"read"}""").json().path("token").asText();
        String submit = http.post(Api.TOKENS, client, """
                {"name":"submit","role":"submit","expires_in":"30d"}""").json().path("token").asText();
        assertThat(read).isNotBlank();
        assertThat(submit).isNotBlank();
        // an admin token that expired an hour ago, as the table holds it: expiry alone must refuse it everywhere
        String expired = "spool_c_expired-for-an-hour";
        java.time.Instant now = java.time.Instant.now();
        coordinator.queue().createToken(Tokens.hash(expired), "expired", "admin", now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)));
        Reply registered = http.post(Api.WORKER_REGISTER, join, """
                {"worker_id":"w-1","protocol":%d,"slots":1,
                 "capabilities":{"supported_codecs":["libx264"],"has_gpu":false,"max_resolution":"1080p"}}"""
                .formatted(Api.PROTOCOL));
        String worker = registered.json().path("credential").asText();
        assertThat(worker).as(registered.toString()).isNotBlank();
        // w-1 holds a job writing spool://outputs/a, so the files routes let it at FILE_KEY; HEAD's answer has no body to tell by
        http.post(Api.JOBS, client, """
                {"input":"spool://uploads/u1/a.mp4","output":"spool://outputs/a","outputs":[{"resolution":"360p"}],"piece_seconds":0}""");
        String lease = http.post(Api.WORKER_SYNC, worker, """
                {"worker_id":"w-1","status":"IDLE","current_job_id":""}""").json().at("/assigned_job/lease/lease_id").asText();
        assertThat(lease).as("w-1 holds the files job").isNotBlank();
        http.post(Api.WORKER_SYNC, worker, """
                {"worker_id":"w-1","status":"BUSY","current_job_id":"","leases":["%s"]}""".formatted(lease));   // acknowledged
        String jobId = http.post(Api.JOBS, client, CoordinatorApiContract.job("movies/a.mkv", "")).json().path("job_id").asText();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("none", null);
        tokens.put("wrong", "spool_c_not-a-real-token");
        tokens.put("read", read);
        tokens.put("submit", submit);
        tokens.put("admin", client);
        tokens.put("join", join);
        tokens.put("worker", worker);
        tokens.put("expired", expired);

        // the dashboard's session cookies: one with its CSRF header on every request (it acts as its token),
        // one without (it may only GET and HEAD; anything else is refused naming X-Spool-CSRF)
        Map<String, String[]> sessions = new LinkedHashMap<>();
        sessions.put("read session", signIn(http, read, true));
        sessions.put("admin session without CSRF", signIn(http, client, false));

        List<HandlerMetaInfo> routes = coordinator.routes();
        assertThat(routes).extracting(r -> r.getHttpMethod() + " " + r.getPath())
                .as("the list is Javalin's, and holds the routes this test is about")
                .contains("PATCH " + Api.JOB, "POST " + Api.JOB_FINALIZE, "GET " + Api.HEALTH, "PUT " + Api.FILE,
                        "GET " + Api.WORKER, "POST " + Api.WORKER_DRAIN, "POST " + Api.WORKER_PAUSE, "POST " + Api.WORKER_RESUME,
                        "GET " + Api.JOB_OUTPUT);
        SoftAssertions soft = new SoftAssertions();
        List<String> walked = new ArrayList<>();
        for (HandlerMetaInfo route : routes) {
            Role role = Auth.role(route.getRoles());
            soft.assertThat(role).as(route.getHttpMethod() + " " + route.getPath() + " declares one role").isNotNull();
            if (role == null) continue;
            // {id}: a real job, or on the worker routes a worker other than w-1 (deregistering w-1 would revoke its credential);
            // {name}: a token that is not there (revoking one of these would change the walk); on a worker's
            // control routes {id} is the job's id, no worker's (draining w-1 would change the walk); <path>: a
            // playlist of the job, which has not completed

            String concrete = route.getPath().replace(Api.WORKER_DEREGISTER, Api.workerDeregister("w-other"))
                    .replace("{id}", jobId).replace("<key>", FILE_KEY).replace("{name}", "nobody").replace("<path>", "master.m3u8");
            if (route.getPath().equals(Api.DASHBOARD_ASSETS)) concrete = "/ui/app.js";   // the dashboard's <path>: one of its scripts
            // the dashboard's "/" has no trailing-slash variant of its own: the second call adds an empty query
            for (String path : List.of(concrete, concrete.endsWith("/") ? concrete + "?" : concrete + "/")) {
                for (Map.Entry<String, String> token : tokens.entrySet()) {
                    String method = route.getHttpMethod().name();
                    // an empty object: a call that gets past the check is refused by the handler and changes little
                    String body = method.equals("GET") || method.equals("HEAD") || method.equals("DELETE") ? null : "{}";
                    Reply reply = http.send(method, path, token.getValue(), body).join();
                    // a rotation that got through replaced the join token: walk on with the new one
                    if (route.getPath().equals(Api.JOIN_ROTATE) && reply.status() == 200) tokens.put("join", reply.json().path("join_token").asText());
                    String what = method + " " + path + " (" + role + ") with " + token.getKey() + " token: " + reply;
                    walked.add(what);
                    boolean refusedByAuth = reply.status() == 401
                            || (reply.status() == 403 && (method.equals("HEAD") || !reply.error().has("field")));
                    if (role == Role.OPEN) {
                        // health and the page answer 200; sign-in refuses the empty body itself (400 naming token)
                        soft.assertThat(refusedByAuth).as(what + " is not refused by the check").isFalse();
                        if (method.equals("GET")) soft.assertThat(reply.status()).as(what).isEqualTo(200);
                    } else if (token.getValue() == null || token.getKey().equals("wrong") || token.getKey().equals("expired")) {
                        soft.assertThat(reply.status()).as(what).isEqualTo(401);
                        if (!method.equals("HEAD"))
                            soft.assertThat(reply.error().path("code").asText()).as(what).isEqualTo("UNAUTHORIZED");
                        if (!method.equals("HEAD") && token.getKey().equals("expired"))
                            soft.assertThat(reply.error().path("message").asText()).as(what).startsWith("the token expired on 20").endsWith("Z");
                    } else if (ADMITS.get(role).contains(token.getKey())) {
                        soft.assertThat(refusedByAuth).as(what + " gets past the check").isFalse();
                    } else {
                        soft.assertThat(reply.status()).as(what).isEqualTo(403);
                        if (!method.equals("HEAD"))
                            soft.assertThat(reply.error().path("code").asText()).as(what).isEqualTo("FORBIDDEN");
                        soft.assertThat(refusedByAuth).as(what + " is refused by the check, not a handler").isTrue();
                        if (!method.equals("HEAD"))
                            soft.assertThat(reply.error().path("message").asText()).as(what + " says what the route needs and what the token is")
                                    .startsWith("this route needs ").contains("; this token ");
                    }
                }
                for (Map.Entry<String, String[]> session : sessions.entrySet()) {
                    String method = route.getHttpMethod().name();
                    String body = method.equals("GET") || method.equals("HEAD") || method.equals("DELETE") ? null : "{}";
                    String[] cookie = session.getValue();
                    Reply reply = cookie[1] == null
                            ? http.sendWith(method, path, null, body, "Cookie", cookie[0])
                            : http.sendWith(method, path, null, body, "Cookie", cookie[0], Auth.CSRF_HEADER, cookie[1]);
                    String what = method + " " + path + " (" + role + ") with " + session.getKey() + ": " + reply;
                    walked.add(what);
                    if (route.getPath().equals(Api.JOIN_ROTATE) && reply.status() == 200) tokens.put("join", reply.json().path("join_token").asText());
                    boolean safe = method.equals("GET") || method.equals("HEAD");
                    boolean refusedByAuth = reply.status() == 401
                            || (reply.status() == 403 && (method.equals("HEAD") || !reply.error().has("field")));
                    String asToken = session.getKey().startsWith("read") ? "read" : "admin";
                    if (role == Role.OPEN) {
                        soft.assertThat(refusedByAuth).as(what + " is not refused by the check").isFalse();
                    } else if (cookie[1] == null && !safe) {
                        soft.assertThat(reply.status()).as(what).isEqualTo(403);
                        soft.assertThat(reply.error().path("field").asText()).as(what).isEqualTo(Auth.CSRF_HEADER);
                    } else if (ADMITS.get(role).contains(asToken)) {
                        soft.assertThat(refusedByAuth).as(what + " gets past the check").isFalse();
                    } else {
                        soft.assertThat(reply.status()).as(what).isEqualTo(403);
                        soft.assertThat(refusedByAuth).as(what + " is refused by the check, not a handler").isTrue();
                    }
                    // a sign-out that got through ended the session: walk on with a new one
                    if (route.getPath().equals(Api.SESSION) && method.equals("DELETE") && reply.status() == 204)
                        session.setValue(signIn(http, asToken.equals("read") ? read : client, cookie[1] != null));
                }
            }
        }
        soft.assertAll();
        assertThat(walked).hasSize(routes.size() * 2 * (tokens.size() + sessions.size()));
    }

    @Test
    void aPathWithNoRouteIsA401WithoutAValidTokenAndA404WithOne() throws IOException {
        coordinator = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, dataDir, null, Duration.ofSeconds(30),
                Duration.ofSeconds(1), CoordinatorApiContract.RETRY, Duration.ofMillis(200)), Clock.systemUTC());
        RawHttp http = new RawHttp(coordinator.port());
        String path = Api.BASE + "/no-such-route";

        assertThat(http.get(path, null).status()).isEqualTo(401);
        assertThat(http.get(path, "spool_c_not-a-real-token").error().path("code").asText()).isEqualTo("UNAUTHORIZED");
        Reply known = http.get(path, token("SPOOL_TOKEN"));
        assertThat(known.status()).as(known.toString()).isEqualTo(404);
        assertThat(known.error().path("message").asText()).isEqualTo("no route GET " + path);
    }

    /** Signs in with the token: the session's cookie, and its CSRF token when the walk is to send it (else null). */
    private static String[] signIn(RawHttp http, String token, boolean withCsrf) {
        Reply r = http.post(Api.SESSION, null, "{\"token\":\"" + token + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return new String[] {cookie.substring(0, cookie.indexOf(';')), withCsrf ? r.json().path("csrf_token").asText() : null};
    }

    private String token(String name) throws IOException {
        return Files.readAllLines(dataDir.resolve("tokens")).stream().filter(l -> l.startsWith(name + "="))
                .map(l -> l.substring(name.length() + 1)).findFirst().orElseThrow();
    }
}
