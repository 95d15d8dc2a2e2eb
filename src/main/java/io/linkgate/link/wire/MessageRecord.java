package io.linkgate.link.wire;

import io.linkgate.broker.Message;
import io.linkgate.etf.Atom;
import io.linkgate.etf.EtfLimits;
import io.linkgate.etf.EtfReader;
import io.linkgate.etf.EtfWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The forwarding hot path: the broker's {@link Message} straight to and from the bytes of EMQX's {@code #message{}}
 * record, the same record and bytes as {@link ForwardedMessage} through the generic codec ({@link MessageCodec}),
 * with no term tree and one payload copy when encoding, none when decoding a plain record (the payload is a slice of
 * the received buffer).
 *
 * <p>Decoding walks the record's usual shape and decodes anything else the generic way in place (EMQX's own headers
 * and flags, whatever 5.x leaves in {@code extra}, an atom as {@code from}, an iolist payload), under the same
 * {@link EtfLimits}. On a record it cannot read it decodes the input again with the generic codec, so a malformed
 * record gets the same {@link LinkPayloadException} either way.
 */
public final class MessageRecord {
  private static final long MAX_EXPIRY_INTERVAL = 0xFFFFFFFFL;

  private static final byte[] MESSAGE = EtfReader.name("message");
  private static final byte[] DUP = EtfReader.name("dup");
  private static final byte[] RETAIN = EtfReader.name("retain");
  private static final byte[] PROPERTIES = EtfReader.name("properties");
  private static final byte[] TRUE = EtfReader.name("true");
  private static final byte[] FALSE = EtfReader.name("false");
  // property keys in Erlang term order, the order OTP writes them in
  private static final byte[] CONTENT_TYPE = EtfReader.name("Content-Type");
  private static final byte[] CORRELATION_DATA = EtfReader.name("Correlation-Data");
  private static final byte[] MESSAGE_EXPIRY = EtfReader.name("Message-Expiry-Interval");
  private static final byte[] PAYLOAD_FORMAT = EtfReader.name("Payload-Format-Indicator");
  private static final byte[] RESPONSE_TOPIC = EtfReader.name("Response-Topic");
  private static final byte[] USER_PROPERTY = EtfReader.name("User-Property");

  private static final byte[][] RECORD_TAG = {MESSAGE};
  private static final byte[][] BOOLS = {FALSE, TRUE};
  private static final byte[][] FLAG_KEYS = {DUP, RETAIN};
  private static final byte[][] HEADER_KEYS = {PROPERTIES};
  private static final byte[][] PROPERTY_KEYS =
      {CONTENT_TYPE, CORRELATION_DATA, MESSAGE_EXPIRY, PAYLOAD_FORMAT, RESPONSE_TOPIC, USER_PROPERTY};

  private MessageRecord() {
  }

  /** A forwarded message as received, and the properties left out of it (see {@link DecodedMessage}). */
  public record Decoded(Message message, List<String> droppedProperties) {
  }

  /**
   * The Message-Expiry-Interval the publisher set, in seconds, or -1 for none (the broker keeps it as
   * {@code createdAt + interval × 1000}).
   */
  public static long expiryInterval(Message m) {
    if (m.expiresAt() == 0) {
      return -1;
    }
    long ms = Math.max(0, m.expiresAt() - m.createdAt());
    return Math.min(MAX_EXPIRY_INTERVAL, (ms + 999) / 1000);
  }

  /** When a forwarded message expires: at the record's timestamp + interval, as EMQX does; 0 (never) for none. */
  public static long expiresAt(long createdAt, long interval) {
    // 0 means "never" to the broker: a message that expired at the epoch still expired
    return interval < 0 ? 0 : Math.max(1, createdAt + interval * 1000);
  }

  /** Plain ETF of the record for {@code m}, with a new id ({@link MessageIds}). */
  public static byte[] encode(Message m) {
    return encode(m, MessageIds.prefix(), MessageIds.next());
  }

