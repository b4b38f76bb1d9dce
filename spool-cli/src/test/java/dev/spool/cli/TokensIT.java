package dev.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.SpoolError;
import dev.spool.model.client.HttpApi;
import dev.spool.model.protocol.Api;
import dev.spool.model.testing.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spool tokens ...} as a user runs it, against a coordinator process: a read token made
 * and listed (never its secret), refused where it may not go with words that say why, revoked;
 * flags checked naming the flag typed; and the join token rotated while a registered worker
 * process carries on and finishes a job submitted with a submit token.
 */
class TokensIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

    @TempDir Path dir;
    private Cluster cluster;

    @BeforeEach
    void createCluster() {
        cluster = new Cluster(dir);
    }

    @AfterEach
    void stopCluster() throws Exception {
        cluster.close();
    }

    private SpoolProcess.Result spool(String token, String... args) throws Exception {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--coordinator";
        all[args.length + 1] = cluster.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = token;
        return SpoolProcess.run(all);
    }

    @Test
    void aReadTokenIsMadeListedRefusedWhereItMayNotGoAndRevoked() throws Exception {
        cluster.startCoordinator();
        String admin = cluster.clientToken();

        SpoolProcess.Result made = spool(admin, "tokens", "create", "grafana", "--role", "read", "--expires", "30d");
        assertThat(made.exitCode()).as(made.stderr()).isZero();
        String read = made.stdout().strip();
        assertThat(read).startsWith("spool_c_").doesNotContain("\n");
        assertThat(made.stderr()).contains("token 'grafana' (read) made, expires 20").contains("shown only now");

        SpoolProcess.Result list = spool(admin, "tokens", "list");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).doesNotContain(read).doesNotContain(admin);
        assertThat(list.stdout().lines().toList()).hasSize(3);
        assertThat(list.stdout().lines().toList().get(0)).startsWith("NAME").contains("ROLE", "CREATED", "EXPIRES", "LAST USED");
        assertThat(list.stdout()).containsPattern("(?m)^initial +admin +20\\S+Z +never +20\\S+Z$")
                .containsPattern("(?m)^grafana +read +20\\S+Z +20\\S+Z +never$");

        SpoolProcess.Result jobs = spool(read, "jobs");
        assertThat(jobs.exitCode()).as(jobs.stderr()).isZero();
        SpoolProcess.Result tokens = spool(read, "tokens", "list");
        assertThat(tokens.exitCode()).isEqualTo(SpoolError.Code.FORBIDDEN.exitCode());
        assertThat(tokens.stderr().strip()).isEqualTo("spool: this route needs an admin token; this token (name 'grafana') is read-only");
        SpoolProcess.Result cancel = spool(read, "cancel", "job_0000000000");
        assertThat(cancel.stderr().strip()).isEqualTo("spool: this route needs a submit or admin token; this token (name 'grafana') is read-only");

        SpoolProcess.Result revoked = spool(admin, "tokens", "revoke", "grafana");
        assertThat(revoked.exitCode()).as(revoked.stderr()).isZero();
        assertThat(revoked.stdout()).startsWith("revoked grafana at 20");
        SpoolProcess.Result after = spool(read, "jobs");
        assertThat(after.exitCode()).isEqualTo(SpoolError.Code.UNAUTHORIZED.exitCode());
        assertThat(after.stderr().strip()).isEqualTo("spool: the token is not valid");
        SpoolProcess.Result again = spool(admin, "tokens", "revoke", "grafana");
        assertThat(again.stderr().strip()).isEqualTo("spool: no live token named 'grafana'");
        assertThat(spool(admin, "tokens", "list").stdout()).doesNotContain("grafana");
    }

    @Test
    void badFlagsAreRefusedNamingTheFlagTyped() throws Exception {
        cluster.startCoordinator();
        String admin = cluster.clientToken();

        SpoolProcess.Result role = spool(admin, "tokens", "create", "x", "--role", "owner");
        assertThat(role.exitCode()).isEqualTo(SpoolError.Code.INVALID.exitCode());
        assertThat(role.stderr().strip()).isEqualTo("spool: --role must be read, submit or admin, not 'owner'");
        SpoolProcess.Result expires = spool(admin, "tokens", "create", "x", "--role", "read", "--expires", "30 days");
        assertThat(expires.stderr().strip()).isEqualTo("spool: --expires must be a number with m, h or d (90m, 12h, 30d), not '30 days'");
        SpoolProcess.Result name = spool(admin, "tokens", "create", "Grafana", "--role", "read");
        assertThat(name.stderr().strip()).startsWith("spool: NAME must be 1 to 64 of a-z").endsWith("not 'Grafana'");
        SpoolProcess.Result twice = spool(admin, "tokens", "create", "initial", "--role", "read");
        assertThat(twice.exitCode()).isEqualTo(SpoolError.Code.CONFLICT.exitCode());
        assertThat(twice.stderr().strip()).startsWith("spool: a token named 'initial' exists");
        SpoolProcess.Result missing = SpoolProcess.run("tokens", "list", "--coordinator", cluster.url());
        assertThat(missing.stderr()).contains("--token is required");
    }

    @Test
    void rotatingTheJoinTokenKeepsARegisteredWorkerWorkingAndRefusesTheOldToken() throws Exception {
        cluster.startCoordinator("--heartbeat", "1");
        String admin = cluster.clientToken();
        String oldJoin = cluster.joinToken();
        cluster.startWorker("alpha");
        Poll.until(Duration.ofSeconds(60), "alpha registers", () -> cluster.client().call("GET", Api.WORKERS, null, Cluster.CALL)
                .path("workers").size() == 1);

        SpoolProcess.Result rotated = spool(admin, "tokens", "rotate-join");
        assertThat(rotated.exitCode()).as(rotated.stderr()).isZero();
        String newJoin = rotated.stdout().strip();
        assertThat(newJoin).startsWith("spool_j_").isNotEqualTo(oldJoin);
        Instant rotatedAt = Instant.now();

        assertThatThrownBy(() -> new HttpApi(cluster.url(), oldJoin).call("POST", Api.WORKER_REGISTER,
                Map.of("worker_id", "late", "capabilities", Map.of()), Cluster.CALL))
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage()).isEqualTo("the token is not valid"));
        String submit = spool(admin, "tokens", "create", "ci", "--role", "submit").stdout().strip();
        JsonNode reply = new HttpApi(cluster.url(), submit).call("POST", Api.JOBS, Map.of("input", TestMedia.small(2).toString(),
                "output", dir.resolve("out").toString(), "outputs", java.util.List.of(Map.of("resolution", "240p")), "piece_seconds", 0), Cluster.CALL);
        JsonNode job = cluster.awaitJob(reply.path("job_id").asText(), j -> Cluster.state(j, "COMPLETED") || Cluster.state(j, "FAILED"), JOB_TIMEOUT);
        assertThat(job.path("state").asText()).as("alpha, registered before the rotation, carries on: " + job.toPrettyString()).isEqualTo("COMPLETED");
        JsonNode alpha = cluster.client().call("GET", Api.WORKERS, null, Cluster.CALL).path("workers").get(0);
        assertThat(Instant.parse(alpha.path("last_seen").asText())).as(alpha.toString()).isAfter(rotatedAt);
        assertThat(new HttpApi(cluster.url(), newJoin).call("POST", Api.WORKER_REGISTER,
                Map.of("worker_id", "late", "capabilities", Map.of("supported_codecs", java.util.List.of("libx264"))), Cluster.CALL)
                .path("ack").asBoolean()).isTrue();
    }
}
