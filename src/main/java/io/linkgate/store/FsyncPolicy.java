package io.linkgate.store;

/**
 * When an append counts as durable, i.e. when its future completes.
 *
 * <p>Every policy hands the bytes to the kernel ({@code write}) before the future completes, so a <b>process crash</b>
 * ({@code kill -9}, OOM kill, JVM abort) loses nothing whose future completed under any policy: the page cache
 * belongs to the kernel. The policies differ on <b>power loss or a kernel crash</b>, where only what was
 * {@code fsync}ed is on the disk.
 */
public enum FsyncPolicy {
  /**
   * Futures complete after the fsync that covers them. Appends that arrive together share one fsync (group commit):
   * while one fsync runs, the next appends queue up and are covered by the following one. Survives power loss.
   */
  ALWAYS,
  /**
   * Futures complete after {@code write} (as {@link #NEVER}), and the log fsyncs what was written at most once per
   * {@code fsync_interval}. Survives a process crash; a power loss may lose the appends of the last interval. (An
   * earlier version completed futures only after the interval's fsync: with a publisher window of 1,000 and 100 ms
   * that capped a link at 10,000 msg/s, a tenth of memory mode; {@link #ALWAYS} is the power-loss-safe choice and,
   * with group commit, nearly as fast.)
   */
  INTERVAL,
  /**
   * Futures complete after {@code write}; the log never fsyncs (the kernel writes back when it likes, typically
   * within 30 s). Survives a process crash; a power loss may lose the last seconds (the torn tail is truncated).
   */
  NEVER;

  /** {@code always | interval | never}, as in the config file. */
  public static FsyncPolicy parse(String value) {
    for (FsyncPolicy p : values()) {
      if (p.name().equalsIgnoreCase(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("fsync must be always, interval or never, not '" + value + "'");
  }
}
