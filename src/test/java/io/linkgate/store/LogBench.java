package io.linkgate.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Append-to-durable benchmark of {@link DurableLog}: one producer keeps {@code window} appends of {@code size}
 * bytes in flight and acknowledges each record once durable (steady state: segments are rolled and deleted).
 * Prints appends/s and the p50/p99/max latency from append to durable. Run by {@code scripts/bench/log-bench.sh}.
 * Args: policy (always|interval|never) seconds window size directory [fsyncIntervalMs].
 */
public final class LogBench {

  private LogBench() {
  }

  public static void main(String[] args) throws Exception {
    FsyncPolicy policy = FsyncPolicy.parse(args[0]);
    int seconds = Integer.parseInt(args[1]);
    int window = Integer.parseInt(args[2]);
    int size = Integer.parseInt(args[3]);
    Path dir = Files.createTempDirectory(Path.of(args[4]), "linkgate-log-");
    long intervalMs = args.length > 5 ? Long.parseLong(args[5]) : 100;
    LogOptions opts = LogOptions.defaults().withFsync(policy).withFsyncInterval(Duration.ofMillis(intervalMs))
        .withSegmentBytes(64L << 20);
    DurableLog log = LogTestSupport.open(dir, opts);
    byte[] payload = new byte[size];
    Semaphore inFlight = new Semaphore(window);
    long[] latencies = new long[1 << 24];
    AtomicInteger recorded = new AtomicInteger();
    long warmupEnd = System.nanoTime() + 2_000_000_000L;
    long end = warmupEnd + seconds * 1_000_000_000L;
    long measuredStart = 0;
    long startFsyncs = 0;
    boolean measuring = false;
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      if (!measuring && now >= warmupEnd) {
        inFlight.acquire(window); // drain the warm-up appends, then measure from a clean state
        inFlight.release(window);
        measuring = true;
        measuredStart = System.nanoTime();
        startFsyncs = LogTestSupport.await(log.stats()).fsyncs();
        recorded.set(0);
      }
      inFlight.acquire();
      long t0 = System.nanoTime();
      boolean measured = measuring;
      log.append(payload).onComplete(ar -> {
        if (ar.succeeded()) {
          log.ack(ar.result());
          if (measured) {
            int i = recorded.getAndIncrement();
            if (i < latencies.length) {
              latencies[i] = System.nanoTime() - t0;
            }
          }
        }
        inFlight.release();
      });
    }
    inFlight.acquire(window);
    double elapsed = (System.nanoTime() - measuredStart) / 1e9;
    LogStats stats = LogTestSupport.await(log.stats());
    int n = Math.min(recorded.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    System.out.printf("engine=linkgate-store policy=%s interval_ms=%d size=%d window=%d appends_per_s=%.0f "
            + "p50_ms=%.2f p99_ms=%.2f max_ms=%.2f fsyncs=%d appends=%d%n", policy.name().toLowerCase(), intervalMs,
        size, window, n / elapsed, pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 1.0),
        stats.fsyncs() - startFsyncs, n);
    LogTestSupport.await(log.close());
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }
}
