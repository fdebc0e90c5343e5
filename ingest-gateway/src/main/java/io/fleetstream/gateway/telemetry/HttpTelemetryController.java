package io.fleetstream.gateway.telemetry;

import io.fleetstream.gateway.device.AuthenticatedDevice;
import io.fleetstream.gateway.device.DeviceCredentials;
import io.fleetstream.schemas.telemetry.TelemetrySource;
import io.fleetstream.support.web.ErrorCode;
import io.fleetstream.support.web.FleetException;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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
    CompletableFuture<ResponseEntity<Void>> telemetry(
            @RequestHeader(name = "X-Device-Token", required = false) String token, @RequestBody byte[] body) {
        AuthenticatedDevice device = credentials.authenticate(token)
                .orElseThrow(() -> new FleetException(Errors.UNAUTHENTICATED, "Missing or unknown X-Device-Token."));
        try {
            return intake.accept(device, null, TelemetrySource.HTTP, TelemetryIntake.Kind.TELEMETRY,
                    "http:/v1/device/telemetry", body).thenApply(v -> ResponseEntity.accepted().<Void>build());
        } catch (InvalidTelemetryException e) {
            throw new FleetException(Errors.MALFORMED, e.getMessage());
        }
    }

    enum Errors implements ErrorCode {
        UNAUTHENTICATED("device.unauthenticated", HttpStatus.UNAUTHORIZED, "Device not authenticated",
                "Send the token the device was registered with in the X-Device-Token header."),
        MALFORMED("telemetry.malformed", HttpStatus.BAD_REQUEST, "Not valid telemetry",
                "Send {\"ts\": <epoch ms, optional>, \"metrics\": {\"<name>\": <number>}}.");

        private final String code;
        private final HttpStatus status;
        private final String title;
        private final String remedy;

        Errors(String code, HttpStatus status, String title, String remedy) {
            this.code = code;
            this.status = status;
            this.title = title;
            this.remedy = remedy;
        }

        @Override
        public String code() {
            return code;
        }

        @Override
        public HttpStatus status() {
            return status;
        }

        @Override
        public String title() {
            return title;
        }

        @Override
        public String remedy() {
            return remedy;
        }
    }
}
