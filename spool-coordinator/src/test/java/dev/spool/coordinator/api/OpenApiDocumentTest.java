package dev.spool.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.spool.model.protocol.Replies;
import dev.spool.model.protocol.Wire;
import dev.spool.model.protocol.WorkerMessages;
import io.javalin.event.HandlerMetaInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-written OpenAPI document cannot drift from the code: every registered route is documented
 * with its method and its role's security, every documented operation is registered, and each
 * message record's JSON field names are exactly its schema's properties.
 */
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    /** The security each role is documented with (an empty set: open). */
    private static final Map<Role, Set<String>> SECURITY = Map.of(Role.OPEN, Set.of(), Role.READ, Set.of("clientToken"),
            Role.SUBMIT, Set.of("clientToken"), Role.ADMIN, Set.of("clientToken"), Role.WORKER, Set.of("workerToken"),
            Role.FILES_READ, Set.of("clientToken", "workerToken"), Role.FILES_WRITE, Set.of("clientToken", "workerToken"));
    /** The least client-token role each route role is documented with (x-spool-role); none for OPEN and WORKER. */
    private static final Map<Role, String> CLIENT_ROLE = Map.of(Role.READ, "read", Role.SUBMIT, "submit", Role.ADMIN, "admin",
            Role.FILES_READ, "read", Role.FILES_WRITE, "submit");

    @TempDir static Path dataDir;
    private static Coordinator coordinator;
    private static JsonNode document;

    @BeforeAll
    static void start() throws IOException {
        coordinator = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, dataDir, null, Duration.ofSeconds(30),
                Duration.ofSeconds(1), CoordinatorApiContract.RETRY, Duration.ofMillis(200)), Clock.systemUTC());
        try (InputStream in = Coordinator.class.getResourceAsStream("/openapi.json")) {
            document = Wire.JSON.readTree(in);
        }
    }

    @AfterAll
    static void stop() {
        if (coordinator != null) coordinator.close();
    }

    /** "/api/v1/jobs/{id}" and Javalin's "/api/v1/files/<key>" alike: parameters as "{}". */
    private static String shape(String path) {
        return path.replaceAll("\\{[^}]*}|<[^>]*>", "{}");
    }

    @Test
    void everyRegisteredRouteIsDocumentedWithItsSecurityAndEveryDocumentedOneIsRegistered() {
        Map<String, Role> registered = new LinkedHashMap<>();
        for (HandlerMetaInfo route : coordinator.routes())
            registered.put(route.getHttpMethod().name() + " " + shape(route.getPath()), Auth.role(route.getRoles()));
        Map<String, JsonNode> documented = new LinkedHashMap<>();
        Map<String, String> documentedRole = new LinkedHashMap<>();
        JsonNode defaultSecurity = document.path("security");
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            var path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                var op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    documented.put(op.getKey().toUpperCase() + " " + shape(path.getKey()),
                            op.getValue().has("security") ? op.getValue().path("security") : defaultSecurity);
                    if (op.getValue().has("x-spool-role"))
                        documentedRole.put(op.getKey().toUpperCase() + " " + shape(path.getKey()), op.getValue().path("x-spool-role").asText());
                }
            }
        }

        assertThat(documented.keySet()).as("documented operations").containsExactlyInAnyOrderElementsOf(registered.keySet());
        SoftAssertions soft = new SoftAssertions();
        registered.forEach((route, role) -> {
            Set<String> schemes = new TreeSet<>();
            documented.get(route).forEach(requirement -> requirement.fieldNames().forEachRemaining(schemes::add));
            soft.assertThat(schemes).as(route + " (" + role + ") security").isEqualTo(new TreeSet<>(SECURITY.get(role)));
            soft.assertThat(documentedRole.get(route)).as(route + " (" + role + ") x-spool-role").isEqualTo(CLIENT_ROLE.get(role));
        });
        soft.assertAll();
    }

    @Test
    void eachMessageRecordsFieldsAreItsSchemasProperties() {
        Map<Class<?>, String> schemas = new LinkedHashMap<>();
        schemas.put(WorkerMessages.Register.class, "Register");
        schemas.put(WorkerMessages.Registered.class, "Registered");
        schemas.put(WorkerMessages.Sync.class, "Sync");
        schemas.put(WorkerMessages.HardwareStats.class, "HardwareStats");
        schemas.put(WorkerMessages.SyncReply.class, "SyncReply");
        schemas.put(WorkerMessages.AssignedJob.class, "AssignedJob");
        schemas.put(WorkerMessages.Input.class, "AssignedJob.input");
        schemas.put(WorkerMessages.Lease.class, "Lease");
        schemas.put(WorkerMessages.Split.class, "Split");
        schemas.put(WorkerMessages.PendingCommit.class, "PendingCommit");
        schemas.put(WorkerMessages.CommitRequest.class, "CommitRequest");
        schemas.put(WorkerMessages.CommitGranted.class, "CommitGranted");
        schemas.put(WorkerMessages.ProgressUpdate.class, "ProgressUpdate");
        schemas.put(WorkerMessages.Finalize.class, "Finalize");
        schemas.put(WorkerMessages.Metrics.class, "Finalize.metrics");
        schemas.put(WorkerMessages.Probed.class, "Finalize.probed");
        schemas.put(dev.spool.model.protocol.Capabilities.class, "Capabilities");
        schemas.put(Replies.Health.class, "/api/v1/health");
        schemas.put(Replies.Ack.class, "Ack");
        schemas.put(Replies.Finalized.class, "FinalizeResult");
        schemas.put(Replies.JobChanged.class, "SubmitResult");
        schemas.put(Replies.JobSummary.class, "JobSummary");
        schemas.put(Replies.Outputs.class, "JobSummary.outputs");
        schemas.put(Replies.Result.class, "JobSummary.result");
        schemas.put(Replies.JobView.class, "Job");
        schemas.put(Replies.Commit.class, "Job.commit");
        schemas.put(Replies.TaskView.class, "Task");
        schemas.put(Replies.EventView.class, "Event");
        schemas.put(Replies.JobPage.class, "JobPage");
        schemas.put(Replies.WorkerView.class, "Worker");
        schemas.put(Replies.WorkerList.class, "WorkerList");
        schemas.put(Replies.Queue.class, "Queue");
        schemas.put(Replies.QueueDepth.class, "Queue.depth");
        schemas.put(Replies.FileList.class, "FileList");
        schemas.put(Replies.CurrentTask.class, "CurrentTask");
        schemas.put(Replies.RecentTask.class, "RecentTask");
        schemas.put(Replies.WorkerDetail.class, "WorkerDetail");
        schemas.put(Replies.WorkerControlled.class, "WorkerControlled");
        schemas.put(Replies.TimelineBar.class, "TimelineBar");
        schemas.put(Replies.WebhookView.class, "WebhookDelivery");
        schemas.put(Replies.WebhookList.class, "WebhookList");
        schemas.put(Replies.WebhookEndpoints.class, "WebhookEndpoints");
        schemas.put(Replies.WebhookEndpoint.class, "WebhookEndpoints.endpoints");
        schemas.put(Replies.Stats.class, "Stats");
        schemas.put(Replies.WorkerStats.class, "Stats.workers");
        schemas.put(Replies.LastHour.class, "Stats.last_hour");
        schemas.put(Replies.StoredFile.class, "StoredFile");
        schemas.put(dev.spool.model.protocol.TokenMessages.CreateToken.class, "CreateToken");
        schemas.put(dev.spool.model.protocol.TokenMessages.TokenCreated.class, "TokenCreated");
        schemas.put(dev.spool.model.protocol.TokenMessages.TokenView.class, "TokenView");
        schemas.put(dev.spool.model.protocol.TokenMessages.TokenList.class, "TokenList");
        schemas.put(dev.spool.model.protocol.TokenMessages.TokenRevoked.class, "TokenRevoked");
        schemas.put(dev.spool.model.protocol.TokenMessages.JoinRotated.class, "JoinRotated");
        schemas.put(dev.spool.model.protocol.DashboardMessages.SignIn.class, "SignIn");
        schemas.put(dev.spool.model.protocol.DashboardMessages.Session.class, "Session");
        schemas.put(dev.spool.model.protocol.DashboardMessages.Bulk.class, "BulkRequest");
        schemas.put(dev.spool.model.protocol.DashboardMessages.BulkResult.class, "BulkResult");
        schemas.put(dev.spool.model.protocol.DashboardMessages.BulkResults.class, "BulkResults");
        schemas.put(dev.spool.model.protocol.DashboardMessages.StatsHistory.class, "StatsHistory");
        schemas.put(dev.spool.model.protocol.DashboardMessages.Bucket.class, "StatsHistory.buckets");
        SoftAssertions soft = new SoftAssertions();
        schemas.forEach((type, schema) -> soft.assertThat(properties(schema)).as(type.getSimpleName() + " vs schema " + schema)
                .isEqualTo(jsonFields(type)));
        soft.assertThat(properties("CancelResult")).as("cancel and retry reply as a submit does").isEqualTo(jsonFields(Replies.JobChanged.class));
        soft.assertAll();
    }

    /** The names Spool's own mapper writes for this type, an unwrapped component's fields in its place. */
    static Set<String> jsonFields(Class<?> type) {
        BeanDescription bean = Wire.JSON.getSerializationConfig().introspect(Wire.JSON.constructType(type));
        Set<String> names = new TreeSet<>();
        for (BeanPropertyDefinition p : bean.findProperties()) {
            if (p.getAccessor() != null && p.getAccessor().hasAnnotation(JsonUnwrapped.class)) names.addAll(jsonFields(p.getRawPrimaryType()));
            else names.add(p.getName());
        }
        return names;
    }

    /**
     * A schema's properties, through allOf, $ref and array items; "Name.field" is the object schema of
     * that field, "/api/..." the schema of that GET route's 200 reply.
     */
    static Set<String> properties(String schema) {
        String[] parts = schema.startsWith("/") ? new String[] {schema} : schema.split("\\.");
        JsonNode node = schema.startsWith("/")
                ? document.path("paths").path(schema).at("/get/responses/200/content/application~1json/schema")
                : resolve(document.path("components").path("schemas").path(parts[0]));
        for (int i = 1; i < parts.length; i++) node = resolve(node.path("properties").path(parts[i]));
        if (node.has("items")) node = resolve(node.path("items"));
        Set<String> names = new TreeSet<>();
        collect(node, names);
        assertThat(names).as("schema " + schema + " has properties").isNotEmpty();
        return names;
    }

    private static void collect(JsonNode node, Set<String> names) {
        node = resolve(node);
        node.path("properties").fieldNames().forEachRemaining(names::add);
        for (JsonNode part : node.path("allOf")) collect(part, names);
    }

    private static JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) node = document.at(node.path("$ref").asText().substring(1));
        return node;
    }
}
