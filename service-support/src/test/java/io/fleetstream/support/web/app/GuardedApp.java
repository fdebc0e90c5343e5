package io.fleetstream.support.web.app;

import io.fleetstream.support.security.Principal;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The smallest service with the shared wiring: a read with parameters and a write with a JSON body. */
@SpringBootApplication
public class GuardedApp {

    public record Thing(String name, int count, JsonNode settings) {
    }

    @RestController
    static class Things {

        @GetMapping("/v1/things/{id}")
        Map<String, Object> read(Principal caller, @PathVariable String id, @RequestParam(required = false) String q,
                @RequestParam(defaultValue = "1") int limit) {
            return Map.of("id", id, "q", String.valueOf(q), "limit", limit);
        }

        @PostMapping(path = "/v1/things", consumes = "application/json")
        Thing write(Principal caller, @RequestBody Thing thing) {
            return thing;
        }

        @GetMapping("/v1/open/read")
        Map<String, Object> open(@RequestParam(defaultValue = "1") int limit) {
            return Map.of("limit", limit);
        }

        @PostMapping(path = "/v1/open/things", consumes = "application/json")
        Thing open(@RequestBody Thing thing) {
            return thing;
        }

        @PostMapping(path = "/v1/open/settings", consumes = "application/json")
        JsonNode settings(@RequestBody JsonNode settings) {
            return settings;
        }
    }
}
