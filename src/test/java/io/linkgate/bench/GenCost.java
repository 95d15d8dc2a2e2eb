package io.linkgate.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's own cost over a measured window: bytes allocated on its event-loop threads (where the hot
 * path runs) and the CPU of its whole process (event loops, GC, JIT, this sampling), so a tail figure can be
 * checked against what the tool itself spent.
 */
final class GenCost {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final long SELF_PID = ProcessHandle.current().pid();

  private final long[] loopThreadIds;
  private long allocBefore;
  private long loopCpuBefore;
  private ProcCpu procBefore;
  private long alloc;
  private long loopCpu;
  private ProcCpu procAfter;

  private GenCost(long[] loopThreadIds) {
    this.loopThreadIds = loopThreadIds;
  }

  /** Finds the ids of the group's event-loop threads (each one reports its own, on its own loop). */
  static GenCost of(EventLoopGroup group) throws Exception {
    List<CompletableFuture<Long>> ids = new ArrayList<>();
    for (EventExecutor e : group) {
      CompletableFuture<Long> f = new CompletableFuture<>();
      e.execute(() -> f.complete(Thread.currentThread().getId()));
      ids.add(f);
    }
    long[] out = new long[ids.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ids.get(i).get(10, TimeUnit.SECONDS);
    }
    if (THREADS.isThreadAllocatedMemorySupported() && !THREADS.isThreadAllocatedMemoryEnabled()) {
      THREADS.setThreadAllocatedMemoryEnabled(true);
    }
    return new GenCost(out);
  }

  /** Start of the measured window. */
  void start() {
    allocBefore = loopAllocatedBytes();
    loopCpuBefore = loopCpuNanos();
    procBefore = ProcCpu.sample(SELF_PID);
  }

  /** End of the measured window. */
  void stop() {
    alloc = loopAllocatedBytes() - allocBefore;
    loopCpu = loopCpuNanos() - loopCpuBefore;
    procAfter = ProcCpu.sample(SELF_PID);
  }

  /**
   * Puts {@code gen_alloc_b_per_msg} (event-loop bytes allocated per message
   * published in the window), {@code gen_cpu_us_per_msg} (whole generator process), {@code gen_loop_cpu_us_per_msg}
   * (its event-loop threads only), {@code gen_jit_us_per_msg} (its JIT compiler threads) and {@code gen_cores}.
   */
  void put(Map<String, Object> r, long sent, double seconds) {
    ProcCpu after = procAfter;
    if (sent <= 0) {
      return;
    }
    r.put("gen_alloc_b_per_msg", String.format(Locale.ROOT, "%.1f", (double) alloc / sent));
    if (procBefore != null && after != null) {
      long cpuMs = (after.totalTicks - procBefore.totalTicks) * ProcCpu.TICK_MS;
      long jitMs = (after.jitTicks - procBefore.jitTicks) * ProcCpu.TICK_MS;
      r.put("gen_cpu_us_per_msg", String.format(Locale.ROOT, "%.1f", cpuMs * 1000.0 / sent));
      r.put("gen_jit_us_per_msg", String.format(Locale.ROOT, "%.1f", jitMs * 1000.0 / sent));
      r.put("gen_cores", String.format(Locale.ROOT, "%.2f", cpuMs / 1000.0 / seconds));
    }
    if (THREADS.isThreadCpuTimeSupported()) {
      r.put("gen_loop_cpu_us_per_msg", String.format(Locale.ROOT, "%.1f", loopCpu / 1000.0 / sent));
    }
  }

  private long loopAllocatedBytes() {
    long sum = 0;
    for (long a : THREADS.getThreadAllocatedBytes(loopThreadIds)) {
      sum += Math.max(0, a);
    }
    return sum;
  }

  /** CPU time of the event-loop threads (0 if the JVM does not measure it). */
  private long loopCpuNanos() {
    if (!THREADS.isThreadCpuTimeSupported()) {
      return 0;
    }
    long sum = 0;
    for (long id : loopThreadIds) {
      sum += Math.max(0, THREADS.getThreadCpuTime(id));
    }
    return sum;
  }
}
