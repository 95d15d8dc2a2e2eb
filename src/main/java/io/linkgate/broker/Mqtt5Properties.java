package io.linkgate.broker;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperty;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/** Conversions between MQTT 5 properties on the wire and the broker's {@link Message}. */
final class Mqtt5Properties {

  private Mqtt5Properties() {
  }

  static Integer intValue(MqttProperties props, int id) {
    MqttProperty<?> p = props.getProperty(id);
    return p == null ? null : (Integer) p.value();
  }

  static String stringValue(MqttProperties props, int id) {
    MqttProperty<?> p = props.getProperty(id);
    return p == null ? null : (String) p.value();
  }

  static byte[] binaryValue(MqttProperties props, int id) {
    MqttProperty<?> p = props.getProperty(id);
    return p == null ? null : (byte[]) p.value();
  }

  static List<StringPair> userProperties(MqttProperties props) {
    List<?> all = props.getProperties(MqttProperties.USER_PROPERTY);
    if (all.isEmpty()) {
      return List.of();
    }
    List<StringPair> pairs = new ArrayList<>();
    for (Object p : all) {
      if (p instanceof UserProperties ups) {
        pairs.addAll(ups.value());
      } else if (p instanceof UserProperty up) {
        pairs.add(up.value());
      }
    }
    return List.copyOf(pairs);
  }

  /**
   * True when there are no properties at all. Netty's {@code MqttProperties.isEmpty()} does not look at user
   * properties (nor subscription identifiers), which it keeps apart: a PUBLISH whose only properties are user
   * properties is "empty" to it.
   */
  static boolean hasNone(MqttProperties props) {
    return props == null || props.isEmpty() && props.getProperties(MqttProperties.USER_PROPERTY).isEmpty();
  }

  /** Builds a message from a PUBLISH (or a will) and its properties; {@code props} may be empty for MQTT 3.1.1. */
  static Message toMessage(String topic, Buffer payload, int qos, boolean retain, MqttProperties props,
                           String publisherId, long now) {
    if (hasNone(props)) {
      return new Message(topic, payload, qos, retain, null, null, null, null, List.of(), publisherId, null, now, 0);
    }
    Integer expiry = intValue(props, MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
    long expiresAt = expiry == null ? 0 : now + (expiry & 0xFFFFFFFFL) * 1000;
    return new Message(topic, payload, qos, retain,
      intValue(props, MqttProperties.PAYLOAD_FORMAT_INDICATOR),
      stringValue(props, MqttProperties.CONTENT_TYPE),
      stringValue(props, MqttProperties.RESPONSE_TOPIC),
      binaryValue(props, MqttProperties.CORRELATION_DATA),
      userProperties(props), publisherId, null, now, expiresAt);
  }

  /**
   * The properties of an outgoing PUBLISH for one delivery (expiry counts down while the message waits), with every
   * subscription identifier of the subscriptions it stands for [MQTT-3.3.4-4].
   */
  static MqttProperties forDelivery(Message m, Delivery d, long now) {
    MqttProperties props = new MqttProperties();
    long remaining = m.remainingExpirySeconds(now);
    if (remaining >= 0) {
      props.add(new IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int) Math.min(remaining, 0xFFFFFFFFL)));
    }
    if (m.payloadFormat() != null) {
      props.add(new IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, m.payloadFormat()));
    }
    if (m.contentType() != null) {
      props.add(new StringProperty(MqttProperties.CONTENT_TYPE, m.contentType()));
    }
    if (m.responseTopic() != null) {
      props.add(new StringProperty(MqttProperties.RESPONSE_TOPIC, m.responseTopic()));
    }
    if (m.correlationData() != null) {
      props.add(new BinaryProperty(MqttProperties.CORRELATION_DATA, m.correlationData()));
    }
    if (!m.userProperties().isEmpty()) {
      props.add(new UserProperties(m.userProperties()));
    }
    if (d.subscriptionIds != null) {
      for (int id : d.subscriptionIds) {
        props.add(new IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
      }
    } else if (d.subscriptionId > 0) {
      props.add(new IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, d.subscriptionId));
    }
    return props;
  }

  /**
   * The bytes an MQTT 5 PUBLISH takes on the wire (§3.3: fixed header, topic, packet id, properties, payload), to
   * hold it against the client's Maximum Packet Size. Exact, so a packet that fits is never refused.
   *
   * @param wireTopic the topic as it goes out: empty when a known topic alias stands for it
   */
  static int publishPacketSize(String wireTopic, int qos, MqttProperties props, int payloadLength) {
    int propsLength = propertiesLength(props);
    int remaining = 2 + utf8Length(wireTopic) + (qos > 0 ? 2 : 0) + varintSize(propsLength) + propsLength
      + payloadLength;
    return 1 + varintSize(remaining) + remaining;
  }

  /** The encoded length of the properties {@link #forDelivery} and the topic alias put on a PUBLISH. */
  private static int propertiesLength(MqttProperties props) {
    int n = 0;
    for (MqttProperty<?> p : props.listAll()) {
      if (p.value() instanceof List<?> pairs) {
        // listAll() hands all user properties back as one UserProperties; on the wire each pair is a property
        for (Object pair : pairs) {
          n += 1 + userPropertyLength((StringPair) pair);
        }
        continue;
      }
      n += 1 + switch (p.propertyId()) { // every property id is below 128: a one-byte variable byte integer
        case MqttProperties.PAYLOAD_FORMAT_INDICATOR -> 1;
        case MqttProperties.TOPIC_ALIAS -> 2;
        case MqttProperties.PUBLICATION_EXPIRY_INTERVAL -> 4;
        case MqttProperties.SUBSCRIPTION_IDENTIFIER -> varintSize((Integer) p.value());
        case MqttProperties.CORRELATION_DATA -> 2 + ((byte[]) p.value()).length;
        case MqttProperties.CONTENT_TYPE, MqttProperties.RESPONSE_TOPIC -> 2 + utf8Length((String) p.value());
        case MqttProperties.USER_PROPERTY -> userPropertyLength((StringPair) p.value());
        default -> throw new IllegalStateException("no size for PUBLISH property " + p.propertyId());
      };
    }
    return n;
  }

  private static int userPropertyLength(StringPair pair) {
    return 2 + utf8Length(pair.key) + 2 + utf8Length(pair.value);
  }

  /** Bytes of a variable byte integer (MQTT 5 §1.5.5). */
  static int varintSize(int value) {
    return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return n;
  }
}
