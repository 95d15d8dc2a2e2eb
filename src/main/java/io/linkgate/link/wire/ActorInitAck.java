package io.linkgate.link.wire;

import io.linkgate.etf.EtfLimits;
import java.util.Objects;

/**
 * Handshake reply ({@code '$op' => <<"actor_init_ack">>}). On the wire {@code result} is the atom
 * {@code ok} or {@code {error, <<"reason">>}}; EMQX sends {@code need_bootstrap = undefined} with
 * errors.
 *
 * @param error null for {@code ok}, otherwise the reason, e.g. {@code unknown_cluster},
 *     {@code cluster_link_disabled}, {@code bad_remote_cluster_link_name}
 * @param needBootstrap true when the receiver created the actor record afresh; null for
 *     {@code undefined}
 */
public record ActorInitAck(String actor, long protoVer, String error, Boolean needBootstrap)
    implements ControlOp {
  public ActorInitAck {
    Objects.requireNonNull(actor, "actor");
  }

  public static ActorInitAck ok(String actor, boolean needBootstrap) {
    return new ActorInitAck(actor, PROTO_VER, null, needBootstrap);
  }

  public static ActorInitAck error(String actor, String reason) {
    return new ActorInitAck(actor, PROTO_VER, Objects.requireNonNull(reason, "reason"), null);
  }

  public boolean isOk() {
    return error == null;
  }

  /** Decodes a payload received on the resp topic; any other op is an error. */
  public static ActorInitAck decode(byte[] payload) {
    return decode(payload, EtfLimits.DEFAULT);
  }

  public static ActorInitAck decode(byte[] payload, EtfLimits limits) {
    ControlOp op = ControlOp.decode(payload, limits);
    if (op instanceof ActorInitAck ack) {
      return ack;
    }
    throw new LinkPayloadException("expected actor_init_ack, got " + ControlCodec.opName(op));
  }
}
