package io.linkgate.link.wire;

import static io.linkgate.etf.EtfFixtureTerms.MSG_ID;
import static io.linkgate.etf.EtfFixtureTerms.read;
import static io.linkgate.etf.T.atom;
import static io.linkgate.etf.T.bin;
import static io.linkgate.etf.T.bytes;
import static io.linkgate.etf.T.hex;
import static io.linkgate.etf.T.list;
import static io.linkgate.etf.T.map;
import static io.linkgate.etf.T.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linkgate.etf.Atom;
import io.linkgate.etf.Binary;
import io.linkgate.etf.Etf;
import io.linkgate.etf.EtfFixtureTerms;
import io.linkgate.etf.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The #message{} record: OTP fixtures (including EMQX's own headers) and shape errors. */
class LinkPayloadMessageTest {
  static final MessageProperties ALL_PROPS = MessageProperties.EMPTY
      .withUserProperties(List.of(new UserProperty("k", "v1"), new UserProperty("k", "v2"),
          new UserProperty("ü", "")))
      .withContentType("application/json")
      .withResponseTopic("reply/here")
      .withCorrelationData(bytes(0, 1, 2, 255))
      .withMessageExpiryInterval(3600L)
      .withPayloadFormatIndicator(1);

  static final ForwardedMessage MINIMAL = new ForwardedMessage(MSG_ID, 0, "c1", false, false,
      "t/1", Binary.EMPTY, 1754550000123L, MessageProperties.EMPTY);

  static final ForwardedMessage WITH_PROPS = new ForwardedMessage(MSG_ID, 1, "client-ü", true,
      true, "a/b/c", bin("{\"x\":1}"), 1754550000123L, ALL_PROPS);

  @Test
  void encodesByteIdenticalToOtp() {
    assertThat(hex(Etf.encode(MINIMAL.toTerm()))).isEqualTo(hex(read("msg_minimal.etf")));
    assertThat(hex(Etf.encode(WITH_PROPS.toTerm()))).isEqualTo(hex(read("msg_props.etf")));
    assertThat(MINIMAL.toTerm()).isEqualTo(EtfFixtureTerms.all().get("msg_minimal"));
  }

  @Test
  void decodesOtpEncodingsOfOurShape() {
    for (String suffix : List.of(".etf", ".z.etf", ".v1.etf")) {
      assertThat(ForwardedMessage.decode(read("msg_minimal" + suffix))).isEqualTo(MINIMAL);
      assertThat(ForwardedMessage.decode(read("msg_props" + suffix))).isEqualTo(WITH_PROPS);
    }
  }

  @Test
  void decodesWhatEmqxSendsIgnoringItsOwnHeaders() {
    ForwardedMessage m = ForwardedMessage.decode(read("msg_emqx.z.etf"));
    assertThat(m).isEqualTo(new ForwardedMessage(MSG_ID, 2, "sensor-42", false, false,
        "sensors/42/temp", bin("21.5"), 1754550000999L, MessageProperties.EMPTY
            .withUserProperties(List.of(new UserProperty("a", "1")))));
    ForwardedMessage v6 = ForwardedMessage.decode(read("msg_emqx_v6.z.etf"));
    assertThat(v6.from()).isEqualTo("emqx_sys");
    assertThat(v6.dup()).isFalse();
    assertThat(v6.topic()).isEqualTo("$SYS/brokers");
  }

  @Test
  void largePayloadsTravelCompressed() {
    ForwardedMessage big = ForwardedMessage.decode(read("msg_large_payload.z.etf"));
    assertThat(big.payload().size()).isEqualTo(4096);
    byte[] wire = big.encode();
    assertThat(wire[1]).isEqualTo((byte) 80);
    assertThat(wire.length).isLessThan(300);
    assertThat(ForwardedMessage.decode(wire)).isEqualTo(big);
  }

