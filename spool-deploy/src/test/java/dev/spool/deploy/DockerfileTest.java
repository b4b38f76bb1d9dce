package dev.spool.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class DockerfileTest {
    static final String LINT_VERSION = "1.8.0";
    private final String dockerfile = DeployFiles.text(DeployFiles.file("docker/Dockerfile"));

    static List<String> modules() {
        String pom = DeployFiles.text(DeployFiles.repository().resolve("pom.xml"));
        List<String> modules = new ArrayList<>();
        var matcher = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        while (matcher.find()) modules.add(matcher.group(1).strip());
        return modules;
    }

    private static List<String> problems(String text) {
        return DockerfileRules.check(Dockerfile.parse(text), modules());
    }

    @Test
    void theImageKeepsEveryRule() {
        assertThat(problems(dockerfile)).isEmpty();
        Dockerfile parsed = Dockerfile.parse(dockerfile);
        assertThat(parsed.runtime().all("EXPOSE")).extracting(Dockerfile.Instruction::arguments).contains("8080");
    }

    @Test
    void aRegressedCopyIsCaughtByName() {
        record Regression(String from, String to, String problem) {}
        List<Regression> regressions = List.of(
                new Regression("USER spool:spool", "USER root", "runs as root"),
                new Regression("USER spool:spool", "", "no USER"),
                new Regression("FROM eclipse-temurin:21-jre-noble", "FROM eclipse-temurin:latest", "a latest tag"),
                new Regression("FROM eclipse-temurin:21-jre-noble", "FROM eclipse-temurin:17-jre-noble", "not an eclipse-temurin 21 JRE"),
                new Regression("FROM eclipse-temurin:21-jre-noble", "FROM eclipse-temurin", "no tag or digest"),
                new Regression("STOPSIGNAL SIGTERM", "STOPSIGNAL SIGKILL", "STOPSIGNAL is not SIGTERM"),
                new Regression("HEALTHCHECK --interval", "#HEALTHCHECK --interval", "no HEALTHCHECK"),
                new Regression("ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=75\", \"--enable-native-access=ALL-UNNAMED\", \"-jar\", \"/opt/spool/spool.jar\"]",
                        "ENTRYPOINT java -jar /opt/spool/spool.jar", "not in exec form"),
                new Regression("COPY --from=build", "COPY --from=builder", "names no stage"),
                new Regression("libpulse0 ", "", "does not install libpulse0"),
                new Regression("COPY spool-worker spool-worker\n", "", "copies neither spool-worker/pom.xml nor spool-worker"));
        for (Regression regression : regressions) {
            assertThat(dockerfile).as("the Dockerfile still holds %s", regression.from()).contains(regression.from());
            assertThat(problems(dockerfile.replace(regression.from(), regression.to())))
                    .as("after replacing '%s' with '%s'", regression.from(), regression.to())
                    .anyMatch(p -> p.contains(regression.problem()));
        }
        // one stage only: the runtime image would have to carry Maven and the sources
        String single = dockerfile.substring(dockerfile.indexOf("FROM eclipse-temurin"));
        assertThat(problems(single)).anyMatch(p -> p.contains("not multi-stage"));
    }

    @Test
    void aModuleAddedToTheParentPomMustBeCopiedIntoTheBuild() {
        List<String> modules = new ArrayList<>(modules());
        modules.add("spool-dashboard");
        assertThat(DockerfileRules.check(Dockerfile.parse(dockerfile), modules))
                .containsExactly("the build stage copies neither spool-dashboard/pom.xml nor spool-dashboard (Maven reads every module the parent pom lists)");
    }

    @Test
    void dockerfilelintFindsNothing() {
        JsonNode report = lint(DeployFiles.file("docker/Dockerfile"));
        assertThat(report.path("totalIssues").asInt(-1)).as("dockerfilelint's issues: %s", report).isZero();
    }

    @Test
    void dockerfilelintFlagsALatestTagAndAnUnattendedAptGet(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("Dockerfile");
        Files.writeString(broken, dockerfile.replace("FROM eclipse-temurin:21-jre-noble", "FROM eclipse-temurin:latest")
                .replace("apt-get install -y --no-install-recommends", "apt-get install"));
        JsonNode report = lint(broken);
        List<String> titles = new ArrayList<>();
        report.path("files").get(0).path("issues").forEach(i -> titles.add(i.path("title").asText()));
        assertThat(titles).contains("Base Image Latest Tag", "Missing parameter for `apt-get`");
    }

    @Test
    void theDockerignoreKeepsOutBuildOutputsButNothingTheBuildCopies() {
        List<String> patterns = DeployFiles.text(DeployFiles.repository().resolve(".dockerignore")).lines()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignored(patterns, "spool-cli/target")).isTrue();
        assertThat(ignored(patterns, ".git")).isTrue();
        Dockerfile.Stage build = Dockerfile.parse(dockerfile).stages().getFirst();
        for (Dockerfile.Instruction copy : build.all("COPY")) {
            List<String> words = List.of(copy.arguments().split("\\s+"));
            for (String source : words.subList(0, words.size() - 1))
                assertThat(ignored(patterns, source)).as("line %d copies %s, which .dockerignore leaves out", copy.line(), source).isFalse();
        }
        assertThat(ignored(patterns, "spool-model/src/main/java/dev/spool/model/SpoolError.java")).isFalse();
    }

    /** Whether Docker leaves {@code path} out of the context: the last pattern that matches it or a parent decides. */
    private static boolean ignored(List<String> patterns, String path) {
        boolean ignored = false;
        for (String raw : patterns) {
            boolean negated = raw.startsWith("!");
            String pattern = negated ? raw.substring(1) : raw;
            var matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            for (Path p = Path.of(path); p != null; p = p.getParent())
                if (matcher.matches(p)) {
                    ignored = !negated;
                    break;
                }
        }
        return ignored;
    }

    private static JsonNode lint(Path file) {
        Path home = Path.of(System.getProperty("user.home"));
        Path tool = DeployFiles.tool("SPOOL_DOCKERFILELINT",
                home.resolve(".cache/spool/npm/node_modules/.bin/dockerfilelint"));
        if (tool == null)
            fail("dockerfilelint is missing: ./spool test installs it (npm install --prefix ~/.cache/spool/npm dockerfilelint@"
                    + LINT_VERSION + "); or set SPOOL_DOCKERFILELINT to its path");
        DeployFiles.Run run = DeployFiles.run(List.of(tool.toString(), "-j", file.toString()), file.getParent());
        try {
            return DeployFiles.JSON.readTree(run.output());
        } catch (java.io.IOException e) {
            throw new AssertionError("dockerfilelint (exit " + run.exitCode() + ") printed no JSON report: " + run.output(), e);
        }
    }
}
