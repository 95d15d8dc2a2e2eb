package io.linkgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file shipped under conf/ loads and validates; the samples say what they claim. */
class ConfFilesTest {

  static Stream<Path> confFiles() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("conf"))) {
      // acl.conf is an ACL file (Erlang terms), not a config: AclFilesTest loads it
      files = walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("acl.conf"))
          .sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(5);
    return files.stream();
  }

  @ParameterizedTest
  @MethodSource("confFiles")
  void loadsAndValidates(Path file) {
    LinkgateConfig config = ConfigLoader.load(file, Map.of());
    assertThat(config).isNotNull();
    assertThat(ConfigLoader.fromJson(config.toJson())).isEqualTo(config);
  }

  @Test
  void defaultConfIsTheDefaults() {
    LinkgateConfig config = ConfigLoader.load(ConfigLoader.DEFAULT_FILE, Map.of());
    assertThat(config).isEqualTo(LinkgateConfig.defaults());
    assertThat(config.cluster().links()).isEmpty();
    assertThat(config.listeners().tcp().get("default").bind()).isEqualTo(new HostPort("0.0.0.0", 1883));
    assertThat(config.listeners().ws().get("default").bind()).isEqualTo(new HostPort("0.0.0.0", 8083));
    assertThat(config.api().bind().port()).isEqualTo(18083);
  }

  @Test
  void seedBlockLoadsAsPasted() {
    LinkgateConfig config = ConfigLoader.load(Path.of("conf/examples/seed-us-east.conf"), Map.of());
    assertThat(config.cluster().name()).isEqualTo("emqx-us-east");
    LinkOptions link = config.cluster().links().get(0);
    assertThat(link.name()).isEqualTo("emqx-eu-west");
    assertThat(link.host()).isEqualTo("emqx.us-east.myinfra.net");
    assertThat(link.port()).isEqualTo(11883);
    assertThat(link.username()).isEqualTo("clink-user:us-east");
    assertThat(link.password()).isEqualTo("clink-password-no-one-knows");
    assertThat(link.clientid()).isEqualTo("clink-us-east");
    assertThat(link.effectiveClientIdBase("emqx-us-east")).isEqualTo("clink-us-east");
    assertThat(link.topics()).containsExactly("global/#", "fwd/#", "cluster/+/status");
    assertThat(link.ssl().enable()).isTrue();
    assertThat(link.ssl().verifyPeer()).isTrue();
    assertThat(link.ssl().certfile()).isEqualTo("etc/certs/client/emqx-us-east.pem");
    assertThat(link.ssl().effectiveKeyfile()).isEqualTo("etc/certs/client/emqx-us-east.pem");
    assertThat(link.enable()).isTrue();
    assertThat(link.poolSize()).isEqualTo(8);
    assertThat(link.maxInflight()).isEqualTo(32);
    assertThat(link.retryInterval()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void seedBlockWithTheRestOfEmqxSslClientKeysLoads() {
    LinkOptions link = ConfigTestSupport.validLink("""
        name = "emqx-eu-west"
        server = "emqx.us-east.myinfra.net:11883"
        topics = ["global/#"]
        ssl {
          enable = true
          verify = verify_peer
          certfile = "etc/certs/client/emqx-us-east.pem"
          keyfile = "etc/certs/client/emqx-us-east.key"
          cacertfile = "etc/certs/ca.pem"
          server_name_indication = disable
          versions = ["tlsv1.3", "tlsv1.2"]
          ciphers = ["TLS_AES_256_GCM_SHA384"]
          depth = 5
          password = "key-pass"
          reuse_sessions = true
          secure_renegotiate = true
          hibernate_after = 5s
          log_level = notice
        }
        """);
    assertThat(link.ssl().sniDisabled()).isTrue();
    assertThat(link.ssl().ciphers()).containsExactly("TLS_AES_256_GCM_SHA384");
    assertThat(link.ssl().depth()).isEqualTo(5);
  }

  @Test
  void twoClustersPointAtEachOther() {
    LinkgateConfig a = ConfigLoader.load(Path.of("conf/examples/two-clusters-a.conf"), Map.of());
    LinkgateConfig b = ConfigLoader.load(Path.of("conf/examples/two-clusters-b.conf"), Map.of());
    LinkOptions aToB = a.cluster().links().get(0);
    LinkOptions bToA = b.cluster().links().get(0);
    assertThat(aToB.name()).isEqualTo(b.cluster().name());
    assertThat(bToA.name()).isEqualTo(a.cluster().name());
    assertThat(aToB.port()).isEqualTo(b.listeners().tcp().get("default").bind().port());
    assertThat(bToA.port()).isEqualTo(a.listeners().tcp().get("default").bind().port());
    assertThat(a.api().bind().port()).isNotEqualTo(b.api().bind().port());
    assertThat(a.listeners().ws().get("default").bind().port())
        .isNotEqualTo(b.listeners().ws().get("default").bind().port());
  }

  @Test
  void jsonFileLoads() {
    LinkgateConfig config = ConfigLoader.load(Path.of("conf/examples/cluster.json"), Map.of());
    assertThat(config.cluster().name()).isEqualTo("eu-central");
    LinkOptions us = config.cluster().link("us-east").orElseThrow();
    assertThat(us.host()).isEqualTo("mqtt.us-east.example.net");
    assertThat(us.port()).isEqualTo(8883);
    assertThat(us.keepalive()).isEqualTo(Duration.ofSeconds(30));
    assertThat(us.resourceOpts().maxBufferBytes()).isEqualTo(64L * 1024 * 1024);
    LinkOptions ap = config.cluster().link("ap-south").orElseThrow();
    assertThat(ap.host()).isEqualTo("2001:db8::10");
    assertThat(ap.enable()).isFalse();
    assertThat(config.cluster().enabledLinks()).containsExactly(us);
    assertThat(config.listeners().ws().get("default").enable()).isFalse();
    assertThat(config.listeners().enabled()).containsOnlyKeys("tcp:default");
    assertThat(config.mqtt().maxPacketSize()).isEqualTo(256 * 1024);
  }
}