  @Test
  void roundTripsEveryField() {
    ForwardedMessage m = new ForwardedMessage(ForwardedMessage.newId(), 2, "c", true, false,
        "x/y", bytes(1, 2, 3), 42L, ALL_PROPS.withMessageExpiryInterval(0xFFFFFFFFL)
            .withPayloadFormatIndicator(0));
    assertThat(ForwardedMessage.decode(m.encode())).isEqualTo(m);
    assertThat(ForwardedMessage.newId()).isNotEqualTo(m.id());
  }

  @Test
  void sendsEmptyExtraAndOnlyTheProperties() {
    Tuple t = (Tuple) WITH_PROPS.toTerm();
    assertThat(t.get(4)).isEqualTo(map(atom("dup"), Atom.TRUE, atom("retain"), Atom.TRUE));
    assertThat(((Map<?, ?>) t.get(5)).keySet()).isEqualTo(java.util.Set.of(atom("properties")));
    assertThat(t.get(9)).isEqualTo(map());
  }

  private static Object msg(int index, Object value) {
    List<Object> e = new ArrayList<>(((Tuple) MINIMAL.toTerm()).elements());
    e.set(index, value);
    return new Tuple(e);
  }

  private static void rejects(Object term, String message) {
    assertThatThrownBy(() -> ForwardedMessage.fromTerm(term))
        .isInstanceOf(LinkPayloadException.class).hasMessageContaining(message);
    assertThatThrownBy(() -> ForwardedMessage.decode(Etf.encode(term)))
        .isInstanceOf(LinkPayloadException.class).hasMessageContaining(message);
  }

  @Test
  void wrongShapesAreRejected() {
    rejects(map(), "expected a #message{} record");
    rejects(msg(0, atom("delivery")), "expected a #message{} record");
    rejects(tuple(atom("message"), MSG_ID), "expected a #message{} record");
    rejects(msg(1, bytes(1, 2)), "message id: expected 16 bytes");
    rejects(msg(2, 3L), "message qos: expected 0, 1 or 2");
    rejects(msg(3, 7L), "message from: expected a binary");
    rejects(msg(4, list()), "message flags: expected a map");
    rejects(msg(4, map(atom("retain"), 1L)), "message flag retain: expected true or false");
    rejects(msg(5, map(atom("properties"), list())), "properties: expected a map");
    rejects(msg(6, atom("t")), "message topic: expected a binary");
    rejects(msg(7, atom("p")), "message payload: expected a binary");
    rejects(msg(8, 1.5), "message timestamp: expected an integer");
    rejects(msg(9, list()), "message extra: expected a map");
    rejects(msg(5, map(atom("properties"), map(atom("User-Property"), list(bin("k"))))),
        "User-Property entry: expected {Name, Value}");
    rejects(msg(5, map(atom("properties"), map(atom("Payload-Format-Indicator"), 4294967297L))),
        "Payload-Format-Indicator: expected 0 or 1");
    rejects(msg(5, map(atom("properties"), map(atom("Message-Expiry-Interval"), -1L))),
        "Message-Expiry-Interval out of range");
    assertThatThrownBy(() -> ForwardedMessage.decode(new byte[] {(byte) 131, 80, 0, 0, 0, 9}))
        .isInstanceOf(LinkPayloadException.class).hasMessageStartingWith("malformed ETF payload");
  }

  @Test
  void unknownHeadersFlagsAndPropertiesAreIgnored() {
    Object t = msg(5, map(atom("peerhost"), tuple(10L, 0L, 0L, 1L), atom("trace"),
        Etf.decode(read("opaque_pid_port_ref.etf")), atom("properties"),
        map(atom("Topic-Alias"), 5L, atom("Subscription-Identifier"), list(1L))));
    assertThat(ForwardedMessage.fromTerm(t)).isEqualTo(MINIMAL);
    assertThat(ForwardedMessage.fromTerm(msg(4, map(atom("sys"), Atom.TRUE)))).isEqualTo(MINIMAL);
  }
}
