package io.linkgate.link;

import io.linkgate.config.LinkOptions;
import io.linkgate.config.ResourceOptions;
import io.linkgate.config.Values;
import io.linkgate.store.DurableLog;
import io.linkgate.store.FsyncPolicy;
import io.linkgate.store.LogOptions;
import io.linkgate.store.OverflowPolicy;
import io.vertx.core.Future;

import java.nio.file.Path;
import java.time.Duration;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open durable logs of the links in {@code buffer_mode = durable}, by link name. A link verticle registers its log
 * once it is open and its replay cursor taken, and removes it before closing it; route sync appends to it on the
 * broker's loop, before the publisher is acknowledged. {@link DurableLog} is safe to call from any thread (its I/O
 * runs on its own writer thread and its futures complete on the caller's context), so this map is the only state the
 * two loops share.
 */
public final class DurableBuffers {
  private final Map<String, DurableLog> logs = new ConcurrentHashMap<>();
  private final Path root;

  /** @param dataDir {@code node.data_dir}: a link's log lives in {@code <data_dir>/links/<link>/} */
  public DurableBuffers(Path dataDir) {
    this.root = dataDir.resolve("links");
  }

  /** Opens the log of a durable link (recovering what a previous run left) with the link's settings. */
  Future<DurableLog> open(LinkOptions link) {
    ResourceOptions r = link.resourceOpts();
    Duration maxAge = r.requestTtl().equals(Values.FOREVER) ? Duration.ZERO : r.requestTtl();
    LogOptions options = LogOptions.defaults()
      .withFsync(FsyncPolicy.parse(r.durable().fsync()))
      .withFsyncInterval(r.durable().fsyncInterval())
      .withMaxBytes(r.maxBufferBytes())
      .withMaxAge(maxAge)
      .withOverflow(OverflowPolicy.parse(r.durable().overflow()));
    return DurableLog.open(root.resolve(link.name()), options);
  }

  void register(String link, DurableLog log) {
    logs.put(link, log);
  }

  void remove(String link, DurableLog log) {
    logs.remove(link, log);
  }

  /** The log of a durable link, or null (memory-only link, or a durable one still opening its log). */
  DurableLog get(String link) {
    return logs.get(link);
  }
}
