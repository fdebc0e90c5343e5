package io.fleetstream.support.access;

import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.support.security.FleetSecurityProperties;
import io.fleetstream.support.security.Principal;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.MDC;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;

/**
 * The routes under a workspace: what each requires ({@link WorkspaceRoute}), the {@link Grant} its
 * handler takes, resolved and checked before it runs, and the check at start-up that no such route
 * forgot to declare itself.
 */
public final class WorkspaceRoutes {

    /** The path variable naming the workspace (its id or slug). */
    public static final String VARIABLE = "workspace";
    public static final String MDC_KEY = "workspaceId";

    private WorkspaceRoutes() {
    }

    /** What a route requires: the access and the API-key scope. */
    public record Requirement(CommandSpec.Access access, String scope) {
    }

    public static Requirement requirement(Method handler) {
        WorkspaceRoute route = handler.getAnnotation(WorkspaceRoute.class);
        if (route == null) {
            throw new IllegalStateException(handler + " is under a workspace but has no @WorkspaceRoute");
        }
        if (route.command() != SpecificRecord.class) {
            CommandSpec spec = CommandSpec.of(route.command());
            return new Requirement(spec.access(), spec.scope());
        }
        if (route.scope().isEmpty()) {
            throw new IllegalStateException(handler + ": @WorkspaceRoute needs a command or a scope");
        }
        return new Requirement(route.access(), route.scope());
    }

    /** What a route under a workspace requires, for its API description; nothing for other routes. */
    public static Map<String, Object> extensions(Method handler) {
        if (handler.getAnnotation(WorkspaceRoute.class) == null) {
            return Map.of();
        }
        Requirement requirement = requirement(handler);
        return Map.of("x-fleet-access", requirement.access().label(), "x-fleet-scope", requirement.scope());
    }

    /** What a refused write was aimed at: the id in its path after the workspace, else the workspace. */
    private static String target(Map<String, String> variables, Grant grant) {
        return variables.entrySet().stream().filter(e -> !e.getKey().equals(VARIABLE)).map(Map.Entry::getValue)
                .filter(v -> v.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
                .findFirst().orElse(grant.workspaceId().toString());
    }

    /** Every handler of a path with {workspace} declares what it requires and takes the grant; the defects found. */
    public static List<String> undeclared(Map<RequestMappingInfo, HandlerMethod> handlers) {
        List<String> defects = new ArrayList<>();
        handlers.forEach((info, handler) -> {
            boolean underWorkspace = info.getPatternValues().stream().anyMatch(p -> p.contains("{" + VARIABLE + "}"));
            if (!underWorkspace) {
                return;
            }
            Method method = handler.getMethod();
            boolean takesGrant = Arrays.stream(method.getParameterTypes()).anyMatch(t -> t == Grant.class);
            if (method.getAnnotation(WorkspaceRoute.class) == null || !takesGrant) {
                defects.add(handler.getShortLogMessage() + " " + info.getPatternValues());
            } else {
                requirement(method);
            }
        });
        return defects;
    }

    /** Resolves a handler's {@link Grant} parameter: the caller's, checked against the route's requirement. */
    static final class GrantResolver implements HandlerMethodArgumentResolver {

        private final WorkspaceGrants grants;
        private final FleetSecurityProperties security;
        private final org.springframework.beans.factory.ObjectProvider<RefusedWrites> refusals;

        GrantResolver(WorkspaceGrants grants, FleetSecurityProperties security,
                org.springframework.beans.factory.ObjectProvider<RefusedWrites> refusals) {
            this.grants = grants;
            this.security = security;
            this.refusals = refusals;
        }

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == Grant.class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
                NativeWebRequest request, WebDataBinderFactory binderFactory) {
            @SuppressWarnings("unchecked")
            Map<String, String> variables = (Map<String, String>) request.getNativeRequest(HttpServletRequest.class)
                    .getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
            String workspace = variables == null ? null : variables.get(VARIABLE);
            if (workspace == null) {
                throw new IllegalStateException(parameter.getMethod() + " takes a Grant but has no {workspace}");
            }
            Principal principal = Principal.current(security);
            Grant grant = grants.require(principal, workspace);
            Requirement requirement = requirement(parameter.getMethod());
            try {
                grant.require(requirement.access(), requirement.scope());
            } catch (io.fleetstream.support.web.FleetException refused) {
                WorkspaceRoute route = parameter.getMethod().getAnnotation(WorkspaceRoute.class);
                RefusedWrites recorder = refusals.getIfAvailable();
                if (recorder != null && route.command() != SpecificRecord.class) {
                    // a write refused for the caller's role or scope is in the audit log like any other refusal
                    recorder.refused(grant, CommandSpec.of(route.command()), target(variables, grant), refused);
                }
                throw refused;
            }
            MDC.put(MDC_KEY, grant.workspaceId().toString());
            return grant;
        }
    }
}
