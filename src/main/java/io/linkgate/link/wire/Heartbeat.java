package io.linkgate.link.wire;

import java.util.Objects;

/** Keeps the actor alive on the receiver ({@code '$op' => <<"heartbeat">>}), sent QoS 0. */
public record Heartbeat(String actor, long incarnation) implements ControlOp {
  public Heartbeat {
    Objects.requireNonNull(actor, "actor");
  }
}
