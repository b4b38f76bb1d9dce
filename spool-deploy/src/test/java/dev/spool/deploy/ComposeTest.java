package dev.spool.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ComposeTest {
    private static final JsonSchemas COMPOSE_SPEC = JsonSchemas.of(DeployFiles.file("schemas/compose-spec.json").toUri(),
            DeployFiles.yaml(DeployFiles.text(DeployFiles.file("schemas/compose-spec.json"))), SpecificationVersion.DRAFT_7);
    private final String text = DeployFiles.text(DeployFiles.file("compose/compose.yaml"));
    private final JsonNode compose = DeployFiles.yaml(text);

    @Test
    void theComposeFileMeetsTheComposeSpecification() {
        assertThat(COMPOSE_SPEC.errors(compose)).isEmpty();
    }

    @Test
    void aMisspelledKeyIsRefusedByName() {
        ObjectNode broken = compose.deepCopy();
        ObjectNode coordinator = (ObjectNode) broken.path("services").path("coordinator");
        coordinator.set("helthcheck", coordinator.remove("healthcheck"));
        assertThat(COMPOSE_SPEC.errors(broken)).anyMatch(e -> e.contains("helthcheck"));
    }

    @Test
    void aDependencyConditionComposeDoesNotKnowIsRefused() {
        ObjectNode broken = compose.deepCopy();
        ((ObjectNode) broken.path("services").path("coordinator").path("depends_on").path("postgres"))
                .put("condition", "service_healty");
        assertThat(COMPOSE_SPEC.errors(broken)).anyMatch(e -> e.startsWith("/services/coordinator/depends_on/postgres/condition: ") && e.contains("service_healthy"));
    }

    @Test
    void aCoordinatorOnPostgresqlAnS3StoreAndTwoWorkersEachWaitForWhatTheyNeed() {
        JsonNode services = compose.path("services");
        assertThat(names(services)).containsExactlyInAnyOrder("postgres", "s3", "coordinator", "worker-1", "worker-2");
        services.properties().forEach(s -> assertThat(s.getValue().has("healthcheck")).as("%s has a healthcheck", s.getKey()).isTrue());

        JsonNode coordinator = services.path("coordinator");
        assertThat(command(coordinator)).first().isEqualTo("coordinator");
        assertThat(command(coordinator)).anyMatch(a -> a.startsWith("--db=jdbc:postgresql://postgres:5432/"));
        assertThat(coordinator.path("healthcheck").path("test").toString()).contains("http://127.0.0.1:8080/api/v1/health");
        assertThat(coordinator.path("depends_on").path("postgres").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(Files.isRegularFile(DeployFiles.file("compose/compose.yaml").getParent()
                .resolve(coordinator.path("build").path("context").asText())
                .resolve(coordinator.path("build").path("dockerfile").asText()))).as("the build's Dockerfile exists").isTrue();

        List<String> workers = new ArrayList<>();
        services.properties().forEach(s -> {
            if (!command(s.getValue()).isEmpty() && command(s.getValue()).getFirst().equals("worker")) workers.add(s.getKey());
        });
        assertThat(workers).hasSize(2);
        Set<String> ids = new TreeSet<>();
        for (String name : workers) {
            JsonNode worker = services.path(name);
            assertThat(worker.path("depends_on").path("coordinator").path("condition").asText()).isEqualTo("service_healthy");
            assertThat(worker.path("depends_on").path("s3").path("condition").asText()).isEqualTo("service_healthy");
            assertThat(command(worker)).contains("--coordinator=http://coordinator:8080", "--s3-endpoint=http://s3:80");
            command(worker).stream().filter(a -> a.startsWith("--id=")).forEach(ids::add);
            assertThat(worker.path("environment").has("SPOOL_JOIN_TOKEN")).isTrue();
            // docker stop's default is 10 s: a worker must get the time to finish its task
            assertThat(duration(worker.path("stop_grace_period").asText())).isGreaterThanOrEqualTo(Duration.ofMinutes(30));
        }
        assertThat(ids).as("each worker its own name").hasSize(2);
    }

    @Test
    void everyNamedVolumeIsDeclared() {
        Set<String> declared = names(compose.path("volumes"));
        compose.path("services").properties().forEach(s -> s.getValue().path("volumes").forEach(v -> {
            String source = v.asText().split(":")[0];
            if (!source.startsWith(".") && !source.startsWith("/") && !source.startsWith("$"))
                assertThat(declared).as("%s's volume %s", s.getKey(), source).contains(source);
        }));
    }

    @Test
    void everyVariableTheFileReadsIsInTheEnvExample() {
        String example = DeployFiles.text(DeployFiles.file("compose/spool.env.example"));
        var matcher = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(text);
        Set<String> variables = new TreeSet<>();
        while (matcher.find()) variables.add(matcher.group(1));
        assertThat(variables).contains("POSTGRES_PASSWORD", "SPOOL_JOIN_TOKEN");
        for (String variable : variables)
            assertThat(Pattern.compile("(?m)^#?" + variable + "=").matcher(example).find())
                    .as("spool.env.example names %s", variable).isTrue();
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> command(JsonNode service) {
        List<String> words = new ArrayList<>();
        service.path("command").forEach(w -> words.add(w.asText()));
        return words;
    }

    /** Compose's durations: 1h30m, 90s, 500ms. */
    static Duration duration(String text) {
        var matcher = Pattern.compile("(\\d+)(ms|us|ns|h|m|s)").matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find()) {
            if (matcher.start() != end) throw new IllegalArgumentException("not a duration: " + text);
            long n = Long.parseLong(matcher.group(1));
            total = total.plus(switch (matcher.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                case "ms" -> Duration.ofMillis(n);
                case "us" -> Duration.ofNanos(n * 1000);
                default -> Duration.ofNanos(n);
            });
            end = matcher.end();
        }
        if (end != text.length() || text.isEmpty()) throw new IllegalArgumentException("not a duration: " + text);
        return total;
    }
}
