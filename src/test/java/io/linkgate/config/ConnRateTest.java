package io.linkgate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code listeners.<type>.<name>.max_conn_rate} as EMQX writes it. */
class ConnRateTest {

  @ParameterizedTest
  @CsvSource({"1000/s, 1000, 1000", "100/10s, 100, 10000", "6000/m, 6000, 60000", "5/1h, 5, 3600000"})
  void parses(String text, long count, long periodMillis) {
    assertThat(ConnRate.parse(text)).isEqualTo(new ConnRate(count, Duration.ofMillis(periodMillis)));
  }

  @Test
  void listenerConfigReadsItAndDefaultsToInfinity() {
    LinkgateConfig config = ConfigLoader.fromJson(ConfigLoader.parse(
        "listeners.tcp.default { max_conn_rate = \"500/s\", max_connections = 100 }", "test"));
    ListenerOptions tcp = config.listeners().tcp().get("default");
    assertThat(tcp.maxConnRate()).isEqualTo(new ConnRate(500, Duration.ofSeconds(1)));
    assertThat(tcp.maxConnections()).isEqualTo(100);
    assertThat(LinkgateConfig.defaults().listeners().ws().get("default").maxConnRate().unlimited()).isTrue();
    assertThat(ConfigLoader.fromJson(config.toJson())).isEqualTo(config);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fast", "0/s", "-1/s", "10/", "/s", "10/fortnight"})
  void rejectsWithThePath(String bad) {
    var errors = new java.util.ArrayList<ValidationError>();
    LinkgateConfig.fromJson(ConfigLoader.parse("listeners.tcp.default.max_conn_rate = \"" + bad + "\"", "t"), "",
        errors);
    assertThat(errors).extracting(ValidationError::toString)
        .containsExactly("listeners.tcp.default.max_conn_rate: expected a rate such as \"1000/s\", \"100/10s\" or "
            + "\"infinity\", got \"" + bad + "\"");
  }
}
