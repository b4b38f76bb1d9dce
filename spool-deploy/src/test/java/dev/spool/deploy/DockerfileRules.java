package dev.spool.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What Spool's image must keep, as problems named in words: a build stage and a JRE 21 runtime,
 * pinned bases, a user other than root, the coordinator's health check, SIGTERM, an ENTRYPOINT that
 * runs spool.jar with the command as its arguments, and every module's pom in the build.
 */
final class DockerfileRules {
    /** Libraries the bundled ffmpeg links against that the JRE image lacks (readelf -d on ffmpeg 8.1.2, linux-x86_64-gpl). */
    static final List<String> FFMPEG_PACKAGES = List.of("libpulse0", "libasound2t64", "libxcb1", "libxcb-shm0", "libudev1",
            "libva2", "libva-drm2", "libdrm2");
    private static final Pattern TAGGED = Pattern.compile("[^:@/]+(/[^:@/]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[0-9a-f]{64})");
    private static final Pattern JRE_21 = Pattern.compile("(docker\\.io/)?(library/)?eclipse-temurin:21[.0-9_]*-jre(-[a-z]+)?");

    private DockerfileRules() {}

    /** The problems of {@code file}; {@code modules} are the parent pom's modules, each of whose poms the build needs. */
    static List<String> check(Dockerfile file, List<String> modules) {
        List<String> problems = new ArrayList<>();
        if (file.stages().size() < 2) problems.add("not multi-stage: one FROM (a build stage, then the runtime)");
        Set<String> stageNames = file.stages().stream().map(Dockerfile.Stage::name).filter(n -> n != null)
                .collect(Collectors.toSet());
        for (Dockerfile.Stage stage : file.stages()) {
            if (stage.image().endsWith(":latest")) problems.add("FROM " + stage.image() + ": a latest tag");
            else if (!TAGGED.matcher(stage.image()).matches() && !stageNames.contains(stage.image()))
                problems.add("FROM " + stage.image() + ": no tag or digest");
        }
        if (file.stages().isEmpty()) return problems;
        Dockerfile.Stage runtime = file.runtime();
        if (!JRE_21.matcher(runtime.image()).matches())
            problems.add("runtime FROM " + runtime.image() + ": not an eclipse-temurin 21 JRE");
        if (file.stages().size() >= 2) {
            boolean builds = file.stages().subList(0, file.stages().size() - 1).stream()
                    .flatMap(s -> s.all("RUN").stream()).anyMatch(i -> i.arguments().contains("mvn") && i.arguments().contains("package"));
            if (!builds) problems.add("no build stage runs mvn ... package");
            for (Dockerfile.Instruction copy : runtime.all("COPY")) {
                var from = Pattern.compile("--from=(\\S+)").matcher(copy.arguments());
                if (from.find() && !stageNames.contains(from.group(1)))
                    problems.add("line " + copy.line() + ": COPY --from=" + from.group(1) + " names no stage");
            }
        }
        List<Dockerfile.Instruction> users = runtime.all("USER");
        if (users.isEmpty()) problems.add("no USER in the runtime stage: the image would run as root");
        else {
            String user = users.getLast().arguments().split(":")[0].strip();
            if (user.equals("root") || user.equals("0")) problems.add("USER " + users.getLast().arguments() + ": runs as root");
        }
        List<Dockerfile.Instruction> health = runtime.all("HEALTHCHECK");
        if (health.isEmpty() || health.getLast().arguments().strip().equalsIgnoreCase("NONE"))
            problems.add("no HEALTHCHECK in the runtime stage");
        else if (!(health.getLast().arguments().contains("/api/v1/health")
                || runtime.all("ENV").stream().anyMatch(e -> e.arguments().contains("/api/v1/health"))))
            problems.add("the HEALTHCHECK does not ask the coordinator's /api/v1/health");
        List<Dockerfile.Instruction> stop = runtime.all("STOPSIGNAL");
        if (stop.isEmpty() || !stop.getLast().arguments().equals("SIGTERM"))
            problems.add("STOPSIGNAL is not SIGTERM (a worker drains on SIGTERM)");
        List<Dockerfile.Instruction> entry = runtime.all("ENTRYPOINT");
        if (entry.isEmpty()) problems.add("no ENTRYPOINT: docker run IMAGE coordinator would not run spool");
        else {
            List<String> words = execForm(entry.getLast().arguments());
            if (words == null) problems.add("ENTRYPOINT is not in exec form (a shell would take SIGTERM)");
            else if (words.isEmpty() || !words.getFirst().endsWith("java") || words.indexOf("-jar") < 0
                    || words.indexOf("-jar") == words.size() - 1 || !words.get(words.indexOf("-jar") + 1).endsWith("spool.jar"))
                problems.add("ENTRYPOINT " + words + " does not run java -jar .../spool.jar");
        }
        String runs = runtime.all("RUN").stream().map(Dockerfile.Instruction::arguments).collect(Collectors.joining(" "));
        for (String pkg : FFMPEG_PACKAGES)
            if (!Pattern.compile("(^|\\s)" + Pattern.quote(pkg) + "(\\s|$)").matcher(runs).find())
                problems.add("the runtime stage does not install " + pkg + ", which the bundled ffmpeg needs");
        if (file.stages().size() >= 2) {
            String copies = file.stages().getFirst().all("COPY").stream().map(Dockerfile.Instruction::arguments)
                    .collect(Collectors.joining(" "));
            for (String module : modules)
                if (!Pattern.compile("(^|\\s)" + Pattern.quote(module) + "(/pom\\.xml|/)?(\\s|$)").matcher(copies).find())
                    problems.add("the build stage copies neither " + module + "/pom.xml nor " + module
                            + " (Maven reads every module the parent pom lists)");
        }
        return problems;
    }

    /** ["a", "b"] as its words; null when the text is not a JSON array of strings. */
    static List<String> execForm(String arguments) {
        try {
            JsonNode node = DeployFiles.JSON.readTree(arguments);
            if (!node.isArray()) return null;
            List<String> words = new ArrayList<>();
            for (JsonNode word : node) {
                if (!word.isTextual()) return null;
                words.add(word.asText());
            }
            return words;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
