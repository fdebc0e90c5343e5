package io.fleetstream.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public routes as the gateway's {@code /v1/openapi.json} describes them (its own and the query
 * service's): what the generated-input suite sends malformed input to, so a new route, parameter or body
 * field is covered without being listed anywhere.
 */
final class ApiRoutes {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private ApiRoutes() {
    }

    record Param(String name, String in, String type, String format) {

        boolean integer() {
            return "integer".equals(type);
        }

        boolean timestamp() {
            return "date-time".equals(format);
        }
    }

    /** A property of a JSON body: its name and type ({@code null} when any JSON value is accepted). */
    record Field(String name, String type, boolean required) {
    }

    record Route(String method, String template, List<Param> params, String bodyType, List<Field> fields,
            boolean bodyIsFree, boolean bearer, boolean stream) {

        /** A route of a person's own, not under a workspace: any signed-in person is served there. */
        boolean personRoute() {
            return template.equals("/v1/user") || template.equals("/v1/users") || template.equals("/v1/workspaces");
        }

        List<Param> in(String where) {
            return params.stream().filter(p -> p.in().equals(where)).toList();
        }

        boolean hasBody() {
            return bodyType != null;
        }

        boolean safe() {
            return method.equals("GET");
        }

        boolean deviceToken() {
            return in("header").stream().anyMatch(p -> p.name().equalsIgnoreCase("X-Device-Token"));
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    static List<Route> from(String openApiJson) {
        JsonNode api = JsonMapper.builder().build().readTree(openApiJson);
        boolean globalBearer = api.path("security").isArray() && !api.path("security").isEmpty();
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : api.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (!METHODS.contains(operation.getKey())) {
                    continue;
                }
                JsonNode op = operation.getValue();
                List<Param> params = new ArrayList<>();
                for (JsonNode p : op.path("parameters")) {
                    JsonNode schema = resolve(api, p.path("schema"));
                    params.add(new Param(p.path("name").asString(), p.path("in").asString(),
                            schema.path("type").asString(null), schema.path("format").asString(null)));
                }
                String bodyType = null;
                List<Field> fields = List.of();
                boolean free = false;
                JsonNode content = op.path("requestBody").path("content");
                if (content.isObject() && !content.isEmpty()) {
                    Map.Entry<String, JsonNode> first = content.properties().iterator().next();
                    bodyType = content.has("application/json") ? "application/json" : first.getKey();
                    JsonNode schema = resolve(api, content.path(bodyType).path("schema"));
                    fields = fields(api, schema);
                    free = fields.isEmpty();
                }
                boolean bearer = op.has("security") ? !op.path("security").isEmpty() : globalBearer;
                boolean stream = false;
                for (JsonNode response : op.path("responses")) {
                    stream |= response.path("content").has("text/event-stream");
                }
                routes.add(new Route(operation.getKey().toUpperCase(Locale.ROOT), path.getKey(), List.copyOf(params),
                        bodyType, fields, free, bearer, stream));
            }
        }
        return List.copyOf(routes);
    }

    private static List<Field> fields(JsonNode api, JsonNode schema) {
        List<Field> fields = new ArrayList<>();
        Set<String> required = new java.util.HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            JsonNode resolved = resolve(api, property.getValue());
            String type = resolved.path("type").asString(null);
            // a JsonNode member is described as an object with no properties: any JSON value
            boolean free = type == null || "object".equals(type) && !resolved.has("properties");
            fields.add(new Field(property.getKey(), free ? null : type, required.contains(property.getKey())));
        }
        return fields;
    }

    private static JsonNode resolve(JsonNode api, JsonNode schema) {
        String ref = schema.path("$ref").asString(null);
        if (ref == null || !ref.startsWith("#/components/schemas/")) {
            return schema;
        }
        return api.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
    }

    /** A body the route accepts as far as its description tells: every required field with a plain value. */
    static Map<String, Object> validBody(Route route) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (Field field : route.fields()) {
            if (field.required()) {
                body.put(field.name(), field.type() == null ? Map.of() : switch (field.type()) {
                    case "integer", "number" -> 1;
                    case "boolean" -> true;
                    case "array" -> List.of();
                    default -> "e2e";
                });
            }
        }
        return body;
    }
}
