package dev.spool.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class KubernetesTest {
    private static final Path BASE = DeployFiles.dir().resolve("kubernetes/base");
    private static final Path GPU = DeployFiles.dir().resolve("kubernetes/overlays/gpu");
    private final List<ObjectNode> base = Kustomize.build(BASE);
    private final List<ObjectNode> gpu = Kustomize.build(GPU);
    private final List<ObjectNode> arm64 = Kustomize.build(DeployFiles.dir().resolve("kubernetes/overlays/arm64"));

    @Test
    void everyObjectOfTheBaseAndTheOverlaysMeetsItsSchema() {
        for (List<ObjectNode> objects : List.of(base, gpu, arm64))
            for (ObjectNode object : objects)
                assertThat(KubernetesSchemas.problems(object)).as("%s", Kustomize.id(object)).isEmpty();
        for (JsonNode secret : DeployFiles.yamlDocuments(DeployFiles.file("kubernetes/secrets.example.yaml")))
            assertThat(KubernetesSchemas.problems(secret)).as("%s", Kustomize.id(secret)).isEmpty();
    }

    @Test
    void everyManifestInTheBaseIsListedInItsKustomization() throws IOException {
        Set<String> listed = new TreeSet<>();
        DeployFiles.yaml(DeployFiles.text(BASE.resolve("kustomization.yaml"))).path("resources").forEach(r -> listed.add(r.asText()));
        try (Stream<Path> files = Files.list(BASE)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")))
                    .containsExactlyInAnyOrderElementsOf(listed);
        }
    }

    @Test
    void aFieldTheDeploymentApiDoesNotHaveIsRefusedWithItsPath() {
        ObjectNode worker = find(base, "Deployment", "spool-worker").deepCopy();
        ObjectNode pod = (ObjectNode) worker.path("spec").path("template").path("spec");
        pod.set("terminationGracePeriod", pod.remove("terminationGracePeriodSeconds"));
        assertThat(KubernetesSchemas.problems(worker)).containsExactly("spec.template.spec.terminationGracePeriod: unknown field");

        ObjectNode coordinator = find(base, "Deployment", "spool-coordinator").deepCopy();
        ((ObjectNode) coordinator.path("spec")).put("replicas", "two");
        assertThat(KubernetesSchemas.problems(coordinator)).singleElement().asString().startsWith("spec.replicas: ");
    }

    @Test
    void aScaledObjectFieldKedaDoesNotHaveIsRefusedByName() {
        ObjectNode scaled = find(base, "ScaledObject", "spool-worker").deepCopy();
        ObjectNode spec = (ObjectNode) scaled.path("spec");
        spec.set("minReplicas", spec.remove("minReplicaCount"));
        assertThat(KubernetesSchemas.problems(scaled)).anyMatch(p -> p.startsWith("/spec: ") && p.contains("minReplicas"));
        spec.set("minReplicaCount", spec.remove("minReplicas"));
        spec.put("maxReplicaCount", "ten");
        assertThat(KubernetesSchemas.problems(scaled)).anyMatch(p -> p.startsWith("/spec/maxReplicaCount: "));
    }

    @Test
    void twoCoordinatorsTakeTheirDatabaseFromASecretBehindAService() {
        JsonNode coordinator = find(base, "Deployment", "spool-coordinator");
        assertThat(coordinator.path("spec").path("replicas").asInt()).isEqualTo(2);
        JsonNode container = coordinator.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(args(container)).startsWith("coordinator").contains("--db=$(SPOOL_DB)");
        assertThat(env(container, "SPOOL_DB").path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("spool-database");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe"))
            assertThat(container.path(probe).path("httpGet").path("path").asText()).as(probe).isEqualTo("/api/v1/health");
        JsonNode service = find(base, "Service", "spool-coordinator");
        assertThat(selects(service.path("spec").path("selector"), coordinator)).isTrue();
        assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(8080);
        assertThat(selects(find(base, "PodDisruptionBudget", "spool-coordinator").path("spec").path("selector").path("matchLabels"),
                coordinator)).isTrue();
    }

    @Test
    void workersDrainWithinTheirGracePeriodAndKedaScalesThemOnTheDesiredCount() {
        JsonNode worker = find(base, "Deployment", "spool-worker");
        JsonNode pod = worker.path("spec").path("template").path("spec");
        // one task attempt may run --task-timeout auto's 30 minutes; the drain must be allowed to finish it
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(1800);
        JsonNode container = pod.path("containers").get(0);
        assertThat(args(container)).startsWith("worker").contains("--coordinator=http://spool-coordinator:8080");
        assertThat(env(container, "SPOOL_JOIN_TOKEN").path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("spool-tokens");
        // the coordinators install the same Secret's tokens at the first start: no token is read out of a pod
        JsonNode coordinator = find(base, "Deployment", "spool-coordinator").path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(env(coordinator, "SPOOL_INITIAL_JOIN_TOKEN").path("valueFrom").path("secretKeyRef"))
                .isEqualTo(env(container, "SPOOL_JOIN_TOKEN").path("valueFrom").path("secretKeyRef"));
        assertThat(env(coordinator, "SPOOL_INITIAL_TOKEN").path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("spool-tokens");
        assertThat(selects(find(base, "PodDisruptionBudget", "spool-worker").path("spec").path("selector").path("matchLabels"), worker)).isTrue();

        assertThat(base).noneMatch(o -> o.path("kind").asText().equals("ScaledJob"));
        JsonNode scaled = find(base, "ScaledObject", "spool-worker");
        assertThat(scaled.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo("spool-worker");
        assertThat(scaled.path("spec").path("scaleTargetRef").path("kind").asText()).isEqualTo("Deployment");
        assertThat(scaled.path("spec").path("minReplicaCount").asInt(-1)).as("scales to zero").isZero();
        JsonNode trigger = scaled.path("spec").path("triggers").get(0);
        assertThat(trigger.path("type").asText()).isEqualTo("metrics-api");
        assertThat(trigger.path("metricType").asText()).as("replicas = ceil(value / 1): the count itself").isEqualTo("AverageValue");
        assertThat(trigger.path("metadata").path("targetValue").asText()).isEqualTo("1");
        assertThat(trigger.path("metadata").path("valueLocation").asText()).isEqualTo("desired_workers");
        // KEDA's operator lives in its own namespace: the URL must name the coordinator Service's
        String namespace = find(base, "Service", "spool-coordinator").path("metadata").path("namespace").asText();
        assertThat(trigger.path("metadata").path("url").asText())
                .isEqualTo("http://spool-coordinator." + namespace + ".svc:8080/api/v1/stats");
        assertThat(find(base, "TriggerAuthentication", trigger.path("authenticationRef").path("name").asText())
                .path("spec").path("secretTargetRef").get(0).path("parameter").asText()).isEqualTo("bearerToken");
    }

    @Test
    void everyContainerAsksForCpuAndMemoryAndRunsAsTheImagesUser() {
        for (String name : List.of("spool-coordinator", "spool-worker")) {
            JsonNode pod = find(base, "Deployment", name).path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(name).isTrue();
            assertThat(pod.path("securityContext").path("runAsUser").asInt()).as("the image's spool user").isEqualTo(10001);
            for (JsonNode container : pod.path("containers")) {
                assertThat(container.path("image").asText()).isEqualTo("spool:0.1.0");
                for (String kind : List.of("requests", "limits"))
                    for (String resource : List.of("cpu", "memory"))
                        assertThat(container.path("resources").path(kind).has(resource)).as("%s %s.%s", name, kind, resource).isTrue();
            }
        }
    }

    @Test
    void theGpuOverlayGivesEachWorkerAnNvidiaGpuAndKeepsTheRest() {
        JsonNode worker = find(gpu, "Deployment", "spool-worker");
        JsonNode container = worker.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(worker.path("spec").path("template").path("spec").path("containers")).hasSize(1);
        assertThat(container.path("resources").path("limits").path("nvidia.com/gpu").asText()).isEqualTo("1");
        assertThat(container.path("resources").path("limits").path("memory").asText()).as("the base's limits stay").isNotEmpty();
        assertThat(env(container, "NVIDIA_DRIVER_CAPABILITIES").path("value").asText()).contains("video");
        assertThat(env(container, "SPOOL_JOIN_TOKEN").isMissingNode()).as("the base's env stays").isFalse();
        assertThat(worker.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(1800);
        assertThat(kinds(gpu)).isEqualTo(kinds(base));
        JsonNode baseContainer = find(base, "Deployment", "spool-worker").path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(baseContainer.path("resources").path("limits").has("nvidia.com/gpu")).isFalse();
        // a list of strings is replaced whole by a patch: the overlay's args must follow the base's but for --slots
        assertThat(args(container).stream().filter(a -> !a.startsWith("--slots=")).toList())
                .isEqualTo(args(baseContainer).stream().filter(a -> !a.startsWith("--slots=")).toList());
    }

    @Test
    void theArm64OverlayPlacesWorkersOnArm64NodesAndKeepsTheRest() {
        JsonNode spec = find(arm64, "Deployment", "spool-worker").path("spec").path("template").path("spec");
        assertThat(spec.path("nodeSelector").path("kubernetes.io/arch").asText()).isEqualTo("arm64");
        JsonNode container = spec.path("containers").get(0);
        assertThat(spec.path("containers")).hasSize(1);
        assertThat(container.path("resources").path("limits").path("memory").asText()).isEqualTo("3Gi");
        assertThat(env(container, "SPOOL_JOIN_TOKEN").isMissingNode()).as("the base's env stays").isFalse();
        assertThat(spec.path("terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(1800);
        JsonNode baseContainer = find(base, "Deployment", "spool-worker").path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(args(container)).as("the base's arguments stay").isEqualTo(args(baseContainer));
        assertThat(kinds(arm64)).isEqualTo(kinds(base));
        assertThat(find(arm64, "Deployment", "spool-coordinator").path("spec").path("template").path("spec").has("nodeSelector"))
                .as("the coordinator may run anywhere").isFalse();
    }

    private static List<String> kinds(List<ObjectNode> objects) {
        return objects.stream().map(Kustomize::id).sorted().toList();
    }

    private static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static List<String> args(JsonNode container) {
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) if (e.path("name").asText().equals(name)) return e;
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** Whether every label of {@code selector} is on the Deployment's pods and in its own selector. */
    private static boolean selects(JsonNode selector, JsonNode deployment) {
        JsonNode pods = deployment.path("spec").path("template").path("metadata").path("labels");
        JsonNode own = deployment.path("spec").path("selector").path("matchLabels");
        if (selector.isEmpty()) return false;
        for (Map.Entry<String, JsonNode> label : selector.properties())
            if (!label.getValue().equals(pods.get(label.getKey()))) return false;
        for (Map.Entry<String, JsonNode> label : own.properties())
            if (!label.getValue().equals(pods.get(label.getKey()))) return false;
        return true;
    }
}
