package io.linkgate.link.wire;

import java.util.Objects;

/**
 * A parsed {@code $LINK/cluster/...} topic.
 *
 * @param cluster the sending cluster's own name
 * @param actor only for {@link Kind#RESP}, null otherwise
 */
public record LinkTopic(Kind kind, String cluster, String actor) {
  public enum Kind {
    /** {@code $LINK/cluster/route/<cluster>}: actor_init, route ops, heartbeats. */
    ROUTE,
    /** {@code $LINK/cluster/msg/<cluster>}: one forwarded message per PUBLISH. */
    MSG,
    /** {@code $LINK/cluster/resp/<cluster>/<actor>}: the handshake reply. */
    RESP
  }

  public LinkTopic {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(cluster, "cluster");
    if ((kind == Kind.RESP) != (actor != null)) {
      throw new IllegalArgumentException("actor is required for RESP topics only");
    }
  }

  /** The topic string again. */
  public String topic() {
    return switch (kind) {
      case ROUTE -> LinkTopics.route(cluster);
      case MSG -> LinkTopics.msg(cluster);
      case RESP -> LinkTopics.resp(cluster, actor);
    };
  }
}
