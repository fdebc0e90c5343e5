package io.fleetstream.command.device;

import io.fleetstream.support.errors.DeviceErrors;
import io.fleetstream.command.intake.CommandRejectedException;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Device settings are a JSON object changed by RFC 7396 merge patches. */
final class SettingsMerge {

    /** Decimals kept as written: a merge must not round what it does not change (nor turn 1e400 into Infinity). */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    static final int MAX_BYTES = 64 * 1024;

    private SettingsMerge() {
    }

    /** Parses settings, insisting on a JSON object of bounded size. */
    static ObjectNode parseObject(String json, String what) {
        if (json.length() > MAX_BYTES) {
            throw new CommandRejectedException(DeviceErrors.INVALID, what + " exceed " + MAX_BYTES + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (!(node instanceof ObjectNode object)) {
                throw new CommandRejectedException(DeviceErrors.INVALID, what + " must be a JSON object");
            }
            return object;
        } catch (JacksonException e) {
            throw new CommandRejectedException(DeviceErrors.INVALID, what + " are not valid JSON");
        }
    }

    /** The settings after the patch, in canonical JSON text. */
    static String apply(String settingsJson, String patchJson) {
        ObjectNode target = parseObject(settingsJson, "settings");
        ObjectNode patch = parseObject(patchJson, "settings patch");
        String merged = JSON.writeValueAsString(merge(target, patch));
        if (merged.length() > MAX_BYTES) {
            throw new CommandRejectedException(DeviceErrors.INVALID, "settings would exceed " + MAX_BYTES + " bytes");
        }
        return merged;
    }

    static String canonical(String settingsJson) {
        return JSON.writeValueAsString(parseObject(settingsJson, "settings"));
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!(patch instanceof ObjectNode patchObject)) {
            return patch;
        }
        ObjectNode result = target instanceof ObjectNode object ? object.deepCopy() : JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> entry : patchObject.properties()) {
            if (entry.getValue().isNull()) {
                result.remove(entry.getKey());
            } else {
                result.set(entry.getKey(), merge(result.get(entry.getKey()), entry.getValue()));
            }
        }
        return result;
    }
}
