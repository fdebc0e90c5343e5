package io.fleetstream.support.security;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Lets controllers take the {@link Caller} or the {@link Person} of the request as a parameter. */
class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    private final FleetSecurityProperties properties;

    CallerArgumentResolver(FleetSecurityProperties properties) {
        this.properties = properties;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class || parameter.getParameterType() == Person.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container, NativeWebRequest request,
            WebDataBinderFactory binderFactory) {
        return parameter.getParameterType() == Person.class ? Person.current(properties) : Caller.current(properties);
    }
}
