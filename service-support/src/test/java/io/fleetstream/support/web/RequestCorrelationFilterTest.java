package io.fleetstream.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestCorrelationFilterTest {

    private final RequestCorrelationFilter filter = new RequestCorrelationFilter();

    private String[] run(String given) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/devices");
        if (given != null) {
            request.addHeader("X-Request-Id", given);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicReference<String> logged = new AtomicReference<>();
        filter.doFilter(request, response, new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
        }, (req, res, chain) -> logged.set(MDC.get("requestId"))));
        return new String[] {response.getHeader("X-Request-Id"), logged.get()};
    }

    @Test
    void aSensibleCallerId_isAnsweredAndLogged() throws Exception {
        assertThat(run("trace-42.a:b")).containsExactly("trace-42.a:b", "trace-42.a:b");
        assertThat(MDC.get("requestId")).as("cleared after the request").isNull();
    }

    @Test
    void aMissingOrUnsafeId_isReplacedByANewOne() throws Exception {
        String[] missing = run(null);
        assertThat(missing[0]).hasSize(36).isEqualTo(missing[1]);
        String[] forged = run("x\r\nlevel=ERROR fake log line");
        assertThat(forged[0]).hasSize(36).isEqualTo(forged[1]).doesNotContain("fake");
        assertThat(run("a".repeat(65))[0]).hasSize(36);
    }
}
