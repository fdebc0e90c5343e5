package io.fleetstream.gateway.device;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/devices}. */
public record RegisterDeviceRequest(
        @NotBlank @Size(max = 200) @Pattern(regexp = "\\S(.*\\S)?", message = "no leading or trailing blanks") String name,
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*",
                message = "letters, digits, '.', '_' and '-' only") String type,
        @Size(min = 1, max = 128) @Pattern(regexp = "\\S(.*\\S)?", message = "no leading or trailing blanks") String hardwareId,
        JsonNode settings) {
}
