package io.linkgate.link;

import io.linkgate.Sha256;
import io.linkgate.config.LinkOptions;
import io.linkgate.config.ValidationError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Client ids of a link's clients: the configured base, the role, eight hex digits of SHA-256(node, link). */
@Timeout(10)
class LinkIdentityTest {

  private static LinkOptions link(String name) {
    return LinkOptions.fromJson(new JsonObject().put("name", name).put("server", "127.0.0.1:1883")
      .put("clientid", "clink-us-east").put("topics", new JsonArray().add("#")), "link", new ArrayList<ValidationError>());
  }

  @Test
  void clientIdsCarryTheBaseAndAShortSha256OfNodeAndLink() {
    LinkIdentity id = LinkIdentity.of(link("B"), "A", "a@node1");
    String hash = Sha256.hex("a@node1\nB").substring(0, 8);
    assertThat(id.routeSyncClientId()).isEqualTo("clink-us-east:routesync:" + hash);
    assertThat(id.forwardingClientId(3)).isEqualTo("clink-us-east:msg:" + hash + ":3");
    assertThat(LinkIdentity.of(link("C"), "A", "a@node1").routeSyncClientId())
      .as("two links of one node with one base do not share client ids").isNotEqualTo(id.routeSyncClientId());
  }
}
