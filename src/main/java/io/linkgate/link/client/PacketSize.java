package io.linkgate.link.client;

import io.netty.handler.codec.mqtt.MqttProperties;

import java.nio.charset.StandardCharsets;

/** The encoded size of an MQTT 5 PUBLISH, to respect the peer's Maximum Packet Size before sending. */
final class PacketSize {

  private PacketSize() {
  }

  /** Bytes of a QoS 1 PUBLISH (QoS 0 is two bytes smaller: counting them errs on the safe side). */
  static long publish(String topic, int payloadLength, MqttProperties properties) {
    long props = properties == null ? 0 : propertiesLength(properties);
    long remaining = 2 + topic.getBytes(StandardCharsets.UTF_8).length + 2 + varIntSize(props) + props
      + payloadLength;
    return 1 + varIntSize(remaining) + remaining;
  }

  private static long propertiesLength(MqttProperties properties) {
    long n = 0;
    for (MqttProperties.MqttProperty<?> p : properties.listAll()) {
      Object v = p.value();
      if (p instanceof MqttProperties.UserProperties up) {
        for (MqttProperties.StringPair pair : up.value()) {
          n += 1 + 2 + utf8(pair.key) + 2 + utf8(pair.value);
        }
      } else if (v instanceof String str) {
        n += 1 + 2 + utf8(str);
      } else if (v instanceof byte[] b) {
        n += 1 + 2 + b.length;
      } else {
        n += 1 + 4; // integers: at most four bytes (a variable byte integer too)
      }
    }
    return n;
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static int varIntSize(long value) {
    return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
  }
}
