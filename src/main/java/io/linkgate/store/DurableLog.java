package io.linkgate.store;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;

import java.nio.file.Path;

/**
 * An append-only, segmented log of opaque records for one link (directory {@code <node.data_dir>/links/<link>/}).
 *
 * <p>Each record gets the next sequence number; {@link #append} completes when the record is durable as the
 * {@link FsyncPolicy} says. {@link #ack} may come in any order; a segment file is deleted once all its records are
 * acknowledged (or dropped). Acknowledgements are ACK frames in the segment that holds the record, so they survive
 * a restart: after a process crash no acknowledged record is replayed; after a power loss, at most the records
 * acknowledged within the last {@code fsync_interval} are (counted in {@link LogStats#replayed()}). Records carry
 * a CRC32C; a torn tail is cut at open with a WARN and the rest is kept.
 *
 * <p>Threading: all file I/O and all state live on one dedicated writer thread per log; nothing here blocks the
 * caller. Futures complete on the caller's Vert.x context (on the writer thread when the caller has none).
 */
public interface DurableLog {

  /** Opens (creating if needed) the log in {@code dir}, recovering its segments; completes on the caller's context. */
  static Future<DurableLog> open(Path dir, LogOptions options) {
    return LogWriter.open(dir, options);
  }

  /** Appends a copy of {@code payload}; completes with its sequence number once durable. */
  Future<Long> append(byte[] payload);

  /**
   * Appends the readable bytes of {@code payload} (copied on the writer thread, so the buffer must stay unchanged
   * and unreleased until the returned future completes; the log neither retains nor releases it).
   */
  Future<Long> append(ByteBuf payload);

  /** Acknowledges a record; unknown or already acknowledged sequence numbers are ignored. */
  void ack(long seq);

  /**
   * A cursor over the records that are unacknowledged now, oldest first (after a restart: from the oldest
   * unacknowledged record). Records acknowledged while the cursor moves are skipped.
   */
  ReplayCursor replay();

  /** A consistent snapshot of the counters. */
  Future<LogStats> stats();

  /** Writes and (unless the policy is never) fsyncs what is pending, completes the waiting appends and closes. */
  Future<Void> close();
}
