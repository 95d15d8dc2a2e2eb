package io.linkgate.link.wire;

import io.linkgate.etf.Binary;
import io.linkgate.etf.Etf;
import io.linkgate.etf.EtfLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A message forwarded on {@code $LINK/cluster/msg/<sender>}: on the wire EMQX's
 * {@code #message{}} record (see {@link MessageCodec}). The forwarding path skips this record and encodes and
 * decodes the broker's message directly ({@link MessageRecord}), to the same bytes.
 *
 * @param id 16-byte message id (EMQX GUID)
 * @param qos the original QoS (0..2); the hop itself is published at min(1, qos)
 * @param from the publisher's client id
 * @param timestamp publish time, ms since the epoch
 */
public record ForwardedMessage(Binary id, int qos, String from, boolean retain, boolean dup,
    String topic, Binary payload, long timestamp, MessageProperties properties) {
  public static final int ID_BYTES = 16;

  public ForwardedMessage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(properties, "properties");
    if (id.size() != ID_BYTES) {
      throw new IllegalArgumentException("message id must be 16 bytes, got " + id.size());
    }
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("qos must be 0..2: " + qos);
    }
  }

  /** A new 16-byte id ({@link MessageIds}: EMQX's are time-ordered; receivers only need them unique). */
  public static Binary newId() {
    long hi = MessageIds.prefix();
    long lo = MessageIds.next();
    byte[] b = new byte[ID_BYTES];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (hi >>> (56 - 8 * i));
      b[8 + i] = (byte) (lo >>> (56 - 8 * i));
    }
    return Binary.of(b);
  }

  public Object toTerm() {
    return MessageCodec.toTerm(this);
  }

  /**
   * ETF as {@code term_to_binary(Msg, [compressed])}: what EMQX 6.0.3+ sends (5.x sends plain ETF, see
   * {@link #encodePlain}). Every EMQX version decodes both forms.
   */
  public byte[] encode() {
    return Etf.encodeCompressed(toTerm());
  }

  /**
   * Plain ETF, as EMQX 5.x (and 6.x before 6.0.3) sends forwarded messages and as every receiver decodes: on the
   * per-message path, trying zlib on every small message costs more CPU than the bytes it might save.
   */
  public byte[] encodePlain() {
    return Etf.encode(toTerm());
  }

  /**
   * Decodes what EMQX (or another Linkgate) forwards. Unknown flags, headers, properties and
   * whatever {@code extra} holds are ignored; properties that are not valid UTF-8 are left out
   * (see {@link #decodeWithReport} to learn which).
   *
   * @throws LinkPayloadException on malformed ETF or a term that is not a {@code #message{}}
   */
  public static ForwardedMessage decode(byte[] payload) {
    return decode(payload, EtfLimits.DEFAULT);
  }

  public static ForwardedMessage decode(byte[] payload, EtfLimits limits) {
    return fromTerm(Shapes.decode(payload, limits));
  }

  /** Like {@link #decode(byte[])}, and names the properties that were left out. */
  public static DecodedMessage decodeWithReport(byte[] payload) {
    return decodeWithReport(payload, EtfLimits.DEFAULT);
  }

  public static DecodedMessage decodeWithReport(byte[] payload, EtfLimits limits) {
    List<String> dropped = new ArrayList<>(0);
    ForwardedMessage m = MessageCodec.fromTerm(Shapes.decode(payload, limits), dropped);
    return new DecodedMessage(m, dropped);
  }

  public static ForwardedMessage fromTerm(Object term) {
    return MessageCodec.fromTerm(term, new ArrayList<>(0));
  }
}
