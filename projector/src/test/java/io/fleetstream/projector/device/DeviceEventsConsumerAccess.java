package io.fleetstream.projector.device;

import io.fleetstream.support.notice.ChangeNotice;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;

/** Lets tests hand records to the devices projection as a redelivery would, without a Kafka round trip. */
@Component
public class DeviceEventsConsumerAccess {

    private final DeviceProjection consumer;

    DeviceEventsConsumerAccess(DeviceProjection consumer) {
        this.consumer = consumer;
    }

    public List<ChangeNotice> consume(List<ConsumerRecord<byte[], byte[]>> records) {
        return consumer.consume(records);
    }
}
