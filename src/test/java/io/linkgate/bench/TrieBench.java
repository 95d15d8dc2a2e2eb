package io.linkgate.bench;

import io.linkgate.topic.TopicTrie;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@link TopicTrie} benchmark, not a unit test: run with {@code scripts/bench/trie-bench.sh}. Builds a trie of
 * 1,000,000 subscriptions with mixed wildcards, measures retained heap per subscription and single-thread
 * {@code match} throughput for topics that hit 0-3 subscriptions. Prints key=value lines and one {@code RESULT} line
 * (System.out on purpose: this is a command-line tool, not gateway code).
 *
 * <p>Args: {@code [subscriptions] [measureSeconds]}, default 1000000 and 5.
 */
public final class TrieBench {

  /** One value per subscription (distinct, so the figure includes a realistic value object of 24 bytes). */
  record Sub(int client, int qos) {
  }

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private TrieBench() {
  }

  /** The i-th subscription's filter; shapes cycle with i % 8. */
  static String filter(int i) {
    if (i == 0) {
      return "sensor/#";
    }
    if (i == 1) {
      return "+/+/temp";
    }
    switch (i & 7) {
      case 0: return "sensor/" + i + "/temp";
      case 1: return "sensor/+/" + i;
      case 2: return "dev/" + i + "/#";
      case 3: return "a/" + (i % 100) + "/b/" + i;
      case 4: return "+/status/" + i;
      case 5: return "fleet/" + (i % 5000) + "/#"; // 625 filters x 200 subscribers
      case 6: return "org/" + (i % 10) + "/site/" + (i % 1000) + "/+/alarm"; // 125 filters x 1000 subscribers
      default: return "user/" + i + "/inbox";
    }
  }

  /** Topics hitting 0-3 subscriptions: half use a subscribed index, half one past the subscribed range. */
  static String topic(Random rnd, int subs) {
    int shape = new int[] {0, 1, 2, 3, 4, 7}[rnd.nextInt(6)];
    int k = 8 * rnd.nextInt(Math.max(1, subs / 4)) + shape;
    switch (shape) {
      case 0: return "sensor/" + k + "/temp"; // sensor/#, +/+/temp, maybe sensor/k/temp
      case 1: return "sensor/x/" + k; // sensor/#, maybe sensor/+/k
      case 2: return "dev/" + k + "/data/1"; // maybe dev/k/#
      case 3: return "a/" + (k % 100) + "/b/" + k;
      case 4: return "home/status/" + k;
      default: return "user/" + k + "/inbox";
    }
  }

  public static void main(String[] args) throws InterruptedException {
    int subs = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;

    System.out.printf("jvm=%s gc=%s cpus=%d max_heap_mb=%d%n", System.getProperty("java.vm.version"),
        ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList(),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    long base = usedAfterGc();
    Sub[] values = new Sub[subs];
    for (int i = 0; i < subs; i++) {
      values[i] = new Sub(i, i % 3);
    }
    long valueBytes = usedAfterGc() - base - (16L + 4L * subs); // minus the holder array

    TopicTrie<Sub> trie = new TopicTrie<>();
    long t0 = System.nanoTime();
    long c0 = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < subs; i++) {
      trie.add(filter(i), values[i]);
    }
    long buildNanos = System.nanoTime() - t0;
    long buildCpuMs = (THREADS.getCurrentThreadCpuTime() - c0) / 1_000_000;
    int filters = trie.filterCount();
    values = null;
    long total = usedAfterGc() - base;
    double perSub = (double) total / subs;
    double valuePerSub = (double) valueBytes / subs;
    System.out.printf("subscriptions=%d filters=%d build_ms=%d build_cpu_ms=%d%n", trie.size(), filters,
        buildNanos / 1_000_000, buildCpuMs);
    System.out.printf("bytes_per_subscription=%.1f (value objects %.1f, trie structure %.1f)%n",
        perSub, valuePerSub, perSub - valuePerSub);

    double[] rate = matchRate(trie, subs, seconds);

    long r0 = System.nanoTime();
    for (int i = 0; i < subs; i++) {
      trie.remove(filter(i), new Sub(i, i % 3));
    }
    long removeMs = (System.nanoTime() - r0) / 1_000_000;
    long left = usedAfterGc() - base;
    System.out.printf("remove_all_ms=%d heap_left_after_remove_all_bytes=%d size=%d%n", removeMs, left, trie.size());

    System.out.printf("RESULT subscriptions=%d filters=%d bytes_per_subscription=%.1f build_ms=%d build_cpu_ms=%d"
        + " matches_per_s=%.0f matches_per_cpu_s=%.0f remove_all_ms=%d%n", subs, filters, perSub,
        buildNanos / 1_000_000, buildCpuMs, rate[0], rate[1], removeMs);
  }

  /** Counts visited values in a field so the JIT cannot drop the work; no allocation per call. */
  static final class Sink implements Consumer<Sub> {
    long hits;

    @Override
    public void accept(Sub s) {
      hits += s.qos() + 1;
    }
  }

  /** Returns {matches per wall second, matches per second of this thread's CPU time}. */
  private static double[] matchRate(TopicTrie<Sub> trie, int subs, int seconds) {
    Random rnd = new Random(42);
    String[] topics = new String[1 << 16];
    for (int i = 0; i < topics.length; i++) {
      topics[i] = topic(rnd, subs);
    }
    Sink sink = new Sink();
    int[] histogram = new int[5];
    for (String t : topics) {
      histogram[Math.min(4, trie.match(t, s -> { }))]++;
    }
    System.out.printf("topic_hits_histogram 0:%d 1:%d 2:%d 3:%d 4+:%d%n",
        histogram[0], histogram[1], histogram[2], histogram[3], histogram[4]);
    long visited = 0;
    runFor(trie, topics, sink, 2_000_000_000L); // warm-up
    long calls = 0;
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    long now;
    do {
      for (String t : topics) {
        visited += trie.match(t, sink);
      }
      calls += topics.length;
      now = System.nanoTime();
    } while (now < deadline);
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
    System.out.printf("match_calls=%d visited=%d sink=%d wall_ms=%d thread_cpu_ms=%d%n", calls, visited, sink.hits,
        (now - start) / 1_000_000, cpu / 1_000_000);
    // per second of CPU actually given to this thread: unlike wall time, not diluted by other load on a shared host
    double[] rate = {calls * 1e9 / (now - start), calls * 1e9 / cpu};
    System.out.printf("matches_per_s=%.0f matches_per_cpu_s=%.0f%n", rate[0], rate[1]);
    return rate;
  }

  private static void runFor(TopicTrie<Sub> trie, String[] topics, Sink sink, long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      for (String t : topics) {
        trie.match(t, sink);
      }
    }
  }

  /** Heap in use after full GCs; the minimum of several readings, since one System.gc() may not settle. */
  private static long usedAfterGc() throws InterruptedException {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      min = Math.min(min, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return min;
  }
}
