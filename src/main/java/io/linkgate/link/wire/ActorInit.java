package io.linkgate.link.wire;

import java.util.Objects;

/**
 * Handshake request ({@code '$op' => <<"actor_init">>}), published QoS 1 with Response-Topic
 * {@code $LINK/cluster/resp/<sender>/<actor>} and a Correlation-Data.
 *
 * @param targetCluster the name the sender uses for the receiving cluster
 * @param incarnation the actor's start time in ms; a higher one replaces the actor's old routes
 */
public record ActorInit(String actor, long incarnation, String targetCluster, long protoVer)
    implements ControlOp {
  public ActorInit {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(targetCluster, "targetCluster");
  }

  public static ActorInit of(String actor, long incarnation, String targetCluster) {
    return new ActorInit(actor, incarnation, targetCluster, PROTO_VER);
  }
}
