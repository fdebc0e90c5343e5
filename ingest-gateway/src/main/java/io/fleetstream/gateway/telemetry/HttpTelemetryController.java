package io.fleetstream.gateway.telemetry;

import io.fleetstream.gateway.device.AuthenticatedDevice;
import io.fleetstream.gateway.device.DeviceCredentials;
import io.fleetstream.schemas.telemetry.TelemetrySource;
import io.fleetstream.support.errors.DeviceErrors;
import io.fleetstream.support.errors.TelemetryErrors;
import io.fleetstream.support.web.FleetException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Telemetry from devices that speak HTTP: {@code POST /v1/device/telemetry} with {@code X-Device-Token}. */
@RestController
class HttpTelemetryController {

    private final DeviceCredentials credentials;
    private final TelemetryIntake intake;

    HttpTelemetryController(DeviceCredentials credentials, TelemetryIntake intake) {
        this.credentials = credentials;
        this.intake = intake;
    }

    @PostMapping(path = "/v1/device/telemetry", consumes = "application/json")
    @Tag(name = "Device intake")
    @SecurityRequirements
    @Operation(summary = "Telemetry from a device, authenticated by its X-Device-Token",
            description = "Body: {\"ts\": <epoch ms, optional>, \"metrics\": {\"<name>\": <number>}}. 202 once Kafka has it.")
    CompletableFuture<ResponseEntity<Void>> telemetry(
            @RequestHeader(name = "X-Device-Token", required = false) String token, HttpServletRequest request)
            throws IOException {
        // Authenticate before reading anything, and read no more than a message may hold.
        AuthenticatedDevice device = credentials.authenticate(token)
                .orElseThrow(() -> new FleetException(DeviceErrors.UNAUTHENTICATED, "Missing or unknown X-Device-Token."));
        byte[] body = request.getInputStream().readNBytes(TelemetryParser.MAX_BYTES + 1);
        if (body.length > TelemetryParser.MAX_BYTES) {
            throw new FleetException(TelemetryErrors.TOO_LARGE, "The body is larger than " + TelemetryParser.MAX_BYTES + " bytes.");
        }
        try {
            return intake.accept(device, null, TelemetrySource.HTTP, TelemetryIntake.Kind.TELEMETRY,
                    "http:/v1/device/telemetry", body).thenApply(v -> ResponseEntity.accepted().<Void>build());
        } catch (InvalidTelemetryException e) {
            throw new FleetException(TelemetryErrors.MALFORMED, e.getMessage());
        }
    }

}
