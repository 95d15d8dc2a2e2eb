package io.linkgate.link.wire;

import io.linkgate.broker.Message;
import io.linkgate.etf.Binary;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Random broker messages for the direct record codec, and what the generic codec makes of the same message. */
final class MessageRecords {
  private static final String[] TEXT = {"", "a", "t/x", "sensors/ü/temp", "日本語", "emoji \uD83D\uDE00",
      "lone \uD800 surrogate", "\u00e9\u00e8", "x".repeat(300)};

  private MessageRecords() {
  }

  static Message random(Random r) {
    int n = r.nextInt(4) == 0 ? 0 : r.nextInt(5);
    List<StringPair> users = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      users.add(new StringPair(text(r), text(r)));
    }
    byte[] payload = new byte[r.nextInt(8) == 0 ? r.nextInt(70_000) : r.nextInt(200)];
    r.nextBytes(payload);
    long created = switch (r.nextInt(5)) {
      case 0 -> r.nextInt(256);
      case 1 -> -r.nextInt(1 << 20);
      case 2 -> r.nextLong();
      default -> 1_754_550_000_000L + r.nextInt(1_000_000);
    };
    long expiresAt = switch (r.nextInt(4)) {
      case 0 -> 0;
      case 1 -> created + 1000L * r.nextInt(100);
      case 2 -> created + 0xFFFFFFFFL * 1000;
      default -> created + 1000L * r.nextInt(Integer.MAX_VALUE);
    };
    if (created < 0 || created > Long.MAX_VALUE / 2) {
      expiresAt = 0; // keep createdAt + interval × 1000 in range
    }
    byte[] correlation = null;
    if (r.nextBoolean()) {
      correlation = new byte[r.nextInt(40)];
      r.nextBytes(correlation);
    }
    return new Message(text(r), Buffer.buffer(payload), r.nextInt(3), r.nextBoolean(),
        r.nextBoolean() ? null : r.nextInt(2), r.nextBoolean() ? null : text(r), r.nextBoolean() ? null : text(r),
        correlation, users, text(r), null, created, expiresAt);
  }

  private static String text(Random r) {
    return TEXT[r.nextInt(TEXT.length)];
  }

  /** The same message as the generic codec's record, with the id {@code hi ‖ lo}. */
  static ForwardedMessage forwarded(Message m, long hi, long lo) {
    List<UserProperty> users = new ArrayList<>();
    for (StringPair p : m.userProperties()) {
      users.add(new UserProperty(p.key, p.value));
    }
    long interval = MessageRecord.expiryInterval(m);
    MessageProperties props = new MessageProperties(users, m.contentType(), m.responseTopic(),
        m.correlationData() == null ? null : Binary.of(m.correlationData()), interval < 0 ? null : interval,
        m.payloadFormat());
    return new ForwardedMessage(id(hi, lo), m.qos(), m.publisherId(), m.retain(), false, m.topic(),
        Binary.of(m.payload().getBytes()), m.createdAt(), props);
  }

  static Binary id(long hi, long lo) {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (hi >>> (56 - 8 * i));
      b[8 + i] = (byte) (lo >>> (56 - 8 * i));
    }
    return Binary.of(b);
  }

  /** Every field, comparable (a Message's correlation data is an array, its StringPairs lack equals). */
  static List<Object> fields(Message m) {
    List<Object> users = new ArrayList<>();
    for (StringPair p : m.userProperties()) {
      users.add(p.key + "=" + p.value);
    }
    return Arrays.asList(m.topic(), Arrays.toString(m.payload().getBytes()), m.qos(), m.retain(), m.payloadFormat(),
        m.contentType(), m.responseTopic(),
        m.correlationData() == null ? null : Arrays.toString(m.correlationData()), users, m.publisherId(),
        m.origin(), m.createdAt(), m.expiresAt());
  }
}
