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

  private LinkMessages() {
  }

  /** The record to forward: QoS is capped at 1 on the hop, as EMQX does. */
  static ForwardedMessage toWire(Message m, long now) {
    List<UserProperty> users = new ArrayList<>(m.userProperties().size());
    for (StringPair p : m.userProperties()) {
      users.add(new UserProperty(p.key, p.value));
    }
    long remaining = m.remainingExpirySeconds(now);
    MessageProperties props = new MessageProperties(users, m.contentType(), m.responseTopic(),
      m.correlationData() == null ? null : Binary.of(m.correlationData()),
      remaining < 0 ? null : remaining, m.payloadFormat());
    return new ForwardedMessage(ForwardedMessage.newId(), Math.min(m.qos(), 1), m.publisherId(), m.retain(), false,
      m.topic(), Binary.of(m.payload().getBytes()), m.createdAt(), props);
  }

  /** The local message for a record a peer forwarded, tagged with its origin so it is never forwarded again. */
  static Message fromWire(ForwardedMessage f, String originCluster, long now) {
    MessageProperties p = f.properties();
    List<StringPair> users = new ArrayList<>(p.userProperties().size());
    for (UserProperty u : p.userProperties()) {
      users.add(new StringPair(u.name(), u.value()));
    }
    long expiresAt = p.messageExpiryInterval() == null ? 0 : now + p.messageExpiryInterval() * 1000;
    return new Message(f.topic(), Buffer.buffer(f.payload().toByteArray()), f.qos(), f.retain(),
      p.payloadFormatIndicator(), p.contentType(), p.responseTopic(),
      p.correlationData() == null ? null : p.correlationData().toByteArray(),
      users, f.from(), originCluster, f.timestamp() > 0 ? f.timestamp() : now, expiresAt);
  }
}
