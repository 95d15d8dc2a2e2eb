package io.linkgate;

import io.linkgate.testutil.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line: help, version, bad arguments and invalid configs (which must open no port). */
class MainTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpAndVersion() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("--config FILE", "LINKGATE__");
    out.reset();
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("linkgate ").doesNotContain("unknown");
  }

  @Test
  void theReadyLineNamesAddressesABrowserCanOpen() {
    assertThat(Main.browsable("0.0.0.0")).isEqualTo("127.0.0.1");
    assertThat(Main.browsable("::")).isEqualTo("127.0.0.1");
    assertThat(Main.browsable("::1")).isEqualTo("[::1]");
    assertThat(Main.browsable("10.1.2.3")).isEqualTo("10.1.2.3");
    assertThat(Main.browsable("gw.example.net")).isEqualTo("gw.example.net");
  }

  @Test
  void badArguments() {
    assertThat(run("--bogus")).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("unknown argument --bogus", "Usage:");
    assertThat(run("-c")).isEqualTo(Main.EXIT_USAGE);
  }

  @Test
  void missingConfigFile(@TempDir Path dir) {
    assertThat(run("-c", dir.resolve("nope.conf").toString())).isEqualTo(Main.EXIT_CONFIG);
    assertThat(err.toString()).contains("config file not found");
  }

  @Test
  void invalidConfigListsEveryErrorAndOpensNoPort(@TempDir Path dir) throws Exception {
    int port = Ports.free();
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, """
      listeners.tcp.default.bind = "127.0.0.1:%d"
      listeners.ws.default.enable = false
      api.enable = false
      cluster {
        name = "us-east"
        links = [ { name = "eu-west", server = "eu:1883", topics = ["a/#", "t/#/+"] },
                  { name = "us-east", server = "x", topics = [] } ]
      }
      mqtt.max_inflight = "many"
      """.formatted(port));
    assertThat(run("-c", conf.toString())).isEqualTo(Main.EXIT_CONFIG);
    assertThat(err.toString())
      .contains("cluster.links[0].topics[1]: invalid topic filter \"t/#/+\": '#' must be the last level")
      .contains("cluster.links[1].name:")
      .contains("mqtt.max_inflight:");
    assertThat(Ports.listening(port)).isFalse();
  }

  @Test
  void aBadAclFileIsAConfigError(@TempDir Path dir) throws Exception {
    int port = Ports.free();
    Path acl = Files.writeString(dir.resolve("acl.conf"),
      "{allow, all}.\n{allow, {clientid, {re, \"(\"}}, all, [\"t\"]}.\n");
    Path conf = dir.resolve("acl-bad.conf");
    Files.writeString(conf, """
      listeners.tcp.default.bind = "127.0.0.1:%d"
      listeners.ws.default.enable = false
      api.enable = false
      authorization.sources = [{type = file, enable = true, path = "%s"}]
      """.formatted(port, acl));
    assertThat(run("-c", conf.toString())).isEqualTo(Main.EXIT_CONFIG);
    assertThat(err.toString()).contains("authorization.sources[0].path: " + acl + ":2: invalid regular expression");
    assertThat(Ports.listening(port)).isFalse();
  }
}
