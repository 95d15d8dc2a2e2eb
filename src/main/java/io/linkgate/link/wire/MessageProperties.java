package io.linkgate.link.wire;

import io.linkgate.etf.Binary;
import java.util.List;

/**
 * The MQTT 5 PUBLISH properties a forwarded message keeps (EMQX's {@code headers.properties}).
 * Absent properties are null; Topic-Alias and Subscription-Identifier are hop-local and dropped.
 *
 * @param messageExpiryInterval seconds, 0..2^32-1
 * @param payloadFormatIndicator 0 (bytes) or 1 (UTF-8)
 */
public record MessageProperties(List<UserProperty> userProperties, String contentType,
    String responseTopic, Binary correlationData, Long messageExpiryInterval,
    Integer payloadFormatIndicator) {
  public static final MessageProperties EMPTY =
      new MessageProperties(List.of(), null, null, null, null, null);

  public MessageProperties {
    userProperties = List.copyOf(userProperties);
    if (messageExpiryInterval != null
        && (messageExpiryInterval < 0 || messageExpiryInterval > 0xFFFFFFFFL)) {
      throw new IllegalArgumentException("Message-Expiry-Interval out of range: "
          + messageExpiryInterval);
    }
    if (payloadFormatIndicator != null && payloadFormatIndicator != 0
        && payloadFormatIndicator != 1) {
      throw new IllegalArgumentException("Payload-Format-Indicator must be 0 or 1: "
          + payloadFormatIndicator);
    }
  }

  public MessageProperties withUserProperties(List<UserProperty> value) {
    return new MessageProperties(value, contentType, responseTopic, correlationData,
        messageExpiryInterval, payloadFormatIndicator);
  }

  public MessageProperties withContentType(String value) {
    return new MessageProperties(userProperties, value, responseTopic, correlationData,
        messageExpiryInterval, payloadFormatIndicator);
  }

  public MessageProperties withResponseTopic(String value) {
    return new MessageProperties(userProperties, contentType, value, correlationData,
        messageExpiryInterval, payloadFormatIndicator);
  }

  public MessageProperties withCorrelationData(Binary value) {
    return new MessageProperties(userProperties, contentType, responseTopic, value,
        messageExpiryInterval, payloadFormatIndicator);
  }

  public MessageProperties withMessageExpiryInterval(Long value) {
    return new MessageProperties(userProperties, contentType, responseTopic, correlationData,
        value, payloadFormatIndicator);
  }

  public MessageProperties withPayloadFormatIndicator(Integer value) {
    return new MessageProperties(userProperties, contentType, responseTopic, correlationData,
        messageExpiryInterval, value);
  }
}
