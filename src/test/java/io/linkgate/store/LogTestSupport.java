package io.linkgate.store;

import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers for the store tests: blocking waits with a bound (JUnit thread only) and deterministic payloads. */
final class LogTestSupport {

  private LogTestSupport() {
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static DurableLog open(Path dir, LogOptions options) throws Exception {
    return await(DurableLog.open(dir, options));
  }

  /** A payload that tells its record apart: "record-<n>-" padded to {@code size} bytes. */
  static byte[] payload(long n, int size) {
    byte[] b = new byte[size];
    byte[] tag = ("record-" + n + "-").getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < size; i++) {
      b[i] = tag[i % tag.length];
    }
    return b;
  }

  /** Every record a fresh cursor hands out, in order. */
  static List<LogRecord> replayAll(DurableLog log) throws Exception {
    ReplayCursor cursor = log.replay();
    List<LogRecord> all = new ArrayList<>();
    while (true) {
      List<LogRecord> batch = await(cursor.next(500));
      if (batch.isEmpty()) {
        return all;
      }
      all.addAll(batch);
    }
  }

  static List<Long> seqs(List<LogRecord> records) {
    return records.stream().map(LogRecord::seq).toList();
  }
}
