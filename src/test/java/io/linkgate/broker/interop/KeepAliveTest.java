package io.linkgate.broker.interop;

import io.linkgate.broker.BrokerFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Keep alive as configured: {@code mqtt.keepalive_multiplier} and {@code mqtt.server_keepalive}, on raw sockets. */
class KeepAliveTest {

  @Test
  void silentClientIsDroppedAfterKeepAliveTimesTheMultiplier() throws Exception {
    try (BrokerFixture broker = new BrokerFixture(TestLimits.defaultsWith(Map.of("keepaliveMultiplier", 3.0)));
         RawMqtt raw = new RawMqtt(broker.tcpPort())) {
      raw.send(RawMqtt.connect(4, "ka-multiplier", 1, true, null));
      assertThat(raw.read(Duration.ofSeconds(5)).reasonCode()).isZero();
      raw.assertSilentFor(Duration.ofMillis(2500)); // 1.5 x would have closed it by now
      RawMqtt.Closed closed = raw.awaitClose(Duration.ofSeconds(5));
      assertThat(closed.afterMillis()).isLessThan(3000L);
    }
  }

  @Test
  void serverKeepAliveIsAnnouncedToMqtt5ClientsAndEnforced() throws Exception {
    try (BrokerFixture broker = new BrokerFixture(TestLimits.defaultsWith(Map.of("serverKeepAliveSeconds", 1)));
         RawMqtt raw = new RawMqtt(broker.tcpPort())) {
      raw.send(RawMqtt.connect(5, "ka-server", 60, true, null));
      RawMqtt.Packet connack = raw.read(Duration.ofSeconds(5));
      assertThat(connack.reasonCode()).isZero();
      assertThat(connack.toString()).as("CONNACK carries Server Keep Alive (0x13) = 1").contains("13 00 01");
      RawMqtt.Closed closed = raw.awaitClose(Duration.ofSeconds(5));
      assertThat(closed.packets()).anySatisfy(p -> {
        assertThat(p.type()).isEqualTo(RawMqtt.DISCONNECT);
        assertThat(p.reasonCode()).isEqualTo(0x8D);
      });
    }
  }
}
