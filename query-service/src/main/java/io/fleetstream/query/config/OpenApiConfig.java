package io.fleetstream.query.config;

import io.fleetstream.support.security.Caller;
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
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
        // free-form JSON (settings, a merge patch, event data), not a bean with JsonNode's accessors as properties
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
    }
}
