package io.linkgate.link;

/**
 * Operator-facing words for an {@code actor_init} the peer refused. The ack carries only a reason token, but the
 * order of the receiver's checks tells us more: {@code unknown_cluster} means it has no link named after our cluster;
 * {@code bad_remote_cluster_link_name} means it has that link, enabled, but its own {@code cluster.name} is not the
 * name of our link (the protocol does not tell us its real name).
 */
final class HandshakeRejection {

  private HandshakeRejection() {
  }

  static String explain(String error, String server, String linkName, String localCluster) {
    String who = "the server at " + server;
    return switch (error) {
      case "unknown_cluster" -> who + " rejected our handshake (unknown_cluster): the cluster there has no link "
        + "named '" + localCluster + "' (this cluster's cluster.name), so it does not accept us; add a link named '"
        + localCluster + "' on it";
      case "bad_remote_cluster_link_name" -> who + " rejected our handshake (bad_remote_cluster_link_name): it has a "
        + "link named '" + localCluster + "' to us, but its own cluster.name is not '" + linkName + "', the name of "
        + "this link; rename this link to the peer's cluster.name (the protocol does not tell us what it is)";
      case "cluster_link_disabled" -> who + " rejected our handshake (cluster_link_disabled): its link named '"
        + localCluster + "' is disabled";
      default -> who + " rejected our handshake: " + error;
    };
  }
}
