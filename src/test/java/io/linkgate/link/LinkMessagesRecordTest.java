package io.linkgate.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.linkgate.broker.Message;
import io.linkgate.etf.Binary;
import io.linkgate.link.wire.ForwardedMessage;
import io.linkgate.link.wire.MessageProperties;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The record we send and the message we make of a record, on EMQX's clock: a message expires at
 * {@code timestamp + Message-Expiry-Interval × 1000}, and the record keeps the original QoS.
 */
@Timeout(30)
class LinkMessagesRecordTest {
  private static final long PUBLISHED = 1_754_550_000_000L;

  private static Message local(int qos, long expirySeconds) {
    return new Message("t/x", Buffer.buffer("p"), qos, false, null, null, null, null, List.of(), "pub", null,
      PUBLISHED, PUBLISHED + expirySeconds * 1000);
  }

  @Test
  void aQos2MessageKeepsQos2InTheRecord() {
    assertThat(LinkMessages.toWire(local(2, 60), PUBLISHED).qos()).isEqualTo(2);
    assertThat(LinkMessages.toWire(local(1, 60), PUBLISHED).qos()).isEqualTo(1);
  }

  @Test
  void aMessageForwardedLateCarriesItsOriginalIntervalAndTimestamp() {
    ForwardedMessage f = LinkMessages.toWire(local(1, 60), PUBLISHED + 20_000);
    assertThat(f.timestamp()).isEqualTo(PUBLISHED);
    assertThat(f.properties().messageExpiryInterval()).isEqualTo(60L);
  }

  @Test
  void aReceivedRecordExpiresOnItsOwnClock() {
    ForwardedMessage f = new ForwardedMessage(ForwardedMessage.newId(), 2, "pub", false, false, "t/x",
      Binary.ofUtf8("p"), PUBLISHED, MessageProperties.EMPTY.withMessageExpiryInterval(60L));
    Message m = LinkMessages.fromWire(f, "peer", PUBLISHED + 20_000);
    assertThat(m.createdAt()).isEqualTo(PUBLISHED);
    assertThat(m.expiresAt()).isEqualTo(PUBLISHED + 60_000);
    assertThat(m.remainingExpirySeconds(PUBLISHED + 20_000)).isEqualTo(40);
    assertThat(m.qos()).isEqualTo(2);
    assertThat(LinkMessages.fromWire(f, "peer", PUBLISHED + 61_000).isExpired(PUBLISHED + 61_000)).isTrue();
  }
}
