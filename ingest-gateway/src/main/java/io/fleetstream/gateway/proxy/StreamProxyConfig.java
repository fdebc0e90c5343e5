package io.fleetstream.gateway.proxy;

import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class StreamProxyConfig {

    @Bean
    ServletRegistrationBean<StreamProxyServlet> streamProxy(QueryForwarding forwarding, JsonMapper json,
            OpenStreams streams) {
        ServletRegistrationBean<StreamProxyServlet> registration =
                new ServletRegistrationBean<>(new StreamProxyServlet(forwarding, json, streams), "/v1/stream");
        registration.setAsyncSupported(true);
        registration.setLoadOnStartup(1);
        return registration;
    }
}
