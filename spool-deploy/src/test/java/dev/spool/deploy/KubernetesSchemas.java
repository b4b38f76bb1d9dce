package dev.spool.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Checks a Kubernetes object as an API server with strict field validation would: built-in kinds
 * through fabric8's model of the API (a wrong type fails to bind; a field the API does not have
 * lands in a model object's additionalProperties, and is reported with its path), KEDA's kinds
 * through the openAPIV3Schema of KEDA's CRDs, with unknown fields refused as the server refuses them.
 */
final class KubernetesSchemas {
    private static final Map<String, Class<?>> BUILT_IN = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);
    private static final Map<String, String> CRDS = Map.of(
            "keda.sh/v1alpha1/ScaledObject", "schemas/keda.sh_scaledobjects.yaml",
            "keda.sh/v1alpha1/TriggerAuthentication", "schemas/keda.sh_triggerauthentications.yaml");

    private KubernetesSchemas() {}

    /** The problems of one object, each naming where; empty when it is valid. */
    static List<String> problems(JsonNode object) {
        String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        if (object.path("metadata").path("name").asText().isEmpty()) return List.of(type + ": metadata.name is required");
        if (BUILT_IN.containsKey(type)) return builtIn(object, BUILT_IN.get(type));
        if (CRDS.containsKey(type)) return custom(object, CRDS.get(type), object.path("apiVersion").asText().split("/")[1]);
        return List.of(type + ": a kind these tests have no schema for");
    }

    private static List<String> builtIn(JsonNode object, Class<?> type) {
        Object model;
        try {
            model = DeployFiles.JSON.treeToValue(object, type);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            StringBuilder path = new StringBuilder();
            for (var reference : e.getPath()) {
                if (reference.getFieldName() != null) path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
                else if (reference.getIndex() >= 0) path.append('[').append(reference.getIndex()).append(']');
            }
            return List.of(path + ": " + e.getOriginalMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return List.of(e.getOriginalMessage());
        }
        List<String> problems = new ArrayList<>();
        unknownFields(model, "", problems);
        return problems;
    }

    /** Every additionalProperties entry under {@code model}: fields the Kubernetes API does not have. */
    private static void unknownFields(Object model, String path, List<String> problems) {
        if (model == null) return;
        if (model instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) unknownFields(item, path + "[" + i++ + "]", problems);
            return;
        }
        if (model instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) unknownFields(e.getValue(), path + "." + e.getKey(), problems);
            return;
        }
        if (!model.getClass().getName().startsWith("io.fabric8.")) return;
        for (Method getter : model.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) continue;
            Object value;
            try {
                value = getter.invoke(model);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(getter + ": " + e.getMessage(), e);
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            if (field.equals("additionalProperties") && value instanceof Map<?, ?> extra) {
                for (Object key : extra.keySet()) problems.add((path.isEmpty() ? "" : path + ".") + key + ": unknown field");
            } else if (!field.equals("additionalProperties")) {
                unknownFields(value, (path.isEmpty() ? "" : path + ".") + field, problems);
            }
        }
    }

    private static List<String> custom(JsonNode object, String crdFile, String version) {
        JsonNode crd = DeployFiles.yamlDocuments(DeployFiles.file(crdFile)).getFirst();
        JsonNode schema = null;
        for (JsonNode v : crd.path("spec").path("versions"))
            if (v.path("name").asText().equals(version)) schema = v.path("schema").path("openAPIV3Schema").deepCopy();
        if (schema == null) return List.of(crdFile + " has no version " + version);
        closeObjects(schema);
        return JsonSchemas.of(DeployFiles.file(crdFile).toUri(), schema, SpecificationVersion.DRAFT_4).errors(object);
    }

    /** additionalProperties: false wherever the schema lists properties and keeps no unknown fields, as strict validation does. */
    private static void closeObjects(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false))
                object.put("additionalProperties", false);
            object.forEach(KubernetesSchemas::closeObjects);
        } else if (node.isArray()) {
            node.forEach(KubernetesSchemas::closeObjects);
        }
    }
}
