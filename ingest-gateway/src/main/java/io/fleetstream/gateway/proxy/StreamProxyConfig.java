package io.fleetstream.gateway.proxy;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.regex.Pattern;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class StreamProxyConfig {

    /** A workspace's stream: {@code /v1/workspaces/{workspace}/stream}. */
    private static final Pattern STREAM = Pattern.compile("/v1/workspaces/[^/]+/stream");

    /**
     * The stream relay answers {@code GET /v1/workspaces/{workspace}/stream} ahead of Spring MVC (see
     * {@link StreamProxyServlet} for why), after the security filters have authenticated the request; the
     * query service checks the caller's access to the workspace.
     */
    @Bean
    FilterRegistrationBean<Filter> streamProxy(QueryForwarding forwarding, JsonMapper json, OpenStreams streams) {
        StreamProxyServlet relay = new StreamProxyServlet(forwarding, json, streams);
        Filter filter = (request, response, chain) -> {
            if (request instanceof HttpServletRequest http && "GET".equals(http.getMethod())
                    && STREAM.matcher(http.getRequestURI()).matches()) {
                relay.doGet(http, (HttpServletResponse) response);
                return;
            }
            chain.doFilter(request, response);
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/v1/workspaces/*");
        registration.setAsyncSupported(true);
        registration.setOrder(0); // after Spring Security's chain (-100)
        return registration;
    }
}
