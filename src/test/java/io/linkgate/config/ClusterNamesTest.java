package io.linkgate.config;

import static io.linkgate.config.ConfigTestSupport.errors;
import static io.linkgate.config.ConfigTestSupport.linkErrors;
import static io.linkgate.config.ConfigTestSupport.valid;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cluster and link names as EMQX accepts them (its {@code cluster.name} is any atom; its own tests link
 * {@code cl.source} and {@code cl.target}), limited to what one {@code $LINK/cluster/<name>} topic level can carry.
 */
@Timeout(30)
class ClusterNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"cl.source", "emqx.eu-west.1", "a@b", "_a", "-a", "c l", "\u00e4", "$x", "..."})
  void namesEmqxAcceptsAreValidForTheClusterAndItsLinks(String name) {
    LinkgateConfig c = valid("cluster { name = \"" + name + "\", links = [ { name = \"peer." + name
        + "\", server = h, topics = [] } ] }");
    assertThat(c.cluster().name()).isEqualTo(name);
    assertThat(c.cluster().links().get(0).name()).isEqualTo("peer." + name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "a+", "#", "cl/"})
  void topicSyntaxIsRefusedWithTheCharacter(String name) {
    char bad = name.chars().filter(ch -> ch == '/' || ch == '+' || ch == '#').mapToObj(ch -> (char) ch)
        .findFirst().orElseThrow();
    String expected = "Invalid name format: '" + bad + "' is not allowed (a cluster name is one level of the"
        + " $LINK/cluster/<name> topics: no '/', '+', '#' or control characters)";
    assertThat(errors("cluster.name = \"" + name + "\"")).containsExactly("cluster.name: " + expected);
    assertThat(linkErrors("name = \"" + name + "\", server = h, topics = []"))
        .containsExactly("cluster.links[0].name: " + expected);
  }

  @Test
  void controlCharactersAndNulAreRefused() {
    assertThat(errors("cluster.name = \"a\\u0000b\"")).containsExactly("cluster.name: Invalid name format: U+0000"
        + " is not allowed (a cluster name is one level of the $LINK/cluster/<name> topics: no '/', '+', '#' or"
        + " control characters)");
    assertThat(linkErrors("name = \"a\\tb\", server = h, topics = []")).singleElement().asString()
        .startsWith("cluster.links[0].name: Invalid name format: U+0009 is not allowed");
    assertThat(linkErrors("name = \"a\\u0085b\", server = h, topics = []")).singleElement().asString()
        .startsWith("cluster.links[0].name: Invalid name format: U+0085 is not allowed");
  }

  @Test
  void emptyDotAndDotDotAreRefused() {
    assertThat(errors("cluster.name = \"\"")).containsExactly("cluster.name: Name cannot be empty string");
    assertThat(linkErrors("name = \".\", server = h, topics = []"))
        .containsExactly("cluster.links[0].name: Invalid name format: \".\" is not allowed");
    assertThat(errors("cluster.name = \"..\"")).containsExactly("cluster.name: Invalid name format: \"..\" is not"
        + " allowed");
  }

  @Test
  void theApiUsesTheSameRule() {
    assertThat(LinkOptions.validateName("cl.target")).isNull();
    assertThat(LinkOptions.validateName("cl/target")).startsWith("Invalid name format: '/'");
  }
}
