package dev.spool.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The files under deploy/ (the build passes their directory as spool.deploy.dir), read as text, YAML or JSON. */
final class DeployFiles {
    static final ObjectMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new JsonMapper();

    private DeployFiles() {}

    static Path dir() {
        String dir = System.getProperty("spool.deploy.dir");
        Path path = dir != null ? Path.of(dir) : Path.of("..", "deploy");
        if (!Files.isDirectory(path)) throw new IllegalStateException("no deploy directory at " + path.toAbsolutePath());
        return path.toAbsolutePath().normalize();
    }

    static Path file(String relative) {
        Path path = dir().resolve(relative);
        if (!Files.isRegularFile(path)) throw new IllegalStateException("missing deploy file " + path);
        return path;
    }

    /** The repository's root: the deploy directory's parent. */
    static Path repository() {
        return dir().getParent();
    }

    static String text(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One YAML document (Compose, a kustomization). */
    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a multi-document YAML file ("---" separated), empty ones left out. */
    static List<JsonNode> yamlDocuments(Path path) {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(path.toFile())) {
            var values = YAML.readValues(parser, JsonNode.class);
            while (values.hasNext()) {
                JsonNode node = values.next();
                if (node != null && !node.isNull() && !node.isMissingNode()) documents.add(node);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
        return documents;
    }

    /** A tool's path from an environment variable, else the first executable candidate, else null. */
    static Path tool(String envVariable, Path... candidates) {
        String env = System.getenv(envVariable);
        if (env != null && !env.isBlank()) {
            if (!Files.isExecutable(Path.of(env))) throw new AssertionError(envVariable + "=" + env + " names no executable file");
            return Path.of(env);
        }
        for (Path candidate : candidates) if (Files.isExecutable(candidate)) return candidate;
        return null;
    }

    /** Runs a command to its end; stdout and stderr together. */
    static Run run(List<String> command, Path workDir) {
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes());
            return new Run(process.waitFor(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Run(int exitCode, String output) {}
}
