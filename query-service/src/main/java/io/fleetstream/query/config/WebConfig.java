package io.fleetstream.query.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfig implements WebMvcConfigurer {

    private final HandlerInterceptor consistencyWait;

    WebConfig(@org.springframework.beans.factory.annotation.Qualifier("consistencyWait") HandlerInterceptor consistencyWait) {
        this.consistencyWait = consistencyWait;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(consistencyWait).addPathPatterns("/v1/**");
    }
}
