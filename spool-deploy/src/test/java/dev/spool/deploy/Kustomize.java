package dev.spool.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of kustomize that Spool's kustomizations use, so the tests see the objects kubectl
 * apply -k would send: resources (files and directories), namespace, labels (metadata only),
 * images, and strategic merge patches (maps merged, lists of named items merged by name, other
 * lists replaced). A field it does not know fails the build rather than being skipped.
 */
final class Kustomize {
    private static final Set<String> KNOWN = Set.of("apiVersion", "kind", "namespace", "labels", "resources", "images", "patches");

    private Kustomize() {}

    static List<ObjectNode> build(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        JsonNode k = DeployFiles.yaml(DeployFiles.text(file));
        for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!KNOWN.contains(field)) throw new IllegalArgumentException(file + ": the tests' kustomize does not know '" + field + "'");
        }
        if (!k.path("kind").asText().equals("Kustomization") || !k.path("apiVersion").asText().equals("kustomize.config.k8s.io/v1beta1"))
            throw new IllegalArgumentException(file + ": not a kustomize.config.k8s.io/v1beta1 Kustomization");
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : k.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) objects.addAll(build(path));
            else if (Files.isRegularFile(path))
                for (JsonNode document : DeployFiles.yamlDocuments(path)) objects.add((ObjectNode) document);
            else throw new IllegalArgumentException(file + ": resource " + resource.asText() + " does not exist");
        }
        for (JsonNode patch : k.path("patches")) {
            Path path = dir.resolve(patch.path("path").asText());
            JsonNode body = DeployFiles.yaml(DeployFiles.text(path));
            ObjectNode target = objects.stream().filter(o -> sameObject(o, body)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException(path + ": patches no object of the resources (" + id(body) + ")"));
            merge(target, body);
        }
        if (k.has("namespace"))
            for (ObjectNode o : objects)
                if (!o.path("kind").asText().equals("Namespace")) ((ObjectNode) o.with("metadata")).put("namespace", k.path("namespace").asText());
        for (JsonNode label : k.path("labels"))
            for (ObjectNode o : objects)
                for (Map.Entry<String, JsonNode> pair : label.path("pairs").properties())
                    o.with("metadata").with("labels").set(pair.getKey(), pair.getValue());
        for (JsonNode image : k.path("images"))
            for (ObjectNode o : objects)
                for (JsonNode container : o.path("spec").path("template").path("spec").path("containers")) {
                    String current = container.path("image").asText();
                    if (current.equals(image.path("name").asText()) || current.startsWith(image.path("name").asText() + ":"))
                        ((ObjectNode) container).put("image", image.path("newName").asText(image.path("name").asText())
                                + ":" + image.path("newTag").asText());
                }
        return objects;
    }

    static String id(JsonNode o) {
        return o.path("apiVersion").asText() + "/" + o.path("kind").asText() + " " + o.path("metadata").path("name").asText();
    }

    private static boolean sameObject(JsonNode a, JsonNode b) {
        return id(a).equals(id(b));
    }

    /** A strategic merge patch, as kubectl applies it to the fields Spool's patches touch. */
    static void merge(ObjectNode target, JsonNode patch) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            JsonNode current = target.get(field.getKey());
            JsonNode value = field.getValue();
            if (current instanceof ObjectNode object && value.isObject()) merge(object, value);
            else if (current instanceof ArrayNode list && value.isArray() && named(list) && named(value)) mergeByName(list, value);
            else target.set(field.getKey(), value.deepCopy());
        }
    }

    private static boolean named(JsonNode list) {
        if (list.isEmpty()) return false;
        for (JsonNode item : list) if (!item.isObject() || !item.has("name")) return false;
        return true;
    }

    private static void mergeByName(ArrayNode list, JsonNode patch) {
        for (JsonNode item : patch) {
            ObjectNode match = null;
            for (JsonNode existing : list)
                if (existing.path("name").equals(item.path("name"))) match = (ObjectNode) existing;
            if (match != null) merge(match, item);
            else list.add(item.deepCopy());
        }
    }
}
