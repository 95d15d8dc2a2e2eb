package io.linkgate.link;

import io.linkgate.broker.Message;
import io.linkgate.etf.Binary;
import io.linkgate.link.wire.ForwardedMessage;
import io.linkgate.etf.EtfLimits;
import io.linkgate.link.wire.MessageProperties;
import io.linkgate.link.wire.MessageRecord;
import io.linkgate.link.wire.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/** Conversions between the broker's {@link Message} and the {@code #message{}} record sent over a link. */
final class LinkMessages {

  private LinkMessages() {
  }

  /** The record to forward, as plain ETF (see {@link MessageRecord#encode(Message)}). */
  static byte[] encode(Message m) {
    return MessageRecord.encode(m);
  }

  /** The local message for a record a peer forwarded (see {@link MessageRecord#decode}). */
  static MessageRecord.Decoded decode(Buffer record, String originCluster, long now) {
    return MessageRecord.decode(record, originCluster, now, EtfLimits.DEFAULT);
  }

  /**
   * The record to forward. It keeps the original QoS, as every EMQX version does (only the hop is capped at 1, by
   * the forwarding pool), and the original Message-Expiry-Interval next to the original timestamp: the peer
   * expires the message at {@code timestamp + interval × 1000}, as EMQX does. ({@code now}, the send time, no
   * longer enters the record.) The forwarding path encodes with {@link #encode}, to the same bytes.
   */
  static ForwardedMessage toWire(Message m, long now) {
    List<UserProperty> users = new ArrayList<>(m.userProperties().size());
    for (StringPair p : m.userProperties()) {
      users.add(new UserProperty(p.key, p.value));
    }
    long interval = MessageRecord.expiryInterval(m);
    MessageProperties props = new MessageProperties(users, m.contentType(), m.responseTopic(),
      m.correlationData() == null ? null : Binary.of(m.correlationData()),
      interval < 0 ? null : interval, m.payloadFormat());
    return new ForwardedMessage(ForwardedMessage.newId(), m.qos(), m.publisherId(), m.retain(), false,
      m.topic(), Binary.of(m.payload().getBytes()), m.createdAt(), props);
  }

  /**
   * The local message for a record a peer forwarded, tagged with its origin so it is never forwarded again. Its
   * clock is the record's: it expires at {@code timestamp + interval × 1000} (possibly already), and is delivered
   * with what remains of the interval.
   */
  static Message fromWire(ForwardedMessage f, String originCluster, long now) {
    return MessageRecord.toMessage(f, originCluster, now);
  }
}
