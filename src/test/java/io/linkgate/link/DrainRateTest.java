package io.linkgate.link;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DrainRateTest {
  @Test
  void unlimitedAlwaysAllows() {
    DrainRate r = new DrainRate(0);
    for (int i = 0; i < 100_000; i++) {
      assertThat(r.take(0)).isTrue();
    }
  }

  @Test
  void allowsATenthOfASecondAtOnceThenTheRate() {
    DrainRate r = new DrainRate(1000);
    int burst = 0;
    while (r.take(1_000)) {
      burst++;
    }
    assertThat(burst).isEqualTo(100);
    assertThat(r.millisUntilNext(1_000)).isEqualTo(1);
    // one second later: at most another tenth of a second's worth (the bucket holds no more)
    int next = 0;
    while (r.take(2_000)) {
      next++;
    }
    assertThat(next).isEqualTo(100);
    // over 10 ms steps for a second the rate holds: 1000 sends
    int paced = 0;
    for (long t = 2_010; t <= 3_000; t += 10) {
      while (r.take(t)) {
        paced++;
      }
    }
    assertThat(paced).isEqualTo(1000);
  }

  @Test
  void aLowRateWaitsForItsNextToken() {
    DrainRate r = new DrainRate(2);
    assertThat(r.take(0)).isTrue();
    assertThat(r.take(0)).isFalse();
    assertThat(r.millisUntilNext(0)).isEqualTo(500);
    assertThat(r.take(499)).isFalse();
    assertThat(r.take(501)).isTrue();
  }
}
