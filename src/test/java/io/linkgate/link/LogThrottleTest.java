package io.linkgate.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LogThrottleTest {

  @Test
  void oneLinePerKeyAndPeriod() {
    LogThrottle t = new LogThrottle(10_000);
    assertThat(t.allow("a", 1_000)).isTrue();
    assertThat(t.allow("a", 10_999)).isFalse();
    assertThat(t.allow("b", 10_999)).isTrue(); // keys are throttled apart
    assertThat(t.allow("a", 11_000)).isTrue(); // the period is over
    assertThat(t.allow("a", 11_001)).isFalse(); // and starts again
  }

  @Test
  void theFirstLineIsNeverHeldBack() {
    assertThat(new LogThrottle(10_000).allow("", 0)).isTrue();
  }
}