  /**
   * Plain ETF of the record for {@code m} with the id {@code idHi ‖ idLo}: byte for byte what
   * {@code Etf.encode(forwarded.toTerm())} gives for the same message, and so what OTP's {@code term_to_binary} gives.
   */
  public static byte[] encode(Message m, long idHi, long idLo) {
    String from = Objects.requireNonNull(m.publisherId(), "publisherId");
    String topic = Objects.requireNonNull(m.topic(), "topic");
    if (m.qos() < 0 || m.qos() > 2) {
      throw new IllegalArgumentException("qos must be 0..2: " + m.qos());
    }
    Integer format = m.payloadFormat();
    if (format != null && format != 0 && format != 1) {
      throw new IllegalArgumentException("Payload-Format-Indicator must be 0 or 1: " + format);
    }
    long interval = expiryInterval(m);
    int fromLen = EtfWriter.utf8Length(from);
    int topicLen = EtfWriter.utf8Length(topic);
    int payloadLen = m.payload().length();
    int size = EtfWriter.VERSION_BYTES + EtfWriter.sizeOfTupleHeader(10) + EtfWriter.sizeOfAtom(MESSAGE)
        + EtfWriter.sizeOfBinary(16) + EtfWriter.sizeOfInteger(m.qos()) + EtfWriter.sizeOfBinary(fromLen)
        + EtfWriter.sizeOfMapHeader() + EtfWriter.sizeOfAtom(DUP) + EtfWriter.sizeOfAtom(FALSE)
        + EtfWriter.sizeOfAtom(RETAIN) + EtfWriter.sizeOfAtom(m.retain() ? TRUE : FALSE)
        + EtfWriter.sizeOfMapHeader() + EtfWriter.sizeOfAtom(PROPERTIES) + propertiesSize(m, interval)
        + EtfWriter.sizeOfBinary(topicLen) + EtfWriter.sizeOfBinary(payloadLen)
        + EtfWriter.sizeOfInteger(m.createdAt()) + EtfWriter.sizeOfMapHeader();
    EtfWriter w = new EtfWriter(size);
    w.tupleHeader(10);
    w.atom(MESSAGE);
    w.binary(idHi, idLo);
    w.integer(m.qos());
    w.utf8Binary(from, fromLen);
    w.mapHeader(2); // flags, keys in term order
    w.atom(DUP);
    w.atom(FALSE);
    w.atom(RETAIN);
    w.atom(m.retain() ? TRUE : FALSE);
    w.mapHeader(1); // headers
    w.atom(PROPERTIES);
    writeProperties(w, m, interval);
    w.utf8Binary(topic, topicLen);
    w.binaryHeader(payloadLen);
    m.payload().getBytes(0, payloadLen, w.target(), w.position());
    w.advance(payloadLen);
    w.integer(m.createdAt());
    w.mapHeader(0); // extra
    return w.finish();
  }

  private static int propertiesSize(Message m, long interval) {
    int size = EtfWriter.sizeOfMapHeader();
    if (m.contentType() != null) {
      size += EtfWriter.sizeOfAtom(CONTENT_TYPE) + EtfWriter.sizeOfBinary(EtfWriter.utf8Length(m.contentType()));
    }
    if (m.correlationData() != null) {
      size += EtfWriter.sizeOfAtom(CORRELATION_DATA) + EtfWriter.sizeOfBinary(m.correlationData().length);
    }
    if (interval >= 0) {
      size += EtfWriter.sizeOfAtom(MESSAGE_EXPIRY) + EtfWriter.sizeOfInteger(interval);
    }
    if (m.payloadFormat() != null) {
      size += EtfWriter.sizeOfAtom(PAYLOAD_FORMAT) + EtfWriter.sizeOfInteger(m.payloadFormat());
    }
    if (m.responseTopic() != null) {
      size += EtfWriter.sizeOfAtom(RESPONSE_TOPIC) + EtfWriter.sizeOfBinary(EtfWriter.utf8Length(m.responseTopic()));
    }
    List<StringPair> users = m.userProperties();
    if (!users.isEmpty()) {
      size += EtfWriter.sizeOfAtom(USER_PROPERTY) + EtfWriter.sizeOfListHeader() + EtfWriter.sizeOfNil();
      for (int i = 0; i < users.size(); i++) {
        StringPair p = users.get(i);
        size += EtfWriter.sizeOfTupleHeader(2) + EtfWriter.sizeOfBinary(EtfWriter.utf8Length(p.key))
            + EtfWriter.sizeOfBinary(EtfWriter.utf8Length(p.value));
      }
    }
    return size;
  }

