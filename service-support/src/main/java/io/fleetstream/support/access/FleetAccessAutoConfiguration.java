package io.fleetstream.support.access;

import io.fleetstream.support.security.FleetSecurityProperties;
import java.util.List;
import org.jooq.DSLContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Workspace grants, API keys and the workspace routes, in web services that have the read model and bearer tokens. */
@AutoConfiguration(afterName = {"org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration",
        "io.fleetstream.support.security.FleetSecurityAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean({DSLContext.class, FleetSecurityProperties.class})
public class FleetAccessAutoConfiguration {

    @Bean
    WorkspaceGrants workspaceGrants(DSLContext db) {
        return new WorkspaceGrants(db);
    }

    @Bean
    ApiKeyStore apiKeyStore(DSLContext db) {
        return new ApiKeyStore(db);
    }

    @Bean
    WebMvcConfigurer grantArguments(WorkspaceGrants grants, FleetSecurityProperties security,
            ObjectProvider<RefusedWrites> refusals) {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new WorkspaceRoutes.GrantResolver(grants, security, refusals));
            }
        };
    }

    /** A route under a workspace that does not say what it requires is a defect: the service does not start. */
    @Bean
    SmartInitializingSingleton workspaceRoutesDeclared(ObjectProvider<RequestMappingHandlerMapping> mappings) {
        return () -> mappings.orderedStream().forEach(mapping -> {
            List<String> defects = WorkspaceRoutes.undeclared(mapping.getHandlerMethods());
            if (!defects.isEmpty()) {
                throw new IllegalStateException("Routes under /v1/workspaces/{workspace} without @WorkspaceRoute and "
                        + "a Grant parameter: " + defects);
            }
        });
    }
}
