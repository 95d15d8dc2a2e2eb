package io.linkgate.link;

import io.linkgate.broker.Message;
import io.linkgate.etf.Binary;
import io.linkgate.link.wire.ForwardedMessage;
import io.linkgate.link.wire.MessageProperties;
import io.linkgate.link.wire.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/** Conversions between the broker's {@link Message} and the {@code #message{}} record sent over a link. */
final class LinkMessages {

  private static final long MAX_EXPIRY_INTERVAL = 0xFFFFFFFFL;

  private LinkMessages() {
  }

  /**
   * The record to forward. It keeps the original QoS, as every EMQX version does (only the hop is capped at 1, by
   * the forwarding pool), and the original Message-Expiry-Interval next to the original timestamp: the peer
   * expires the message at {@code timestamp + interval × 1000}, as EMQX does. ({@code now}, the send time, no
   * longer enters the record.)
   */
  static ForwardedMessage toWire(Message m, long now) {
    List<UserProperty> users = new ArrayList<>(m.userProperties().size());
    for (StringPair p : m.userProperties()) {
      users.add(new UserProperty(p.key, p.value));
    }
    MessageProperties props = new MessageProperties(users, m.contentType(), m.responseTopic(),
      m.correlationData() == null ? null : Binary.of(m.correlationData()),
      originalExpiryInterval(m), m.payloadFormat());
    return new ForwardedMessage(ForwardedMessage.newId(), m.qos(), m.publisherId(), m.retain(), false,
      m.topic(), Binary.of(m.payload().getBytes()), m.createdAt(), props);
  }

  /** The interval the publisher set, in seconds (the broker keeps it as {@code createdAt + interval × 1000}). */
  private static Long originalExpiryInterval(Message m) {
    if (m.expiresAt() == 0) {
      return null;
    }
    long ms = Math.max(0, m.expiresAt() - m.createdAt());
    return Math.min(MAX_EXPIRY_INTERVAL, (ms + 999) / 1000);
  }

  /**
   * The local message for a record a peer forwarded, tagged with its origin so it is never forwarded again. Its
   * clock is the record's: it expires at {@code timestamp + interval × 1000} (possibly already), and is delivered
   * with what remains of the interval.
   */
  static Message fromWire(ForwardedMessage f, String originCluster, long now) {
    MessageProperties p = f.properties();
    List<StringPair> users = new ArrayList<>(p.userProperties().size());
    for (UserProperty u : p.userProperties()) {
      users.add(new StringPair(u.name(), u.value()));
    }
    long createdAt = f.timestamp() > 0 ? f.timestamp() : now;
    // 0 means "never" to the broker: a message that expired at the epoch still expired
    long expiresAt = p.messageExpiryInterval() == null ? 0 : Math.max(1, createdAt + p.messageExpiryInterval() * 1000);
    return new Message(f.topic(), Buffer.buffer(f.payload().toByteArray()), f.qos(), f.retain(),
      p.payloadFormatIndicator(), p.contentType(), p.responseTopic(),
      p.correlationData() == null ? null : p.correlationData().toByteArray(),
      users, f.from(), originCluster, createdAt, expiresAt);
  }
}
