package io.linkgate.store;

import java.time.Duration;

/**
 * Settings of one {@link DurableLog}. Immutable; the {@code with*} methods return a copy.
 *
 * @param fsync         when an append counts as durable
 * @param fsyncInterval the group-commit window of {@link FsyncPolicy#INTERVAL}
 * @param segmentBytes  a segment file is rolled before it would grow past this size
 * @param maxBytes      bound of the backlog (payload bytes of unacknowledged records)
 * @param maxAge        records older than this are dropped (reason expired); {@link Duration#ZERO} = no bound
 * @param overflow      what an append does at {@code maxBytes}
 */
public record LogOptions(FsyncPolicy fsync, Duration fsyncInterval, long segmentBytes, long maxBytes,
                         Duration maxAge, OverflowPolicy overflow) {

  public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofMillis(100);
  public static final long DEFAULT_SEGMENT_BYTES = 16L << 20;
  public static final long DEFAULT_MAX_BYTES = 1L << 30;
  /** Smallest segment: keeps a test's rolls cheap and rules out a size that cannot hold one small record. */
  public static final long MIN_SEGMENT_BYTES = 4096;

  public LogOptions {
    if (fsync == null || overflow == null) {
      throw new IllegalArgumentException("fsync and overflow must be set");
    }
    if (fsyncInterval == null || fsyncInterval.isNegative() || fsyncInterval.isZero()) {
      throw new IllegalArgumentException("fsync_interval must be > 0");
    }
    if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("segment size must be between " + MIN_SEGMENT_BYTES + " and 2 GiB");
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("max_buffer_bytes must be > 0");
    }
    if (maxAge == null || maxAge.isNegative()) {
      throw new IllegalArgumentException("max age must be >= 0 (0 = no bound)");
    }
  }

  /** interval fsync every 100 ms, 16 MiB segments, 1 GiB backlog, no age bound, drop_oldest. */
  public static LogOptions defaults() {
    return new LogOptions(FsyncPolicy.INTERVAL, DEFAULT_FSYNC_INTERVAL, DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_BYTES,
        Duration.ZERO, OverflowPolicy.DROP_OLDEST);
  }

  public LogOptions withFsync(FsyncPolicy p) {
    return new LogOptions(p, fsyncInterval, segmentBytes, maxBytes, maxAge, overflow);
  }

  public LogOptions withFsyncInterval(Duration d) {
    return new LogOptions(fsync, d, segmentBytes, maxBytes, maxAge, overflow);
  }

  public LogOptions withSegmentBytes(long n) {
    return new LogOptions(fsync, fsyncInterval, n, maxBytes, maxAge, overflow);
  }

  public LogOptions withMaxBytes(long n) {
    return new LogOptions(fsync, fsyncInterval, segmentBytes, n, maxAge, overflow);
  }

  public LogOptions withMaxAge(Duration d) {
    return new LogOptions(fsync, fsyncInterval, segmentBytes, maxBytes, d, overflow);
  }

  public LogOptions withOverflow(OverflowPolicy p) {
    return new LogOptions(fsync, fsyncInterval, segmentBytes, maxBytes, maxAge, p);
  }
}
