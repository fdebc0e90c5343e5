package io.fleetstream.support.security;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Lets controllers take the {@link Principal} of the request, or the {@link Person} where only a person
 * may call (an API key there answers 403).
 */
class PrincipalArgumentResolver implements HandlerMethodArgumentResolver {

    private final FleetSecurityProperties properties;

    PrincipalArgumentResolver(FleetSecurityProperties properties) {
        this.properties = properties;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Principal.class || parameter.getParameterType() == Person.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container, NativeWebRequest request,
            WebDataBinderFactory binderFactory) {
        Principal principal = Principal.current(properties);
        if (parameter.getParameterType() == Person.class && !(principal instanceof Person)) {
            throw new io.fleetstream.support.web.FleetException(io.fleetstream.support.web.CommonErrors.FORBIDDEN,
                    "Only a person may do this, not an API key.");
        }
        return principal;
    }
}
