package io.linkgate.link.wire;

import static io.linkgate.link.wire.Shapes.bad;
import static io.linkgate.link.wire.Shapes.binary;
import static io.linkgate.link.wire.Shapes.integer;
import static io.linkgate.link.wire.Shapes.text;

import io.linkgate.etf.Atom;
import io.linkgate.etf.Binary;
import io.linkgate.etf.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Term mapping of EMQX's {@code #message{}} record (emqx_message.hrl):
 * {@code {message, Id, QoS, From, Flags, Headers, Topic, Payload, Timestamp, Extra}}.
 *
 * <p>We send {@code Flags = #{dup => D, retain => R}}, {@code Headers = #{properties => Props}}
 * (like the messages EMQX builds itself with {@code emqx_message:make/6}) and
 * {@code Extra = #{}}: EMQX 6.x resets {@code extra} before forwarding and its receiver crashes on
 * anything but a map, then sets {@code extra.link_origin}. EMQX's own headers (proto_ver,
 * protocol, username, peerhost, peername, client_attrs, ...), flags such as {@code sys} and
 * whatever EMQX 5.x leaves in {@code extra} (it forwards it as is: a tracing context, pids, funs)
 * are ignored when decoding.
 *
 * <p>Decoding accepts what EMQX 5.x (default {@code strict_mode = false}) sends: a client id that
 * is not valid UTF-8 (read with replacement characters: it is never delivered as text), a payload
 * as iodata (flattened), and User-Property pairs, a Content-Type or a Response-Topic that are not
 * valid UTF-8 (or hold U+0000): those are dropped (an MQTT 5 subscriber must not receive them as
 * strings) and named in {@code dropped}, and the message is kept.
 */
final class MessageCodec {
  private static final Atom MESSAGE = Atom.of("message");
  private static final Atom DUP = Atom.of("dup");
  private static final Atom RETAIN = Atom.of("retain");
  private static final Atom PROPERTIES = Atom.of("properties");
  private static final Atom USER_PROPERTY = Atom.of("User-Property");
  private static final Atom CONTENT_TYPE = Atom.of("Content-Type");
  private static final Atom RESPONSE_TOPIC = Atom.of("Response-Topic");
  private static final Atom CORRELATION_DATA = Atom.of("Correlation-Data");
  private static final Atom MESSAGE_EXPIRY = Atom.of("Message-Expiry-Interval");
  private static final Atom PAYLOAD_FORMAT = Atom.of("Payload-Format-Indicator");

  private MessageCodec() {
  }

  static Object toTerm(ForwardedMessage m) {
    Map<Object, Object> flags = new LinkedHashMap<>();
    flags.put(DUP, Atom.of(m.dup()));
    flags.put(RETAIN, Atom.of(m.retain()));
    Map<Object, Object> headers = new LinkedHashMap<>();
    headers.put(PROPERTIES, properties(m.properties()));
    return Tuple.of(MESSAGE, m.id(), (long) m.qos(), Binary.ofUtf8(m.from()), flags, headers,
        Binary.ofUtf8(m.topic()), m.payload(), m.timestamp(), Map.of());
  }

  private static Map<Object, Object> properties(MessageProperties p) {
    Map<Object, Object> m = new LinkedHashMap<>();
    if (!p.userProperties().isEmpty()) {
      List<Object> pairs = new ArrayList<>(p.userProperties().size());
      for (UserProperty u : p.userProperties()) {
        pairs.add(Tuple.of(Binary.ofUtf8(u.name()), Binary.ofUtf8(u.value())));
      }
      m.put(USER_PROPERTY, pairs);
    }
    putIfSet(m, CONTENT_TYPE, p.contentType() == null ? null : Binary.ofUtf8(p.contentType()));
    putIfSet(m, RESPONSE_TOPIC,
        p.responseTopic() == null ? null : Binary.ofUtf8(p.responseTopic()));
    putIfSet(m, CORRELATION_DATA, p.correlationData());
    putIfSet(m, MESSAGE_EXPIRY, p.messageExpiryInterval());
    putIfSet(m, PAYLOAD_FORMAT,
        p.payloadFormatIndicator() == null ? null : (long) p.payloadFormatIndicator());
    return m;
  }

  private static void putIfSet(Map<Object, Object> m, Atom key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  static ForwardedMessage fromTerm(Object term, List<String> dropped) {
    if (!(term instanceof Tuple t) || !t.isRecord("message", 10)) {
      throw bad("forwarded message", "a #message{} record (10-tuple tagged message)", term);
    }
    long qos = integer(t.get(2), "message qos");
    Map<?, ?> flags = Shapes.map(t.get(4), "message flags");
    Map<?, ?> headers = Shapes.map(t.get(5), "message headers");
    Shapes.map(t.get(9), "message extra");
    if (qos < 0 || qos > 2) {
      throw bad("message qos", "0, 1 or 2", qos);
    }
    Binary id = binary(t.get(1), "message id");
    if (id.size() != ForwardedMessage.ID_BYTES) {
      throw bad("message id", "16 bytes", id);
    }
    Object props = headers.get(PROPERTIES);
    return new ForwardedMessage(id, (int) qos, from(t.get(3)),
        flag(flags, RETAIN), flag(flags, DUP),
        text(t.get(6), "message topic"), Shapes.iodata(t.get(7), "message payload"),
        integer(t.get(8), "message timestamp"),
        props == null ? MessageProperties.EMPTY : properties(Shapes.map(props, "properties"), dropped));
  }

  /** A client id binary; EMQX uses an atom (a module name) for messages it makes itself. */
  private static String from(Object t) {
    return t instanceof Atom a ? a.name() : Shapes.lenientText(t, "message from");
  }

  private static boolean flag(Map<?, ?> flags, Atom name) {
    Object v = flags.get(name);
    return v != null && Shapes.bool(v, "message flag " + name.name(), false);
  }

  private static MessageProperties properties(Map<?, ?> m, List<String> dropped) {
    Object expiry = m.get(MESSAGE_EXPIRY);
    Object format = m.get(PAYLOAD_FORMAT);
    Object ct = m.get(CONTENT_TYPE);
    Object rt = m.get(RESPONSE_TOPIC);
    Object cd = m.get(CORRELATION_DATA);
    try {
      return new MessageProperties(userProperties(m.get(USER_PROPERTY), dropped),
          ct == null ? null : utf8OrDrop(ct, "Content-Type", dropped),
          rt == null ? null : utf8OrDrop(rt, "Response-Topic", dropped),
          cd == null ? null : binary(cd, "Correlation-Data"),
          expiry == null ? null : integer(expiry, "Message-Expiry-Interval"),
          format == null ? null : payloadFormat(format));
    } catch (IllegalArgumentException e) {
      throw new LinkPayloadException("message properties: " + e.getMessage(), e);
    }
  }

  private static Integer payloadFormat(Object t) {
    long v = integer(t, "Payload-Format-Indicator");
    if (v != 0 && v != 1) {
      throw bad("Payload-Format-Indicator", "0 or 1", v);
    }
    return (int) v;
  }

  private static String utf8OrDrop(Object t, String field, List<String> dropped) {
    String s = Shapes.mqttTextOrNull(t, field);
    if (s == null) {
      dropped.add(field);
    }
    return s;
  }

  private static List<UserProperty> userProperties(Object t, List<String> dropped) {
    if (t == null) {
      return List.of();
    }
    if (!(t instanceof List<?> list)) {
      throw bad("User-Property", "a list of {Name, Value}", t);
    }
    List<UserProperty> out = new ArrayList<>(list.size());
    for (Object e : list) {
      if (!(e instanceof Tuple p) || p.size() != 2) {
        throw bad("User-Property entry", "{Name, Value}", e);
      }
      String name = Shapes.mqttTextOrNull(p.get(0), "User-Property name");
      String value = Shapes.mqttTextOrNull(p.get(1), "User-Property value");
      if (name == null || value == null) {
        dropped.add("User-Property");
      } else {
        out.add(new UserProperty(name, value));
      }
    }
    return out;
  }
}
