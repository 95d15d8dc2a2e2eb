package io.linkgate.link.wire;

import io.linkgate.etf.Etf;
import io.linkgate.etf.EtfLimits;
import java.util.Map;

/**
 * A route-replication control payload: an ETF map with the atom key {@code '$op'} and small
 * integer field keys (see {@link ControlCodec}). {@link ActorInit}, {@link RouteUpdate} and
 * {@link Heartbeat} travel on {@code $LINK/cluster/route/<sender>}, {@link ActorInitAck} on
 * {@code $LINK/cluster/resp/<sender>/<actor>}.
 */
public sealed interface ControlOp permits ActorInit, ActorInitAck, RouteUpdate, Heartbeat {
  /** The protocol version EMQX sends (and does not check). */
  long PROTO_VER = 1;

  String actor();

  default Map<Object, Object> toTerm() {
    return ControlCodec.toTerm(this);
  }

  /**
   * ETF bytes as {@code term_to_binary(Map, [compressed])} makes them: what EMQX 6.0.3+ sends (EMQX 5.x sends
   * plain ETF). Every EMQX version and Linkgate decode both forms. Linkgate sends {@link #encodeForLink}.
   */
  default byte[] encode() {
    return Etf.encodeCompressed(toTerm());
  }

  /**
   * The bytes Linkgate publishes: plain, as EMQX 5.x sends every control payload, unless the plain form is large
   * (a bootstrap's route batch), which goes compressed when that is smaller (see {@link ControlCodec#PLAIN_UP_TO_BYTES}
   * for why).
   */
  default byte[] encodeForLink() {
    return ControlCodec.encodeForLink(this);
  }

  /**
   * Decodes any control payload. Unknown map keys are ignored, as EMQX does.
   *
   * @throws LinkPayloadException on malformed ETF, an unknown {@code '$op'} or a missing or
   *     mistyped field
   */
  static ControlOp decode(byte[] payload) {
    return decode(payload, EtfLimits.DEFAULT);
  }

  static ControlOp decode(byte[] payload, EtfLimits limits) {
    return fromTerm(Shapes.decode(payload, limits));
  }

  static ControlOp fromTerm(Object term) {
    return ControlCodec.fromTerm(term);
  }
}
