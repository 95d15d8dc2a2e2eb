package io.linkgate.broker;

import io.linkgate.config.ConfigLoader;
import io.linkgate.config.LinkgateConfig;
import io.linkgate.config.ValidationError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mqtt.max_outbound_bytes}: its default, a size string reaching the broker, and a clear error below 64KB. */
@Timeout(10)
class MaxOutboundBytesConfigTest {

  private static List<ValidationError> errors(String hocon) {
    List<ValidationError> errors = new ArrayList<>();
    LinkgateConfig.fromJson(ConfigLoader.parse(hocon, "test.conf"), "", errors);
    return errors;
  }

  @Test
  void defaultIsFourMegabytes() {
    LinkgateConfig config = ConfigLoader.fromJson(ConfigLoader.parse("", "test.conf"));
    assertThat(BrokerLimits.from(config.mqtt()).maxOutboundBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(BrokerLimits.defaults().maxOutboundBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(config.mqtt().toJson().getString("max_outbound_bytes")).isEqualTo("4MB");
  }

  @Test
  void aSizeReachesTheBroker() {
    LinkgateConfig config = ConfigLoader.fromJson(ConfigLoader.parse("mqtt.max_outbound_bytes = 16MB", "t"));
    assertThat(BrokerLimits.from(config.mqtt()).maxOutboundBytes()).isEqualTo(16 * 1024 * 1024);
  }

  @Test
  void belowTheMinimumIsAnErrorNamingTheKey() {
    List<ValidationError> errors = errors("mqtt.max_outbound_bytes = 1KB");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).path()).isEqualTo("mqtt.max_outbound_bytes");
    assertThat(errors.get(0).toString()).contains("64KB");
  }
}
