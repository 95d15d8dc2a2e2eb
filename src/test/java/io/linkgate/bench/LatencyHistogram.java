package io.linkgate.bench;

/**
 * Log-linear latency histogram with microsecond resolution and fixed memory (an HdrHistogram look-alike,
 * since HdrHistogram is not on the classpath).
 *
 * <p>Values (in microseconds) below {@code 2 * SUB_BUCKETS} (256 us) are counted exactly. Above that, every
 * power-of-two range is split into {@value #SUB_BUCKETS} equal sub-buckets, so a reported value is at most
 * 1/128 (0.78 %) above the true one. Values above {@link #MAX_TRACKABLE_US} (about 137 s) are clamped.
 * Memory: {@code long[3968]} (31 KiB) per instance. Not thread-safe: one instance per event loop, merged
 * at the end with {@link #add(LatencyHistogram)}.
 */
public final class LatencyHistogram {

  static final int SUB_BUCKET_BITS = 7;
  static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS; // 128
  /** Largest exponent handled: values up to 2^37 - 1 us. */
  static final int MAX_MSB = 36;
  static final long MAX_TRACKABLE_US = (1L << (MAX_MSB + 1)) - 1;
  static final int BUCKETS = SUB_BUCKETS * (MAX_MSB - SUB_BUCKET_BITS + 1) + SUB_BUCKETS;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long min = Long.MAX_VALUE;
  private long max;
  private long sum;

  /** Records a latency given in nanoseconds (truncated to whole microseconds). */
  public void recordNanos(long nanos) {
    recordMicros(nanos <= 0 ? 0 : nanos / 1000);
  }

  public void recordMicros(long us) {
    long v = us < 0 ? 0 : Math.min(us, MAX_TRACKABLE_US);
    counts[indexOf(v)]++;
    total++;
    sum += v;
    if (v < min) {
      min = v;
    }
    if (v > max) {
      max = v;
    }
  }

  static int indexOf(long v) {
    if (v < 2L * SUB_BUCKETS) {
      return (int) v;
    }
    int msb = 63 - Long.numberOfLeadingZeros(v);
    int shift = msb - SUB_BUCKET_BITS;
    long mantissa = v >>> shift; // in [SUB_BUCKETS, 2 * SUB_BUCKETS)
    return (int) (((long) SUB_BUCKETS * shift) + mantissa);
  }

  /** Smallest value that maps to bucket {@code index}. */
  static long lowestOf(int index) {
    if (index < 2 * SUB_BUCKETS) {
      return index;
    }
    int shift = index / SUB_BUCKETS - 1;
    long mantissa = index - (long) SUB_BUCKETS * shift;
    return mantissa << shift;
  }

  /** Largest value that maps to bucket {@code index}. */
  static long highestOf(int index) {
    if (index < 2 * SUB_BUCKETS) {
      return index;
    }
    int shift = index / SUB_BUCKETS - 1;
    long mantissa = index - (long) SUB_BUCKETS * shift;
    return ((mantissa + 1) << shift) - 1;
  }

  public void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    sum += other.sum;
    if (other.total > 0) {
      min = Math.min(min, other.min);
      max = Math.max(max, other.max);
    }
  }

  public LatencyHistogram copy() {
    LatencyHistogram h = new LatencyHistogram();
    h.add(this);
    return h;
  }

  public void reset() {
    java.util.Arrays.fill(counts, 0);
    total = 0;
    sum = 0;
    min = Long.MAX_VALUE;
    max = 0;
  }

  public long count() {
    return total;
  }

  public long maxMicros() {
    return max;
  }

  public long minMicros() {
    return total == 0 ? 0 : min;
  }

  public double meanMicros() {
    return total == 0 ? 0 : (double) sum / total;
  }

  /**
   * Value at the given percentile (0..100], in microseconds: the highest value of the bucket holding the
   * ceil(p/100 * count)-th smallest sample, capped at the recorded maximum. Returns 0 when empty.
   */
  public long percentile(double p) {
    if (total == 0) {
      return 0;
    }
    if (p >= 100.0) {
      return max;
    }
    double q = Math.max(0.0, p) / 100.0;
    // the small epsilon keeps 99.9 % of 1000 at rank 999 despite binary floating point
    long rank = (long) Math.ceil(q * total - 1e-9);
    if (rank < 1) {
      rank = 1;
    }
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(highestOf(i), max);
      }
    }
    return max;
  }
}
