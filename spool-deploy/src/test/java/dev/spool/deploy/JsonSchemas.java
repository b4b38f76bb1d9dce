package dev.spool.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.util.List;

/** A JSON schema (networknt's validator) and the errors it finds, each as "location: message". */
final class JsonSchemas {
    private final Schema schema;

    private JsonSchemas(Schema schema) {
        this.schema = schema;
    }

    /** The schema {@code schema}, read from {@code location} (a relative $id such as compose-spec's resolves against it). */
    static JsonSchemas of(java.net.URI location, JsonNode schema, SpecificationVersion version) {
        return new JsonSchemas(SchemaRegistry.withDefaultDialect(version)
                .getSchema(com.networknt.schema.SchemaLocation.of(location.toString()), schema));
    }

    List<String> errors(JsonNode instance) {
        return schema.validate(instance).stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }
}
