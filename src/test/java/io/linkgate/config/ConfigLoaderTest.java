package io.linkgate.config;

import static io.linkgate.config.ConfigTestSupport.errors;
import static io.linkgate.config.ConfigTestSupport.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static List<String> messages(ConfigException e) {
    return e.errors().stream().map(ValidationError::toString).toList();
  }

  @Test
  void emptyFileGivesDefaults() throws IOException {
    assertThat(ConfigLoader.load(write("empty.conf", ""), Map.of())).isEqualTo(LinkgateConfig.defaults());
  }

  @Test
  void environmentOverrides() throws IOException {
    Path file = write("c.conf", """
        cluster { name = us, links = [ { name = eu, server = "eu:1883", topics = ["a/#"] } ] }
        """);
    LinkgateConfig config = ConfigLoader.load(file, Map.of(
        "LINKGATE__CLUSTER__NAME", "eu-central",
        "LINKGATE__LISTENERS__TCP__DEFAULT__BIND", "0.0.0.0:1884",
        "LINKGATE__MQTT__MAX_INFLIGHT", "64",
        "LINKGATE__MQTT__RETAIN_AVAILABLE", "false",
        "LINKGATE__MQTT__SESSION_EXPIRY_INTERVAL", "1h",
        "LINKGATE__CLUSTER__LINKS__0__PASSWORD", "from-env",
        "LINKGATE__CLUSTER__LINKS__0__TOPICS", "[\"x/#\", \"y\"]",
        "LINKGATE__API__BIND", "18084",
        "HOME", "/root",
        "OTHER__MQTT__MAX_INFLIGHT", "1"));
    assertThat(config.cluster().name()).isEqualTo("eu-central");
    assertThat(config.listeners().tcp().get("default").bind()).isEqualTo(new HostPort("0.0.0.0", 1884));
    assertThat(config.mqtt().maxInflight()).isEqualTo(64);
    assertThat(config.mqtt().retainAvailable()).isFalse();
    assertThat(config.mqtt().sessionExpiryInterval()).hasHours(1);
    LinkOptions link = config.cluster().links().get(0);
    assertThat(link.password()).isEqualTo("from-env");
    assertThat(link.topics()).containsExactly("x/#", "y");
    assertThat(config.api().bind().port()).isEqualTo(18084);
  }

  @Test
  void overrideValuesKeepTheirTypeOrStayText() {
    assertThat(ConfigLoader.envValue("64")).isEqualTo(64);
    assertThat(ConfigLoader.envValue("1.5")).isEqualTo(1.5);
    assertThat(ConfigLoader.envValue("true")).isEqualTo(true);
    assertThat(ConfigLoader.envValue("null")).isNull();
    assertThat(ConfigLoader.envValue("[1, \"a\"]")).isEqualTo(new JsonArray().add(1).add("a"));
    assertThat(ConfigLoader.envValue("{a = 1}")).isEqualTo(new JsonObject().put("a", 1));
    assertThat(ConfigLoader.envValue("\"quoted # text\"")).isEqualTo("quoted # text");
    assertThat(ConfigLoader.envValue("eu")).isEqualTo("eu");
    assertThat(ConfigLoader.envValue("t/#")).isEqualTo("t/#");
    assertThat(ConfigLoader.envValue("a//b")).isEqualTo("a//b");
    assertThat(ConfigLoader.envValue("0.0.0.0:1884")).isEqualTo("0.0.0.0:1884");
    assertThat(ConfigLoader.envValue("p@ss w0rd!")).isEqualTo("p@ss w0rd!");
    assertThat(ConfigLoader.envValue("${HOME}")).isEqualTo("${HOME}");
    assertThat(ConfigLoader.envValue("1\nfoo = 2")).isEqualTo("1\nfoo = 2");
  }

  @Test
  void badOverridesAreReportedByVariable() throws IOException {
    Path file = write("c.conf", "cluster { name = a, links = [] }");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(
        "LINKGATE__CLUSTER__NAME__X", "1",
        "LINKGATE__CLUSTER__LINKS__3__NAME", "b",
        "LINKGATE__MQTT____X", "1")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(messages(e)).containsExactly(
            "LINKGATE__CLUSTER__LINKS__3__NAME: \"cluster.links\" is an array of 0 elements; \"3\" is not an "
                + "index in it",
            "LINKGATE__CLUSTER__NAME__X: cannot override inside \"cluster.name\": it is \"a\", not an object",
            "LINKGATE__MQTT____X: empty level in the variable name (use '__' between keys only)"));
  }

  @Test
  void overrideOfAnUnknownKeyIsAnUnknownKey() throws IOException {
    Path file = write("c.conf", "");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("LINKGATE__MQTT__MAX_INFLITE", "5")))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(messages(e)).containsExactly(
                "mqtt.max_inflite: unknown key (set by the environment variable LINKGATE__MQTT__MAX_INFLITE)"));
  }

  @Test
  void invalidOverriddenValuesNameTheirVariable() throws IOException {
    Path file = write("c.conf", "cluster { name = a, links = [ { name = b, server = \"b:1883\", topics = [] } ] }\n"
        + "mqtt.max_qos_allowed = 7\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(
        "LINKGATE__MQTT__MAX_INFLIGHT", "many",
        "LINKGATE__LISTENERS__TCP__DEFAULT__BIND", "nowhere:x",
        "LINKGATE__CLUSTER__LINKS__0", "{ name = \"b/c\", server = \"b:1883\" }")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(messages(e)).anySatisfy(m -> assertThat(m).startsWith("mqtt.max_inflight: ")
              .endsWith(" (set by the environment variable LINKGATE__MQTT__MAX_INFLIGHT)"));
          assertThat(messages(e)).anySatisfy(m -> assertThat(m).startsWith("listeners.tcp.default.bind: ")
              .endsWith(" (set by the environment variable LINKGATE__LISTENERS__TCP__DEFAULT__BIND)"));
          assertThat(messages(e)).anySatisfy(m -> assertThat(m).startsWith("cluster.links[0].name: ")
              .endsWith(" (set by the environment variable LINKGATE__CLUSTER__LINKS__0)"));
          // an error in the file itself is not blamed on the environment
          assertThat(messages(e)).anySatisfy(m -> assertThat(m).startsWith("mqtt.max_qos_allowed: ")
              .doesNotContain("environment"));
        });
  }

  @Test
  void substitutionsResolveAgainstTheFileAndTheEnvironment() throws IOException {
    Path file = write("c.conf", """
        cluster {
          name = ${?CLUSTER_NAME}
          links = [ { name = peer, server = "p:1883", topics = ["shared/#"], password = ${?LINK_PASSWORD} } ]
        }
        node.data_dir = "data/"${node.name}
        node.name = "n@h"
        """);
    LinkgateConfig config = ConfigLoader.load(file, Map.of("LINK_PASSWORD", "s3cret"));
    assertThat(config.cluster().name()).isEqualTo(ClusterOptions.DEFAULT_NAME);
    assertThat(config.cluster().links().get(0).password()).isEqualTo("s3cret");
    assertThat(config.node().dataDir()).isEqualTo("data/n@h");
  }

  @Test
  void unresolvableSubstitutionIsReportedWithItsLine() throws IOException {
    Path file = write("s.conf", "cluster {\n  name = ${NOPE}\n}\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.errors()).hasSize(1);
          assertThat(e.errors().get(0).path()).isEqualTo(file.toString() + ":2");
          assertThat(e.errors().get(0).message()).contains("NOPE");
        });
  }

  @Test
  void syntaxErrorReportsFileAndLine() throws IOException {
    Path file = write("broken.conf", "node {\n  name = \"a@b\"\n}\ncluster {\n  name = x\n  links = [ {\n}\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.errors()).hasSize(1);
          assertThat(e.errors().get(0).path()).isEqualTo(file + ":8");
          assertThat(e.getMessage()).startsWith("invalid configuration (1 error):\n" + file + ":8: ");
        });
  }

  @Test
  void syntaxErrorInTextReportsOriginAndLine() {
    assertThatThrownBy(() -> ConfigLoader.parse("a = 1\nb = {\n", "request body"))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.errors().get(0).path()).isEqualTo("request body:3"));
  }

  @Test
  void jsonSyntaxErrorReportsLine() throws IOException {
    Path file = write("bad.json", "{\n  \"cluster\": {\n    \"name\": \"a\",\n  }\n}\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.errors().get(0).path()).isEqualTo(file + ":4"));
  }

  @Test
  void jsonTextIsHocon() {
    LinkgateConfig config = ConfigLoader.fromJson(ConfigLoader.parse(
        "{\"cluster\": {\"name\": \"j\", \"links\": [{\"name\": \"k\", \"server\": \"k\", \"topics\": []}]}}",
        "json"));
    assertThat(config.cluster().links().get(0).name()).isEqualTo("k");
  }

  @Test
  void missingFile() {
    Path file = dir.resolve("nope.conf");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(messages(e)).containsExactly(
            file + ": cannot read the config file: not found or not readable"));
  }

  @Test
  void everyErrorIsReported() {
    String hocon = """
        foo = 1
        node { name = nobody }
        cluster {
          name = "a/b"
          links = [
            { name = x, server = "h:99999", topics = ["t/#/+"], pool = 3 }
            { server = h, topics = [] }
            "not a link"
          ]
        }
        listeners.tcp.default { bind = "host", max_connections = 0 }
        mqtt { max_inflight = abc, max_qos_allowed = 3, max_packet_size = 1GB }
        api { enable = yes }
        """;
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigLoader.fromJson(ConfigLoader.parse(hocon, "t")));
    assertThat(messages(e)).containsExactly(
        "node.name: must look like \"name@host\", got \"nobody\"",
        "cluster.name: Invalid name format: '/' is not allowed (a cluster name is one level of the "
            + "$LINK/cluster/<name> topics: no '/', '+', '#' or control characters)",
        "cluster.links[0].server: port must be between 1 and 65535, got 99999",
        "cluster.links[0].topics[0]: invalid topic filter \"t/#/+\": '#' must be the last level",
        "cluster.links[0].pool: unknown key",
        "cluster.links[1].name: missing required key",
        "cluster.links[2]: expected an object, got \"not a link\"",
        "listeners.tcp.default.bind: expected \"port\", \"host:port\" or \"[ipv6]:port\", got \"host\"",
        "listeners.tcp.default.max_connections: must be at least 1, got 0",
        "mqtt.max_packet_size: must be between 1B and 256MB, got 1GB",
        "mqtt.max_inflight: expected an integer, got \"abc\"",
        "mqtt.max_qos_allowed: must be between 0 and 2, got 3",
        "api.enable: expected a boolean, got \"yes\"",
        "foo: unknown key");
    assertThat(e.getMessage()).startsWith("invalid configuration (14 errors):\nnode.name: ");
    assertThat(e.getMessage().lines()).hasSize(15);
  }

  @Test
  void unknownKeysAtEveryLevel() {
    assertThat(errors("""
        foo = 1
        node.nmae = x
        cluster.extra = 1
        cluster.links = [ { name = p, server = h, topics = [], foo = 1,
          ssl { foo = 1 }, tcp_opts { foo = 1 }, resource_opts { foo = 1 } } ]
        listeners { ssl.default { bind = 8883, foo = 1 }, tcp.default.foo = 1, ws.default.websocket.foo = 1, quic = {} }
        mqtt.foo = 1
        api.foo = 1
        """)).containsExactlyInAnyOrder(
        "foo: unknown key",
        "node.nmae: unknown key",
        "cluster.extra: unknown key",
        "cluster.links[0].foo: unknown key",
        "cluster.links[0].ssl.foo: unknown key",
        "cluster.links[0].tcp_opts.foo: unknown key",
        "cluster.links[0].resource_opts.foo: unknown key",
        "listeners.ssl.default.foo: unknown key",
        "listeners.ssl.default.ssl_options: missing required key: a TLS listener needs at least certfile and keyfile",
        "listeners.quic: unknown key",
        "listeners.tcp.default.foo: unknown key",
        "listeners.ws.default.websocket.foo: unknown key",
        "mqtt.foo: unknown key",
        "api.foo: unknown key");
  }

  @Test
  void wrongTypes() {
    assertThat(errors("""
        node = "x"
        cluster { name = 5, links = {} }
        listeners { tcp = [], ws.default = 3 }
        mqtt { retain_available = 1, keepalive_multiplier = fast, session_expiry_interval = true,
               max_mqueue_len = lots, server_keepalive = never, max_topic_levels = 1.5 }
        api.bind = [1]
        """)).containsExactly(
        "node: expected an object, got \"x\"",
        "cluster.name: expected a string, got 5",
        "cluster.links: expected an array, got an object",
        "listeners.tcp: expected an object, got an array",
        "listeners.ws.default: expected an object, got 3",
        "mqtt.max_topic_levels: expected an integer, got 1.5",
        "mqtt.max_mqueue_len: expected an integer or \"infinity\", got \"lots\"",
        "mqtt.session_expiry_interval: expected a duration such as \"15s\" or \"100ms\", or an integer number of "
            + "milliseconds, got true",
        "mqtt.retain_available: expected a boolean, got 1",
        "mqtt.keepalive_multiplier: expected a number, got \"fast\"",
        "mqtt.server_keepalive: expected an integer or \"disabled\", got \"never\"",
        "api.bind: expected a string such as \"0.0.0.0:1883\", got an array");
  }
}
