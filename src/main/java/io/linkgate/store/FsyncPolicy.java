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
   * Group commit on a timer: the first append after a sync starts a {@code fsync_interval} window; every append of
   * that window is covered by one fsync at its end (or earlier, once 1 MiB waits for it), and their futures complete
   * after it. Survives power loss, at the price of up to one interval of extra latency per append.
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