  private static void writeProperties(EtfWriter w, Message m, long interval) {
    List<StringPair> users = m.userProperties();
    int count = (m.contentType() != null ? 1 : 0) + (m.correlationData() != null ? 1 : 0) + (interval >= 0 ? 1 : 0)
        + (m.payloadFormat() != null ? 1 : 0) + (m.responseTopic() != null ? 1 : 0) + (users.isEmpty() ? 0 : 1);
    w.mapHeader(count);
    if (m.contentType() != null) {
      w.atom(CONTENT_TYPE);
      w.utf8Binary(m.contentType(), EtfWriter.utf8Length(m.contentType()));
    }
    if (m.correlationData() != null) {
      w.atom(CORRELATION_DATA);
      w.binary(m.correlationData());
    }
    if (interval >= 0) {
      w.atom(MESSAGE_EXPIRY);
      w.integer(interval);
    }
    if (m.payloadFormat() != null) {
      w.atom(PAYLOAD_FORMAT);
      w.integer(m.payloadFormat());
    }
    if (m.responseTopic() != null) {
      w.atom(RESPONSE_TOPIC);
      w.utf8Binary(m.responseTopic(), EtfWriter.utf8Length(m.responseTopic()));
    }
    if (!users.isEmpty()) {
      w.atom(USER_PROPERTY);
      w.listHeader(users.size());
      for (int i = 0; i < users.size(); i++) {
        StringPair p = users.get(i);
        w.tupleHeader(2);
        w.utf8Binary(p.key, EtfWriter.utf8Length(p.key));
        w.utf8Binary(p.value, EtfWriter.utf8Length(p.value));
      }
      w.nil();
    }
  }

  /**
   * The local message for the record in {@code payload} (plain or compressed ETF), tagged with its origin; see
   * {@link #toMessage} for its clock.
   *
   * @throws LinkPayloadException on malformed ETF or a term that is not a {@code #message{}}
   */
  public static Decoded decode(Buffer payload, String origin, long now, EtfLimits limits) {
    ByteBuf buf = ((BufferInternal) payload).getByteBuf();
    byte[] array;
    int off;
    Buffer source;
    if (buf.hasArray()) {
      array = buf.array();
      off = buf.arrayOffset() + buf.readerIndex();
      source = payload;
    } else {
      array = payload.getBytes();
      off = 0;
      source = null;
    }
    try {
      return decodeDirect(array, off, payload.length(), source, origin, now, limits);
    } catch (RuntimeException e) {
      // not a record we can read as is: the generic codec names what is wrong (or reads an odd but valid one)
      byte[] bytes = off == 0 && array.length == payload.length() ? array : payload.getBytes();
      DecodedMessage d = ForwardedMessage.decodeWithReport(bytes, limits);
      return new Decoded(toMessage(d.message(), origin, now), d.droppedProperties());
    }
  }

  /**
   * The local message for a decoded record. Its clock is the record's: it expires at {@code timestamp + interval ×
   * 1000} (possibly already); a timestamp of 0 or less is taken as {@code now}.
   */
  public static Message toMessage(ForwardedMessage f, String origin, long now) {
    MessageProperties p = f.properties();
    List<StringPair> users = new ArrayList<>(p.userProperties().size());
    for (UserProperty u : p.userProperties()) {
      users.add(new StringPair(u.name(), u.value()));
    }
    long createdAt = f.timestamp() > 0 ? f.timestamp() : now;
    long interval = p.messageExpiryInterval() == null ? -1 : p.messageExpiryInterval();
    return new Message(f.topic(), Buffer.buffer(f.payload().toByteArray()), f.qos(), f.retain(),
        p.payloadFormatIndicator(), p.contentType(), p.responseTopic(),
        p.correlationData() == null ? null : p.correlationData().toByteArray(),
        users, f.from(), origin, createdAt, expiresAt(createdAt, interval));
  }

