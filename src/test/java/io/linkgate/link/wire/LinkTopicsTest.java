package io.linkgate.link.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linkgate.link.wire.LinkTopic.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinkTopicsTest {
  @Test
  void buildsTheThreeTopics() {
    assertThat(LinkTopics.route("clusterA")).isEqualTo("$LINK/cluster/route/clusterA");
    assertThat(LinkTopics.msg("clusterA")).isEqualTo("$LINK/cluster/msg/clusterA");
    assertThat(LinkTopics.resp("clusterA", "emqx@10.0.0.1"))
        .isEqualTo("$LINK/cluster/resp/clusterA/emqx@10.0.0.1");
  }

  @Test
  void parsesWhatItBuilds() {
    assertThat(LinkTopics.parse("$LINK/cluster/route/A"))
        .contains(new LinkTopic(Kind.ROUTE, "A", null));
    assertThat(LinkTopics.parse("$LINK/cluster/msg/A"))
        .contains(new LinkTopic(Kind.MSG, "A", null));
    assertThat(LinkTopics.parse("$LINK/cluster/resp/A/ps-routes-v1"))
        .contains(new LinkTopic(Kind.RESP, "A", "ps-routes-v1"));
    LinkTopic t = new LinkTopic(Kind.RESP, "A", "n@h");
    assertThat(LinkTopics.parse(t.topic())).contains(t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"t/1", "$LINK/cluster/route/", "$LINK/cluster/route/a/b",
      "$LINK/cluster/msg/+", "$LINK/cluster/resp/A", "$LINK/cluster/resp/A/",
      "$LINK/cluster/resp//x",
      "$LINK/cluster/resp/A/x/y", "$LINK/cluster/other/A", "$LINK/cluster", "$link/cluster/msg/A",
      "$SYS/cluster/msg/A"})
  void otherTopicsParseToEmpty(String topic) {
    assertThat(LinkTopics.parse(topic)).isEqualTo(Optional.empty());
  }

  @Test
  void rejectsNamesThatAreNotOneTopicLevel() {
    for (String bad : new String[] {"", "a/b", "a+", "#", "a\u0000"}) {
      assertThatThrownBy(() -> LinkTopics.route(bad)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> LinkTopics.resp("A", bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new LinkTopic(Kind.MSG, "A", "actor"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
