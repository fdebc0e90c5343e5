package io.fleetstream.query.config;

import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceRoutes;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.security.Principal;
import java.util.Map;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import io.swagger.v3.oas.models.media.ObjectSchema;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * The query service describes its read routes at /v1/openapi.json; the gateway merges them into the one
 * public description (title, security scheme and all), so nothing more is said here.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static {
        // the caller comes from the bearer token, not from request parameters
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Grant.class, Person.class, Principal.class);
        // free-form JSON (settings, a merge patch, event data), not a bean with JsonNode's accessors as properties
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
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
