package io.linkgate.link;

import io.linkgate.config.LinkOptions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who our link clients are: client ids {@code <base>:routesync:<sha8(node)>} and {@code <base>:msg:<sha8(node)>:<i>}
 * as EMQX names them (so an operator's ACL rule like {@code ^clink-us-east} keeps working), the actor name (our node
 * name) and our cluster name.
 */
record LinkIdentity(String localCluster, String nodeName, String clientIdBase) {

  static LinkIdentity of(LinkOptions link, String localCluster, String nodeName) {
    return new LinkIdentity(localCluster, nodeName, link.effectiveClientIdBase(localCluster));
  }

  String routeSyncClientId() {
    return clientIdBase + ":routesync:" + sha8(nodeName);
  }

  String forwardingClientId(int index) {
    return clientIdBase + ":msg:" + sha8(nodeName) + ":" + index;
  }

  static String sha8(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
