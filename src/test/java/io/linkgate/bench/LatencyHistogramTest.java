package io.linkgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void emptyHistogramReportsZero() {
    LatencyHistogram h = new LatencyHistogram();
    assertThat(h.count()).isZero();
    assertThat(h.percentile(50)).isZero();
    assertThat(h.percentile(99.9)).isZero();
    assertThat(h.maxMicros()).isZero();
  }

  @Test
  void smallValuesAreExact() {
    LatencyHistogram h = new LatencyHistogram();
    for (int us = 1; us <= 100; us++) {
      h.recordMicros(us);
    }
    assertThat(h.count()).isEqualTo(100);
    assertThat(h.percentile(50)).isEqualTo(50);
    assertThat(h.percentile(90)).isEqualTo(90);
    assertThat(h.percentile(99)).isEqualTo(99);
    assertThat(h.percentile(99.9)).isEqualTo(100);
    assertThat(h.percentile(100)).isEqualTo(100);
    assertThat(h.percentile(0)).isEqualTo(1);
    assertThat(h.minMicros()).isEqualTo(1);
    assertThat(h.meanMicros()).isCloseTo(50.5, within(1e-9));
  }

  @Test
  void rankUsesCeilingWithoutFloatingPointDrift() {
    LatencyHistogram h = new LatencyHistogram();
    for (int us = 1; us <= 1000; us++) {
      h.recordMicros(us < 200 ? us : 200); // keep all in the exact range
    }
    // 99.9 % of 1000 samples is the 999th sample, not the 1000th (99.9/100*1000 = 999.0000000000001)
    LatencyHistogram g = new LatencyHistogram();
    for (int i = 0; i < 999; i++) {
      g.recordMicros(10);
    }
    g.recordMicros(250);
    assertThat(g.percentile(99.9)).isEqualTo(10);
    assertThat(g.percentile(99.95)).isEqualTo(250);
    assertThat(h.percentile(10)).isEqualTo(100);
  }

  @Test
  void nanosAreTruncatedToMicros() {
    LatencyHistogram h = new LatencyHistogram();
    h.recordNanos(1_999);
    h.recordNanos(-5);
    assertThat(h.percentile(100)).isEqualTo(1);
    assertThat(h.percentile(50)).isZero();
  }

  @Test
  void bucketBoundariesAreContiguousAndMonotonic() {
    long prevHigh = -1;
    for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
      long lo = LatencyHistogram.lowestOf(i);
      long hi = LatencyHistogram.highestOf(i);
      assertThat(lo).as("bucket %d", i).isEqualTo(prevHigh + 1);
      assertThat(hi).isGreaterThanOrEqualTo(lo);
      assertThat(LatencyHistogram.indexOf(lo)).isEqualTo(i);
      assertThat(LatencyHistogram.indexOf(hi)).isEqualTo(i);
      prevHigh = hi;
    }
    assertThat(prevHigh).isEqualTo(LatencyHistogram.MAX_TRACKABLE_US);
  }

  @Test
  void relativeErrorIsBelowOnePercentAgainstExactSort() {
    SplittableRandom rnd = new SplittableRandom(42);
    int n = 200_000;
    long[] values = new long[n];
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < n; i++) {
      // log-uniform between 1 us and ~10 s
      long v = (long) Math.exp(rnd.nextDouble() * Math.log(10_000_000.0));
      values[i] = v;
      h.recordMicros(v);
    }
    Arrays.sort(values);
    for (double p : new double[] {1, 25, 50, 90, 99, 99.9, 99.99}) {
      long exact = values[(int) Math.ceil(p / 100.0 * n - 1e-9) - 1];
      long approx = h.percentile(p);
      assertThat(approx).as("p%s", p).isGreaterThanOrEqualTo(exact);
      assertThat((double) (approx - exact)).as("p%s", p).isLessThanOrEqualTo(exact / 128.0);
    }
    assertThat(h.percentile(100)).isEqualTo(values[n - 1]);
    assertThat(h.maxMicros()).isEqualTo(values[n - 1]);
  }

  @Test
  void mergeAddsCountsAndExtremes() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    for (int i = 0; i < 90; i++) {
      a.recordMicros(20);
    }
    for (int i = 0; i < 10; i++) {
      b.recordMicros(5_000);
    }
    LatencyHistogram m = new LatencyHistogram();
    m.add(a);
    m.add(b);
    m.add(new LatencyHistogram());
    assertThat(m.count()).isEqualTo(100);
    assertThat(m.minMicros()).isEqualTo(20);
    assertThat(m.maxMicros()).isEqualTo(5_000);
    assertThat(m.percentile(90)).isEqualTo(20);
    assertThat(m.percentile(91)).isBetween(5_000L, 5_000L + 5_000L / 128);
  }

  @Test
  void hugeValuesAreClamped() {
    LatencyHistogram h = new LatencyHistogram();
    h.recordMicros(Long.MAX_VALUE);
    assertThat(h.percentile(50)).isEqualTo(LatencyHistogram.MAX_TRACKABLE_US);
  }
}