  /** A record this walk does not read as is; {@link #decode} then asks the generic codec. */
  static final class NotDirect extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotDirect(String what) {
      super(what, null, false, false);
    }
  }

  /**
   * The walk itself, without the generic fallback (package-private for tests).
   *
   * @param source the buffer {@code array} backs, for a zero-copy payload slice; null if there is none
   */
  static Decoded decodeDirect(byte[] array, int off, int len, Buffer source, String origin, long now,
      EtfLimits limits) {
    EtfReader r = EtfReader.open(array, off, len, limits);
    byte[] in = r.array();
    if (r.tupleHeader(0) != 10 || r.atom(RECORD_TAG) != 0) {
      throw new NotDirect("not a #message{} record");
    }
    if (r.binaryHeader() != ForwardedMessage.ID_BYTES) {
      throw new NotDirect("message id");
    }
    r.skip(ForwardedMessage.ID_BYTES); // the broker keeps no id
    if (!r.integer() || r.lastInteger() < 0 || r.lastInteger() > 2) {
      throw new NotDirect("message qos");
    }
    int qos = (int) r.lastInteger();
    String from = from(r, in);
    boolean retain = flags(r);
    Props props = new Props();
    headers(r, in, props);
    int topicLen = r.binaryHeader();
    String topic = topicLen < 0 ? null : EtfReader.utf8OrNull(in, r.position(), topicLen);
    if (topic == null) {
      throw new NotDirect("message topic");
    }
    r.skip(topicLen);
    Buffer payload = payload(r, in, off, source);
    if (!r.integer()) {
      throw new NotDirect("message timestamp");
    }
    long timestamp = r.lastInteger();
    int extra = r.mapHeader(1);
    if (extra < 0) {
      throw new NotDirect("message extra");
    }
    for (int i = 0; i < 2 * extra; i++) {
      r.term(2); // EMQX 6.x resets extra; 5.x forwards what it holds (trace context, pids, funs): not ours
    }
    r.finish();
    long createdAt = timestamp > 0 ? timestamp : now;
    Message m = new Message(topic, payload, qos, retain, props.format, props.contentType, props.responseTopic,
        props.correlationData, props.users == null ? List.of() : props.users, from, origin, createdAt,
        expiresAt(createdAt, props.expiry));
    return new Decoded(m, props.dropped());
  }

  /** A client id binary (not checked as UTF-8, as EMQX 5.x does not); EMQX uses an atom for its own messages. */
  private static String from(EtfReader r, byte[] in) {
    int len = r.binaryHeader();
    if (len >= 0) {
      String s = new String(in, r.position(), len, StandardCharsets.UTF_8);
      r.skip(len);
      return s;
    }
    if (r.term(1) instanceof Atom a) {
      return a.name();
    }
    throw new NotDirect("message from");
  }

  /** The retain flag; other flags (sys, ...) are EMQX's own. */
  private static boolean flags(EtfReader r) {
    int n = r.mapHeader(1);
    if (n < 0) {
      throw new NotDirect("message flags");
    }
    boolean retain = false;
    int seen = 0;
    for (int i = 0; i < n; i++) {
      int key = r.atom(FLAG_KEYS);
      if (key < 0) {
        if (key == EtfReader.NOT_ATOM) {
          r.term(2);
        }
        r.term(2);
        continue;
      }
      if ((seen & 1 << key) != 0) {
        throw new NotDirect("duplicate flag");
      }
      seen |= 1 << key;
      int value = r.atom(BOOLS);
      if (value < 0) {
        throw new NotDirect("message flag");
      }
      if (key == 1) {
        retain = value == 1;
      }
    }
    return retain;
  }

  private static final class Props {
    List<StringPair> users;
    String contentType;
    String responseTopic;
    byte[] correlationData;
    long expiry = -1;
    Integer format;
    int usersDropped;
    boolean contentTypeDropped;
    boolean responseTopicDropped;

    /** In the generic codec's order: one per User-Property pair, then Content-Type, then Response-Topic. */
    List<String> dropped() {
      if (usersDropped == 0 && !contentTypeDropped && !responseTopicDropped) {
        return List.of();
      }
      List<String> out = new ArrayList<>(usersDropped + 2);
      for (int i = 0; i < usersDropped; i++) {
        out.add("User-Property");
      }
      if (contentTypeDropped) {
        out.add("Content-Type");
      }
      if (responseTopicDropped) {
        out.add("Response-Topic");
      }
      return out;
    }
  }

  /** {@code headers.properties}; EMQX's other headers (proto_ver, username, peerhost, ...) are not forwarded. */
  private static void headers(EtfReader r, byte[] in, Props props) {
    int n = r.mapHeader(1);
    if (n < 0) {
      throw new NotDirect("message headers");
    }
    boolean seen = false;
    for (int i = 0; i < n; i++) {
      int key = r.atom(HEADER_KEYS);
      if (key < 0) {
        if (key == EtfReader.NOT_ATOM) {
          r.term(2);
        }
        r.term(2);
        continue;
      }
      if (seen) {
        throw new NotDirect("duplicate properties");
      }
      seen = true;
      properties(r, in, props);
    }
  }

  private static void properties(EtfReader r, byte[] in, Props props) {
    int n = r.mapHeader(2);
    if (n < 0) {
      throw new NotDirect("properties");
    }
    int seen = 0;
    for (int i = 0; i < n; i++) {
      int key = r.atom(PROPERTY_KEYS);
      if (key < 0) {
        if (key == EtfReader.NOT_ATOM) {
          r.term(3);
        }
        r.term(3); // Topic-Alias, Subscription-Identifier and the like are hop-local
        continue;
      }
      if ((seen & 1 << key) != 0) {
        throw new NotDirect("duplicate property");
      }
      seen |= 1 << key;
      switch (key) {
        case 0 -> {
          props.contentType = mqttTextOrNull(r, in);
          props.contentTypeDropped = props.contentType == null;
        }
        case 1 -> {
          int len = r.binaryHeader();
          if (len < 0) {
            throw new NotDirect("Correlation-Data");
          }
          props.correlationData = java.util.Arrays.copyOfRange(in, r.position(), r.position() + len);
          r.skip(len);
        }
        case 2 -> {
          if (!r.integer() || r.lastInteger() < 0 || r.lastInteger() > MAX_EXPIRY_INTERVAL) {
            throw new NotDirect("Message-Expiry-Interval");
          }
          props.expiry = r.lastInteger();
        }
        case 3 -> {
          if (!r.integer() || r.lastInteger() < 0 || r.lastInteger() > 1) {
            throw new NotDirect("Payload-Format-Indicator");
          }
          props.format = (int) r.lastInteger();
        }
        case 4 -> {
          props.responseTopic = mqttTextOrNull(r, in);
          props.responseTopicDropped = props.responseTopic == null;
        }
        default -> userProperties(r, in, props);
      }
    }
  }

  private static void userProperties(EtfReader r, byte[] in, Props props) {
    int n = r.listHeader(3);
    if (n < 0) {
      throw new NotDirect("User-Property");
    }
    List<StringPair> users = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (r.tupleHeader(4) != 2) {
        throw new NotDirect("User-Property entry");
      }
      String name = mqttTextOrNull(r, in);
      String value = mqttTextOrNull(r, in);
      if (name == null || value == null) {
        props.usersDropped++;
      } else {
        users.add(new StringPair(name, value));
      }
    }
    if (n > 0 && !r.nilTail()) {
      throw new NotDirect("User-Property tail");
    }
    props.users = users;
  }

  /** Text an MQTT client may get: valid UTF-8 without U+0000, else null (the caller drops it). */
  private static String mqttTextOrNull(EtfReader r, byte[] in) {
    int len = r.binaryHeader();
    if (len < 0) {
      throw new NotDirect("a property that is not a binary");
    }
    String s = EtfReader.utf8OrNull(in, r.position(), len);
    r.skip(len);
    return s == null || s.indexOf('\u0000') >= 0 ? null : s;
  }

  /** A slice of the received buffer when there is one; an iolist (EMQX's payload type allows it) is flattened. */
  private static Buffer payload(EtfReader r, byte[] in, int off, Buffer source) {
    int len = r.binaryHeader();
    if (len < 0) {
      byte[] flat = Shapes.iodata(r.term(1), "message payload").toByteArray();
      return Buffer.buffer(flat);
    }
    int start = r.position();
    r.skip(len);
    if (source != null && !r.inflated()) {
      return source.slice(start - off, start - off + len);
    }
    return BufferInternal.buffer(Unpooled.wrappedBuffer(in, start, len));
  }
}
