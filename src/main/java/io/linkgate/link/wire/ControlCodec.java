package io.linkgate.link.wire;

import static io.linkgate.link.wire.Shapes.bad;
import static io.linkgate.link.wire.Shapes.integer;
import static io.linkgate.link.wire.Shapes.required;
import static io.linkgate.link.wire.Shapes.text;

import io.linkgate.etf.Atom;
import io.linkgate.etf.Binary;
import io.linkgate.etf.Etf;
import io.linkgate.etf.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Term mapping of the control maps, keys as in {@code emqx_cluster_link_mqtt.erl}. */
final class ControlCodec {
  static final Atom OP = Atom.of("$op");
  static final long ACTOR = 10;
  static final long INCARNATION = 11;
  static final long ROUTES = 12;
  static final long TARGET_CLUSTER = 13;
  static final long PROTO_VER = 14;
  static final long RESULT = 15;
  static final long NEED_BOOTSTRAP = 16;
  static final long ROUTE_DELETE = 100;

  /**
   * Plain encodings up to this size are sent as they are. Why not follow the peer's version: we do not know it
   * (no link option names it, and a user should not have to), and it does not matter for decoding — EMQX decodes
   * with {@code binary_to_term}, which takes both forms in every version. Plain below this bound makes the
   * handshake, acks, heartbeats and everyday route batches byte-identical to EMQX 5.x's and spares a deflate per
   * payload; above it (bootstrap batches of up to 4,000 routes, hundreds of KiB) compression saves most of the
   * bytes on the wire and keeps a batch further from the peer's Maximum Packet Size.
   */
  static final int PLAIN_UP_TO_BYTES = 16 * 1024;

  private ControlCodec() {
  }

  static byte[] encodeForLink(ControlOp op) {
    byte[] plain = Etf.encode(toTerm(op));
    return plain.length <= PLAIN_UP_TO_BYTES ? plain : Etf.compressIfSmaller(plain);
  }

  static String opName(ControlOp op) {
    if (op instanceof ActorInit) {
      return "actor_init";
    }
    if (op instanceof ActorInitAck) {
      return "actor_init_ack";
    }
    return op instanceof RouteUpdate ? "route" : "heartbeat";
  }

  static Map<Object, Object> toTerm(ControlOp op) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(OP, Binary.ofUtf8(opName(op)));
    m.put(ACTOR, Binary.ofUtf8(op.actor()));
    if (op instanceof ActorInit i) {
      m.put(INCARNATION, i.incarnation());
      m.put(TARGET_CLUSTER, Binary.ofUtf8(i.targetCluster()));
      m.put(PROTO_VER, i.protoVer());
    } else if (op instanceof ActorInitAck a) {
      m.put(PROTO_VER, a.protoVer());
      m.put(RESULT, a.isOk() ? Atom.OK : Tuple.of(Atom.ERROR, Binary.ofUtf8(a.error())));
      m.put(NEED_BOOTSTRAP, Shapes.atom(a.needBootstrap()));
    } else if (op instanceof RouteUpdate r) {
      m.put(INCARNATION, r.incarnation());
      List<Object> entries = new ArrayList<>(r.routes().size());
      for (RouteOp e : r.routes()) {
        Binary f = Binary.ofUtf8(e.filter());
        Binary id = Binary.ofUtf8(e.routeId());
        entries.add(e.type() == RouteOp.Type.ADD ? Tuple.of(f, id) : Tuple.of(ROUTE_DELETE, f, id));
      }
      m.put(ROUTES, entries);
    } else if (op instanceof Heartbeat h) {
      m.put(INCARNATION, h.incarnation());
    }
    return m;
  }

  static ControlOp fromTerm(Object term) {
    Map<?, ?> m = Shapes.map(term, "control payload");
    String op = text(required(m, OP, "control payload"), "'$op'");
    String actor = text(required(m, ACTOR, op), op + " actor");
    return switch (op) {
      case "actor_init" -> new ActorInit(actor,
          integer(required(m, INCARNATION, op), "actor_init incarnation"),
          text(required(m, TARGET_CLUSTER, op), "actor_init target_cluster"),
          integer(required(m, PROTO_VER, op), "actor_init proto_ver"));
      case "actor_init_ack" -> new ActorInitAck(actor,
          integer(required(m, PROTO_VER, op), "actor_init_ack proto_ver"),
          error(required(m, RESULT, op)),
          Shapes.bool(required(m, NEED_BOOTSTRAP, op), "actor_init_ack need_bootstrap", true));
      case "route" -> new RouteUpdate(actor,
          integer(required(m, INCARNATION, op), "route incarnation"),
          routes(required(m, ROUTES, op)));
      case "heartbeat" -> new Heartbeat(actor,
          integer(required(m, INCARNATION, op), "heartbeat incarnation"));
      default -> throw new LinkPayloadException("unknown '$op' " + op);
    };
  }

  /** {@code ok} becomes null; {@code {error, Reason}} becomes the reason text. */
  private static String error(Object result) {
    if (Atom.OK.equals(result)) {
      return null;
    }
    if (result instanceof Tuple t && t.size() == 2 && Atom.ERROR.equals(t.get(0))) {
      Object reason = t.get(1);
      if (reason instanceof Atom a) {
        return a.name();
      }
      return text(reason, "actor_init_ack error reason");
    }
    throw bad("actor_init_ack result", "ok or {error, Reason}", result);
  }

  private static List<RouteOp> routes(Object term) {
    if (!(term instanceof List<?> list)) {
      throw bad("route routes", "a list", term);
    }
    List<RouteOp> ops = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object e = list.get(i);
      String field = "route entry " + i;
      if (e instanceof Tuple t && t.size() == 2) {
        ops.add(RouteOp.add(text(t.get(0), field + " filter"), text(t.get(1), field + " id")));
      } else if (e instanceof Tuple t && t.size() == 3
          && Long.valueOf(ROUTE_DELETE).equals(t.get(0))) {
        ops.add(RouteOp.delete(text(t.get(1), field + " filter"), text(t.get(2), field + " id")));
      } else {
        throw bad(field, "{Filter, RouteId} or {100, Filter, RouteId}", e);
      }
    }
    return ops;
  }
}
