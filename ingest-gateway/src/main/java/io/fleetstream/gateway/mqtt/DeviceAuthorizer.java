package io.fleetstream.gateway.mqtt;

import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;

/** A device publishes and subscribes only under {@code station/+/device/{its own id}/…}. */
final class DeviceAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {

    private final MqttMetrics metrics;

    DeviceAuthorizer(MqttMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        boolean own = DeviceSessions.of(input.getConnectionInformation())
                .map(device -> DeviceTopics.owns(device.deviceId(), input.getPublishPacket().getTopic()))
                .orElse(false);
        if (own) {
            output.authorizeSuccessfully();
        } else {
            metrics.publish("other", "not-authorized");
            output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "a device may only publish under its own device id");
        }
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        boolean own = DeviceSessions.of(input.getConnectionInformation())
                .map(device -> DeviceTopics.owns(device.deviceId(), input.getSubscription().getTopicFilter()))
                .orElse(false);
        if (own) {
            output.authorizeSuccessfully();
        } else {
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "a device may only subscribe under its own device id");
        }
    }
}
