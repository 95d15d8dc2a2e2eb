package io.linkgate.api;

import io.linkgate.config.ConfigException;
import io.linkgate.config.ConfigLoader;
import io.linkgate.config.HostPort;
import io.linkgate.config.LinkgateConfig;
import io.linkgate.config.ValidationError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * EMQX's spellings of the API settings (root {@code api_key}, {@code dashboard.listeners.*},
 * {@code prometheus.enable_basic_auth}) load as the {@code api} keys they stand for, from the file and from
 * {@code LINKGATE__} overrides; both spellings with different values are an error at the EMQX path.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EmqxApiKeysTest {
  @TempDir
  Path dir;

  LinkgateConfig load(String text, Map<String, String> env) throws Exception {
    Path file = dir.resolve("linkgate.conf");
    Files.writeString(file, text);
    return ConfigLoader.load(file, env);
  }

  List<String> errors(String text, Map<String, String> env) throws Exception {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(text, env));
    assertThat(e).as("expected the config to be refused").isNotNull();
    return e.errors().stream().map(ValidationError::toString).toList();
  }

  @Test
  void rootApiKeyBootstrapFileIsEmqxsSpelling() throws Exception {
    assertThat(load("api_key { bootstrap_file = \"/etc/keys\" }", Map.of()).api().apiKeyBootstrapFile())
      .isEqualTo("/etc/keys");
    assertThat(load("api_key.bootstrap_file = \"/etc/keys\"\napi.api_key.bootstrap_file = \"/etc/keys\"", Map.of())
      .api().apiKeyBootstrapFile()).isEqualTo("/etc/keys");
    assertThat(load("api.api_key.bootstrap_file = \"/etc/alias\"", Map.of()).api().apiKeyBootstrapFile())
      .isEqualTo("/etc/alias");
    assertThat(load("", Map.of("LINKGATE__API_KEY__BOOTSTRAP_FILE", "/env/keys")).api().apiKeyBootstrapFile())
      .isEqualTo("/env/keys");
    assertThat(load("", Map.of("LINKGATE__API__API_KEY__BOOTSTRAP_FILE", "/env/alias")).api()
      .apiKeyBootstrapFile()).isEqualTo("/env/alias");
  }

  @Test
  void bothSpellingsWithDifferentValuesAreAnError() throws Exception {
    assertThat(errors("api_key.bootstrap_file = a\napi.api_key.bootstrap_file = b", Map.of()))
      .singleElement().asString().startsWith("api_key.bootstrap_file: conflicts with api.api_key.bootstrap_file");
    assertThat(errors("api.api_key.bootstrap_file = b", Map.of("LINKGATE__API_KEY__BOOTSTRAP_FILE", "a")))
      .singleElement().asString().startsWith("api_key.bootstrap_file: conflicts with");
    assertThat(errors("dashboard.listeners.http.bind = \"127.0.0.1:18090\"\napi.bind = 18091", Map.of()))
      .singleElement().asString().startsWith("dashboard.listeners.http.bind: conflicts with api.bind");
  }

  @Test
  void dashboardHttpBindIsApiBind() throws Exception {
    LinkgateConfig config = load("dashboard { listeners { http { bind = 18090 } } }", Map.of());
    assertThat(config.api().bind()).isEqualTo(new HostPort("0.0.0.0", 18090));
    // the same address written two ways is the same setting, not a conflict
    assertThat(load("dashboard.listeners.http.bind = 18090\napi.bind = \"0.0.0.0:18090\"", Map.of()).api().bind())
      .isEqualTo(new HostPort("0.0.0.0", 18090));
    assertThat(load("", Map.of("LINKGATE__DASHBOARD__LISTENERS__HTTP__BIND", "127.0.0.1:18095")).api().bind())
      .isEqualTo(new HostPort("127.0.0.1", 18095));
    assertThat(load("dashboard.token_expired_time = 30m", Map.of()).api().tokenTtl()).hasMinutes(30);
    assertThat(load("prometheus.enable_basic_auth = true", Map.of()).api().prometheusBasicAuth()).isTrue();
    assertThat(load("", Map.of()).api().prometheusBasicAuth()).isFalse();
  }

  @Test
  void errorsNameThePathTheOperatorWrote() throws Exception {
    assertThat(errors("dashboard.listeners.http.bind = \"nowhere:x\"", Map.of()))
      .singleElement().asString().startsWith("dashboard.listeners.http.bind: ");
    assertThat(errors("dashboard.listeners.https { bind = 18084 }", Map.of()))
      .singleElement().asString().startsWith("dashboard.listeners.https.ssl_options: missing required key");
    assertThat(errors("dashboard.listeners.https { ssl_options { certfile = /no/such.pem, keyfile = /no/k.pem } }",
      Map.of())).allMatch(e -> e.startsWith("dashboard.listeners.https.ssl_options."));
  }

  @Test
  void emqxKeysWithoutALinkgateMeaningAreUnknownAndSaySo() throws Exception {
    List<String> errors = errors("""
      dashboard { default_username = admin, listeners.http { bind = 18083, num_acceptors = 4 } }
      prometheus { push_gateway_server = "http://127.0.0.1:9091" }
      api_key { enable = true }
      """, Map.of());
    assertThat(errors).containsExactlyInAnyOrder(
      "dashboard.default_username: unknown key (" + acceptedKeys() + ")",
      "dashboard.listeners.http.num_acceptors: unknown key (" + acceptedKeys() + ")",
      "prometheus.push_gateway_server: unknown key (" + acceptedKeys() + ")",
      "api_key.enable: unknown key (" + acceptedKeys() + ")");
  }

  static String acceptedKeys() {
    return "accepted EMQX keys: api_key.bootstrap_file, dashboard.listeners.http.bind, dashboard.listeners.https, "
      + "dashboard.token_expired_time, prometheus.enable_basic_auth";
  }
}
