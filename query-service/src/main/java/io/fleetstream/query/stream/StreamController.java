package io.fleetstream.query.stream;

import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceRoute;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@Tag(name = "Realtime")
class StreamController {

    private final ChangeStream stream;

    StreamController(ChangeStream stream) {
        this.stream = stream;
    }

    @GetMapping(path = "/v1/workspaces/{workspace}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @WorkspaceRoute(scope = "devices:read")
    @Operation(summary = "Server-Sent Events of the workspace",
            description = "Events device.created, device.updated, device.decommissioned and telemetry; data is JSON.")
    SseEmitter stream(Grant grant) {
        return stream.open(grant);
    }
}
