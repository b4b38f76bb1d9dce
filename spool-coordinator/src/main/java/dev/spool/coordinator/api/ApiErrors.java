package dev.spool.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Wire;
import io.javalin.http.Context;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One error shape for every failure: {"error": {"code", "message", "field"}} with the status that
 * goes with the code. Malformed JSON and unknown fields name the field; nothing leaks a stack trace.
 */
final class ApiErrors {
    private static final System.Logger LOG = System.getLogger(ApiErrors.class.getName());

    private ApiErrors() {}

    /** Set on a request whose error reply is written: the 404 fallback must not replace it. */
    static final String RENDERED = "spool.error-rendered";

    static void render(Context ctx, int status, String code, String message, String field) {
        ctx.attribute(RENDERED, Boolean.TRUE);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (field != null) error.put("field", field);
        ctx.status(status).json(Map.of("error", error));
    }

    static void render(Context ctx, SpoolError e) {
        render(ctx, e.code().httpStatus(), e.code().name(), e.getMessage(), e.field());
    }

    /** Parses a request body of at most {@code limit} into a record, turning every kind of bad JSON into a SpoolError. */
    static <T> T parse(Context ctx, Class<T> type, BodyLimit limit) {
        byte[] bytes = boundedBody(ctx, limit);
        String body = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        if (body.isBlank()) throw SpoolError.invalid("body", "is empty; a JSON object is required");
        try {
            T value = Wire.JSON.readValue(body, type);
            if (value == null) throw SpoolError.invalid("body", "must be a JSON object, not null");
            return value;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new SpoolError(SpoolError.Code.INVALID, path(e), "unknown field '" + path(e) + "'; known fields: " + known);
        } catch (InvalidFormatException e) {
            Class<?> target = e.getTargetType();
            String allowed = target.isEnum() ? "; one of " + Arrays.stream(target.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", ")) : "";
            throw new SpoolError(SpoolError.Code.INVALID, path(e), path(e) + ": '" + e.getValue() + "' is not valid" + allowed);
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            if (rootSpoolError(e) instanceof SpoolError s) throw s;
            refuseDuplicate(e, path(e));
            String field = path(e).isEmpty() ? "body" : path(e);
            if (field.equals("body")) throw SpoolError.invalid("body", "must be a JSON object");
            // Jackson names the Java type it wanted ("java.util.ArrayList<...OutputSpec>"): say it in JSON's words
            throw SpoolError.invalid(field, "must be " + jsonKind(e.getTargetType()) + wrongToken(e));
        } catch (JsonMappingException e) {
            // a record refuses itself (a missing field) once it is built, which Jackson does before it
            // complains of a field it does not know: {"tokn": ...} is a misspelt field, not a missing one
            if (rootSpoolError(e) instanceof SpoolError s) throw unknownTopField(body, type).orElse(s);
            refuseDuplicate(e, path(e));
            String field = path(e);
            if (field.isEmpty()) throw SpoolError.invalid("body", "must be a JSON object");
            throw new SpoolError(SpoolError.Code.INVALID, field.isEmpty() ? "body" : field,
                    (field.isEmpty() ? "body" : field) + ": " + e.getOriginalMessage());
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            // Jackson's limit names its own Java method (StreamReadConstraints.getMaxNestingDepth()): say what was wrong
            throw SpoolError.invalid("body", "is nested too deep, or holds a number or string too long, for a job "
                    + "(at most 1000 levels of objects and arrays)");
        } catch (JsonProcessingException e) {
            refuseDuplicate(e, "");
            throw new SpoolError(SpoolError.Code.INVALID, "body", "malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** The first top-level field of {@code body} that {@code type} has no property for, as the error an unknown field gets. */
    private static java.util.Optional<SpoolError> unknownTopField(String body, Class<?> type) {
        try {
            var tree = Wire.JSON.readTree(body);
            if (tree == null || !tree.isObject()) return java.util.Optional.empty();
            var description = Wire.JSON.getDeserializationConfig().introspect(Wire.JSON.constructType(type));
            java.util.Set<String> known = new java.util.TreeSet<>();
            description.findProperties().forEach(p -> known.add(p.getName()));
            for (var names = tree.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name))
                    return java.util.Optional.of(new SpoolError(SpoolError.Code.INVALID, name,
                            "unknown field '" + name + "'; known fields: " + String.join(", ", known)));
            }
            return java.util.Optional.empty();
        } catch (JsonProcessingException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The body, read no further than the limit: a chunked body has no Content-Length for the early
     * check to see, and reading it whole first (as {@code ctx.bodyAsBytes()} does) let a 200 MB body
     * into memory before it was refused.
     */
    private static byte[] boundedBody(Context ctx, BodyLimit limit) {
        // an announced length over this route's cap (under the largest, which the early check refuses) is
        // refused unread too: waiting for a body that will be refused let a client hold the request open
        if (ctx.req().getContentLengthLong() > limit.bytes()) throw new BodyTooLarge(limit.name());
        try (var in = new CappedInput(ctx.req().getInputStream(), limit.bytes(), limit.name(), ctx.attribute(RateLimiter.METER))) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw SpoolError.invalid("body", "could not be read: the connection broke while it was sent");
        }
    }

    /** What JSON a Java type is read from, for a message about a value of the wrong kind. */
    private static String jsonKind(Class<?> type) {
        if (type == null) return "a value of another kind";
        if (type == String.class || type.isEnum()) return "a string";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) return "a number";
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) return "a JSON array";
        return "a JSON object";
    }

    private static String wrongToken(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        String said = String.valueOf(e.getOriginalMessage());
        if (said.contains("from Array value") || said.contains("START_ARRAY")) return ", not an array";
        if (said.contains("from Object value") || said.contains("START_OBJECT")) return ", not an object";
        if (said.contains("from String value") || said.contains("VALUE_STRING")) return ", not a string";
        if (said.contains("Integer value") || said.contains("Floating-point value") || said.contains("VALUE_NUMBER")) return ", not a number";
        if (said.contains("Boolean value") || said.contains("VALUE_TRUE") || said.contains("VALUE_FALSE")) return ", not true or false";
        return "";
    }

    /** A field given twice (Jackson's "Duplicate field 'input'"), named with where it sits. */
    private static void refuseDuplicate(JsonProcessingException e, String parent) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!(t instanceof JsonProcessingException j)) continue;
            Matcher duplicate = DUPLICATE.matcher(String.valueOf(j.getOriginalMessage()));
            if (duplicate.find()) {
                String field = parent.isEmpty() || parent.endsWith(duplicate.group(1)) ? duplicate.group(1) : parent + "." + duplicate.group(1);
                throw SpoolError.invalid(field, "is given twice; give each field once");
            }
        }
    }

    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate (?:Object property|field) \"?'?([^\"']+)");

    private static Throwable rootSpoolError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof SpoolError) return t;
        return null;
    }

    /** "outputs[0].resolution" from Jackson's reference chain, in the API's snake_case. */
    private static String path(JsonMappingException e) {
        StringBuilder p = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!p.isEmpty()) p.append('.');
                p.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                p.append('[').append(ref.getIndex()).append(']');
            }
        }
        return p.toString();
    }

    /** A body over its route's limit: 413, whether or not the client announced its length. */
    static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge(String limit) {
            super(message(limit), null, false, false);
        }
    }

    private static String message(String limit) {
        return "request body is larger than " + limit + ", the limit of this route";
    }

    static void tooLarge(Context ctx, String message) {
        ctx.header("Connection", "close");   // the rest of the body is not read: this connection cannot carry another request
        render(ctx, 413, "TOO_LARGE", message, "body");
    }

    static void tooLarge(Context ctx, BodyTooLarge e) {
        tooLarge(ctx, e.getMessage());
    }

    static void tooLargeFor(Context ctx, String limit) {
        tooLarge(ctx, message(limit));
    }

    static void unexpected(Exception e, Context ctx) {
        LOG.log(System.Logger.Level.ERROR, "internal error on " + ctx.method() + " " + ctx.path(), e);
        render(ctx, 500, "INTERNAL", "internal error; the coordinator's log has the details", null);
    }
}
