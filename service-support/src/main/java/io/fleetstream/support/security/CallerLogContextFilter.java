package io.fleetstream.support.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/** Puts the authenticated caller's workspace into the logs ({@code workspaceId}) for the rest of the request. */
class CallerLogContextFilter extends OncePerRequestFilter {

    static final String MDC_KEY = "workspaceId";
    private static final Pattern LOGGABLE = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private final String workspaceClaim;

    CallerLogContextFilter(String workspaceClaim) {
        this.workspaceClaim = workspaceClaim;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        Object workspace = authentication instanceof JwtAuthenticationToken jwt
                ? jwt.getToken().getClaims().get(workspaceClaim) : null;
        // a claim is outside input too: only a plain, bounded token goes into log lines
        if (!(workspace instanceof String name) || !LOGGABLE.matcher(name).matches()) {
            chain.doFilter(request, response);
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_KEY, name)) {
            chain.doFilter(request, response);
        }
    }
}
