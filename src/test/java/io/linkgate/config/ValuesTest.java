package io.linkgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {

  @ParameterizedTest
  @CsvSource({"100ms, 100", "15s, 15000", "1m, 60000", "2h, 7200000", "1d, 86400000", "1h30m, 5400000",
      "1h5m0s, 3900000", "' 10S ', 10000", "0ms, 0"})
  void durations(String text, long millis) {
    assertThat(Values.parseDuration(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "s", "15", "15x", "1.5s", "-1s", "15 s", "infinity"})
  void badDurations(String text) {
    assertThatThrownBy(() -> Values.parseDuration(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationFormat() {
    assertThat(Values.formatDuration(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(Values.formatDuration(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(Values.formatDuration(Duration.ofSeconds(15))).isEqualTo("15s");
    assertThat(Values.formatDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Values.formatDuration(Duration.ZERO)).isEqualTo("0s");
    assertThat(Values.formatDuration(Values.FOREVER)).isEqualTo("infinity");
  }

  @ParameterizedTest
  @CsvSource({"256MB, 268435456", "16KB, 16384", "1GB, 1073741824", "512B, 512", "4096, 4096", "16kb, 16384",
      "' 1 MB ', 1048576"})
  void sizes(String text, long bytes) {
    assertThat(Values.parseSize(text)).isEqualTo(bytes);
    assertThat(Values.parseSize(Values.formatSize(bytes))).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MB", "1.5MB", "16XB", "-1KB", "1TB"})
  void badSizes(String text) {
    assertThatThrownBy(() -> Values.parseSize(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sizeFormat() {
    assertThat(Values.formatSize(256L << 20)).isEqualTo("256MB");
    assertThat(Values.formatSize(1000)).isEqualTo("1000B");
    assertThat(Values.formatSize(0)).isEqualTo("0B");
  }

  @Test
  void hostPortPrintsIpv6InBrackets() {
    assertThat(new HostPort("::1", 1883)).hasToString("[::1]:1883");
    assertThat(new HostPort("h", 1)).hasToString("h:1");
    assertThat(HostPort.parseBind(new HostPort("::", 0).toString())).isEqualTo(new HostPort("::", 0));
  }

  @Test
  void linkTopicIntersection() {
    assertThat(LinkTopicRules.intersect("$LINK/#", "$LINK/cluster/#")).isTrue();
    assertThat(LinkTopicRules.intersect("$LINK/+/msg/x", "$LINK/cluster/#")).isTrue();
    assertThat(LinkTopicRules.intersect("$LINK", "$LINK/cluster/#")).isFalse();
    assertThat(LinkTopicRules.intersect("$LINK/cluster", "$LINK/cluster/#")).isTrue();
    assertThat(LinkTopicRules.intersect("#", "$LINK/cluster/#")).isFalse();
    assertThat(LinkTopicRules.intersect("+/cluster/#", "$LINK/cluster/#")).isFalse();
    assertThat(LinkTopicRules.intersect("a/+", "a/b")).isTrue();
    assertThat(LinkTopicRules.intersect("a/+", "a/b/c")).isFalse();
    assertThat(LinkTopicRules.intersect("a/#", "a")).isTrue();
  }
}
