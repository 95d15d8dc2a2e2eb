package io.linkgate.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load of {@code scripts/bench/log-bench.sh}, the same for every engine it compares: one producer keeps
 * {@code window} appends of {@code size} bytes in flight for a 2 s warm-up and then {@code seconds} measured, and
 * records the latency from each append to its completion (durable, and acknowledged by the engine).
 */
public final class ClosedLoopBench {
  private static final long WARM_UP_NANOS = 2_000_000_000L;

  /** The bench's arguments: policy seconds window size directory [fsyncIntervalMs]; {@code dir} is new, inside it. */
  public record Args(String policy, int seconds, int window, int size, Path dir, long intervalMs) {
    public static Args parse(String[] args, String dirPrefix) throws Exception {
      return new Args(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
        Files.createTempDirectory(Path.of(args[4]), dirPrefix), args.length > 5 ? Long.parseLong(args[5]) : 100);
    }

    /** {@code policy=… interval_ms=… size=… window=…} with this interval, as the bench prints them. */
    public String settings(String policyName, long interval) {
      return String.format("policy=%s interval_ms=%d size=%d window=%d", policyName, interval, size, window);
    }
  }

  /** One engine under test. */
  public interface Engine {
    /** Starts one append; the engine calls {@code durable} once it is durable, or {@code failed}. */
    void append(byte[] payload, Runnable durable, Runnable failed) throws Exception;
  }

  /** Called once, when the warm-up appends have completed and measuring starts. */
  public interface MeasureStart {
    void run() throws Exception;
  }

  /** The measured appends' latencies (nanoseconds, ascending) over {@code seconds}. */
  public record Result(long[] sortedLatencies, double seconds) {
    /** {@code appends_per_s=… p50_ms=… p99_ms=… max_ms=…}, as the bench prints them. */
    public String figures() {
      return String.format("appends_per_s=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f", sortedLatencies.length / seconds,
        pct(0.50), pct(0.99), pct(1.0));
    }

    public int appends() {
      return sortedLatencies.length;
    }

    double pct(double q) {
      if (sortedLatencies.length == 0) {
        return 0;
      }
      int i = (int) Math.min(sortedLatencies.length - 1, Math.ceil(q * sortedLatencies.length) - 1);
      return sortedLatencies[Math.max(0, i)] / 1e6;
    }
  }

  private ClosedLoopBench() {
  }

  public static Result run(Args args, Engine engine, MeasureStart atMeasureStart) throws Exception {
    int window = args.window();
    byte[] payload = new byte[args.size()];
    Semaphore inFlight = new Semaphore(window);
    long[] latencies = new long[1 << 24];
    AtomicInteger recorded = new AtomicInteger();
    long warmupEnd = System.nanoTime() + WARM_UP_NANOS;
    long end = warmupEnd + args.seconds() * 1_000_000_000L;
    long measuredStart = 0;
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
        atMeasureStart.run();
        recorded.set(0);
      }
      inFlight.acquire();
      long t0 = System.nanoTime();
      boolean measured = measuring;
      engine.append(payload, () -> {
        if (measured) {
          int i = recorded.getAndIncrement();
          if (i < latencies.length) {
            latencies[i] = System.nanoTime() - t0;
          }
        }
        inFlight.release();
      }, inFlight::release);
    }
    inFlight.acquire(window);
    double elapsed = (System.nanoTime() - measuredStart) / 1e9;
    long[] sorted = Arrays.copyOf(latencies, Math.min(recorded.get(), latencies.length));
    Arrays.sort(sorted);
    return new Result(sorted, elapsed);
  }
}
