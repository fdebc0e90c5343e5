package io.fleetstream.support.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sensible token, a new one
 * otherwise. It is answered in the same header, passed on by the gateway to the service behind it, and
 * carried in the logs ({@code requestId}), so one request can be followed across services.
 */
public class RequestCorrelationFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** The id, kept on the request for answers written after the filter has returned (error dispatches, the container). */
    public static final String ATTRIBUTE = RequestCorrelationFilter.class.getName() + ".id";
    private static final Pattern SENSIBLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = idFor(request.getHeader(HEADER));
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(HEADER, id);
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_KEY, id)) {
            chain.doFilter(request, response);
        }
    }

    /** The caller's id when it is a sensible token, a new one otherwise. */
    public static String idFor(String given) {
        // never trust an outside value into logs unchecked: no spaces, newlines or unbounded length
        return given != null && SENSIBLE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }
}
