package io.linkgate.link;

import io.linkgate.Sha256;
import io.linkgate.config.LinkOptions;

/**
 * Who our link clients are: client ids {@code <base>:routesync:<sha8>} and {@code <base>:msg:<sha8>:<i>} in EMQX's
 * shape (so an operator's ACL rule like {@code ^clink-us-east} keeps working), the actor name (our node name) and our
 * cluster name.
 *
 * <p>The eight hex digits hash the node name <em>and the link name</em>: two links of one node that reach the same
 * server with the same {@code clientid} base (one of them misnamed, typically) get different client ids, so they
 * cannot take each other's sessions over in a loop (issue #17 item 6). The base stays the configured prefix.
 */
record LinkIdentity(String localCluster, String nodeName, String clientIdBase, String clientIdHash) {

  static LinkIdentity of(LinkOptions link, String localCluster, String nodeName) {
    return new LinkIdentity(localCluster, nodeName, link.effectiveClientIdBase(localCluster),
      Sha256.shortHex(nodeName + "\n" + link.name()));
  }

  String routeSyncClientId() {
    return clientIdBase + ":routesync:" + clientIdHash;
  }

  String forwardingClientId(int index) {
    return clientIdBase + ":msg:" + clientIdHash + ":" + index;
  }
}
