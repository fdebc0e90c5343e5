package io.fleetstream.gateway.config;

import io.fleetstream.gateway.GatewayProperties;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceRoutes;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.security.Principal;
import java.util.Map;
import org.springdoc.core.customizers.OperationCustomizer;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * One description of the public API at {@code /v1/openapi.json}: the gateway's own routes (writes,
 * device intake) merged with the read routes the query service describes, since the gateway serves
 * both from one origin.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    private static final Logger log = LoggerFactory.getLogger(OpenApiConfig.class);

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Grant.class, Person.class, Principal.class);
        // free-form JSON (settings, a merge patch, event data), not a bean with JsonNode's accessors as properties
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
    }

    @Bean
    OpenAPI fleetstreamApi() {
        return new OpenAPI()
                .info(new Info().title("Fleetstream API").version("v1")
                        .description("Register, observe and command fleets of devices. Every route but /v1/health "
                                + "and the device intake needs a bearer token: a person's token from the identity provider or an API key of a workspace; "
                                + "errors are RFC 9457 problem details with a stable 'code'.")
                        .license(new License().name("Apache-2.0")))
                .addServersItem(new Server().url("/"))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    @Bean
    OpenApiCustomizer readRoutesOfTheQueryService(GatewayProperties properties) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI source = properties.queryUrl().resolve("/v1/openapi.json");
        return api -> {
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(source).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    merge(api, Json.mapper().readValue(answer.body(), OpenAPI.class));
                    return;
                }
                log.warn("query service answered {} for its API description", answer.statusCode());
            } catch (Exception e) {
                log.warn("query service API description unavailable: {}", e.getMessage());
            }
            api.getInfo().setDescription(api.getInfo().getDescription()
                    + " (The read routes are missing: the query service did not answer.)");
        };
    }

    private static void merge(OpenAPI into, OpenAPI reads) {
        if (into.getPaths() == null) {
            into.setPaths(new Paths());
        }
        if (reads.getPaths() != null) {
            reads.getPaths().forEach((path, item) -> {
                PathItem existing = into.getPaths().get(path);
                if (existing == null) {
                    into.getPaths().addPathItem(path, item);
                } else if (existing.getGet() == null) {
                    existing.setGet(item.getGet());
                }
            });
        }
        if (reads.getComponents() != null && reads.getComponents().getSchemas() != null) {
            reads.getComponents().getSchemas().forEach((name, schema) -> {
                if (into.getComponents().getSchemas() == null || !into.getComponents().getSchemas().containsKey(name)) {
                    into.getComponents().addSchemas(name, schema);
                }
            });
        }
    }

    /** Each route under a workspace names the access and API-key scope it requires (x-fleet-access, x-fleet-scope). */
    @Bean
    OperationCustomizer workspaceRouteRequirements() {
        return (operation, handler) -> {
            Map<String, Object> requirement = WorkspaceRoutes.extensions(handler.getMethod());
            if (requirement.isEmpty()) {
                return operation;
            }
            requirement.forEach(operation::addExtension);
            boolean named = operation.getParameters() != null && operation.getParameters().stream()
                    .anyMatch(p -> WorkspaceRoutes.VARIABLE.equals(p.getName()));
            if (!named) {
                operation.addParametersItem(new io.swagger.v3.oas.models.parameters.PathParameter()
                        .name(WorkspaceRoutes.VARIABLE).required(true).schema(new io.swagger.v3.oas.models.media.StringSchema())
                        .description("the workspace's id or its current slug"));
            }
            return operation;
        };
    }
}
