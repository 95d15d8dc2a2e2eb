package io.linkgate.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * MQTT load generator for broker benchmarks (test scope only; not part of linkgate.jar).
 *
 * <p>Prints one line per shape to stdout, e.g.
 * {@code RESULT target=mosquitto shape=p2p-qos0-max ... msgs_per_s=123456 p50_us=.. p99_us=.. p999_us=.. sent=..
 * received=.. lost=.. status=ok}. Progress goes to stderr, prefixed with {@code #}. Every wait is bounded.
 * Run {@code --help} for options.
 */
public final class MqttLoad {

  private static final long CONNECT_TIMEOUT_MS = 30_000;
  private static final long MANY_CONNECT_TIMEOUT_MS = 180_000;
  private static final long DRAIN_MAX_MS = 15_000;
  private static final long DRAIN_IDLE_MS = 2_000;

  private final LoadOptions o;
  private final Transport transport;
  private final Bootstrap bootstrap;
  private final GenCost genCost;
  private boolean prewarmDone;
  private int prewarmedS;

  MqttLoad(LoadOptions o, Transport transport) throws Exception {
    this.o = o;
    this.transport = transport;
    this.genCost = GenCost.of(transport.group);
    this.bootstrap = new Bootstrap()
        .group(transport.group)
        .channel(transport.channelClass)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024));
  }

  public static void main(String[] args) throws Exception {
    // logback is on the test classpath without a config (it would log Netty at DEBUG): use JUL (INFO)
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    // the leak detector allocates a tracker per sampled buffer: none on the generator's hot path
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
    LoadOptions o;
    try {
      o = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    int failed = 0;
    try (Transport t = Transport.create(o.threads, o.epoll)) {
      log("target=%s %s:%d mqtt=%s transport=%s threads=%d prewarm=%ds shapes=%s", o.label, o.host, o.port,
          o.mqttName(), t.name, o.threads, o.prewarmS, String.join(",", o.shapes));
      if (o.splitBrokers()) {
        log("publishers on %s:%d, subscribers on %s:%d (probe timeout %d s)", o.host, o.port, o.subHost(),
            o.subPort(), o.probeTimeoutS);
      }
      MqttLoad load = new MqttLoad(o, t);
      for (int i = 0; i < o.shapes.size(); i++) {
        if (i > 0) {
          sleepMs(1000); // let the broker settle (closed sockets, freed sessions)
        }
        Map<String, Object> r = load.runShape(o.shapes.get(i));
        if (!"ok".equals(r.get("status"))) {
          failed++;
        }
        System.out.println(format(r));
        System.out.flush();
        System.gc();
      }
    }
    System.exit(failed == 0 ? 0 : 1);
  }

  static String format(Map<String, Object> r) {
    StringBuilder sb = new StringBuilder("RESULT");
    for (Map.Entry<String, Object> e : r.entrySet()) {
      Object v = e.getValue();
      String s = v instanceof Double ? String.format(Locale.ROOT, "%.1f", (Double) v) : String.valueOf(v);
      sb.append(' ').append(e.getKey()).append('=').append(s.replaceAll("\\s+", "_"));
    }
    return sb.toString();
  }

  Map<String, Object> runShape(String shape) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("target", o.label);
    r.put("shape", shape);
    r.put("mqtt", o.mqttName());
    if (!shape.equals("idle-10k")) {
      prewarmOnce();
    }
    log("shape %s: start", shape);
    long t0 = System.nanoTime();
    long warmMs = o.warmupS * 1000L;
    long measureMs = o.durationS * 1000L;
    try {
      switch (shape) {
        case "p2p-qos0-max":
          messaging(r, shape, MqttQoS.AT_MOST_ONCE, 1, 1, 1, o.window, 0, warmMs, measureMs);
          break;
        case "p2p-qos1-max":
          messaging(r, shape, MqttQoS.AT_LEAST_ONCE, 1, 1, 1, o.window, 0, warmMs, measureMs);
          break;
        case "p2p-qos0-10k":
          messaging(r, shape, MqttQoS.AT_MOST_ONCE, 1, 1, 1, 0, o.rate, warmMs, measureMs);
          break;
        case "p2p-qos1-10k":
          messaging(r, shape, MqttQoS.AT_LEAST_ONCE, 1, 1, 1, 0, o.rate, warmMs, measureMs);
          break;
        case "fanout-100":
          // the window counts deliveries: window/N messages keep the same number of deliveries in flight as p2p
          messaging(r, shape, MqttQoS.AT_MOST_ONCE, 1, o.fanout, o.fanout, Math.max(1, o.window / o.fanout), 0, warmMs, measureMs);
          break;
        case "pubs-1000":
          messaging(r, shape, MqttQoS.AT_MOST_ONCE, o.pubs, o.pubsSubs, o.pubsSubs, 0, o.pubRate, warmMs, measureMs);
          break;
        case "idle-10k":
          idle(r);
          break;
        default:
          throw new IllegalArgumentException(shape);
      }
    } catch (Exception e) {
      r.put("status", "fail");
      r.put("error", shortError(e));
    }
    r.putIfAbsent("status", "ok");
    r.put("transport", transport.name);
    r.put("gen_threads", o.threads);
    r.put("gen_prewarm_s", prewarmedS);
    log("shape %s: done in %.1f s", shape, (System.nanoTime() - t0) / 1e9);
    return r;
  }

  // ------------------------------------------------------------------------------------------ messaging

  /**
   * Before the first messaging shape of this JVM: --prewarm seconds of uncounted traffic against the target, in
   * thirds (closed-loop QoS 1, closed-loop QoS 0, QoS 1 paced at --rate), so C2 has compiled the generator's
   * publish, parse, PUBACK and pacing paths before anything is measured ({@code gen_jit_us_per_msg} shows what
   * compiling is left).
   */
  private void prewarmOnce() {
    if (prewarmDone) {
      return;
    }
    prewarmDone = true;
    if (o.prewarmS == 0) {
      return;
    }
    long third = o.prewarmS * 1000L / 3;
    long t0 = System.nanoTime();
    log("prewarm: %d s of uncounted traffic", o.prewarmS);
    try {
      messaging(new LinkedHashMap<>(), "prewarm-qos1-max", MqttQoS.AT_LEAST_ONCE, 1, 1, 1, o.window, 0, third, 0);
      messaging(new LinkedHashMap<>(), "prewarm-qos0-max", MqttQoS.AT_MOST_ONCE, 1, 1, 1, o.window, 0, third, 0);
      messaging(new LinkedHashMap<>(), "prewarm-qos1-paced", MqttQoS.AT_LEAST_ONCE, 1, 1, 1, 0, o.rate, third, 0);
      prewarmedS = o.prewarmS;
    } catch (Exception e) {
      log("prewarm failed (%s); measuring on a cold generator", shortError(e));
    }
    log("prewarm: done in %.1f s", (System.nanoTime() - t0) / 1e9);
    sleepMs(500);
  }

  /**
   * Publishers and subscribers exchanging timestamped messages. {@code window > 0}: one closed-loop publisher
   * (max throughput). Otherwise every publisher is paced at {@code ratePerPub} msg/s.
   */
  private void messaging(Map<String, Object> r, String shape, MqttQoS qos, int pubCount, int subCount,
      int receiversPerMsg, int window, int ratePerPub, long warmupMs, long measureMs) throws Exception {
    String id = runId();
    String base = "bench/" + id + "/" + shape;
    boolean manyPubs = pubCount > 1;
    String subTopic = manyPubs ? base + "/+" : base;
    ShapeRun run = new ShapeRun(shape, qos, o.payload, o.mqtt, receiversPerMsg, window);

    r.put("qos", qos.value());
    r.put("payload", o.payload);
    r.put("pubs", pubCount);
    r.put("subs", subCount);
    if (window > 0) {
      r.put("window", window);
    } else {
      r.put("rate_target", (long) pubCount * ratePerPub);
    }
    List<BenchClient> subs = new ArrayList<>();
    List<BenchClient> pubs = new ArrayList<>();
    try {
      // subscribers first: publishing starts only after every SUBACK
      connectMany(subCount, i -> new BenchClient("lg" + id + "s" + i, run, o, subTopic, qos, null, null),
          o.subHost(), o.subPort(), CONNECT_TIMEOUT_MS, subs, true);
      connectMany(pubCount,
          i -> new BenchClient("lg" + id + "p" + i, run, o, null, null, manyPubs ? base + "/" + i : base, qos),
          o.host, o.port, manyPubs ? MANY_CONNECT_TIMEOUT_MS : CONNECT_TIMEOUT_MS, pubs, true);
      log("shape %s: %d subscribers (SUBACKed) and %d publishers connected", shape, subs.size(), pubs.size());
      if (o.probing()) {
        long waited = waitForRoute(pubs.get(0), subs);
        r.put("route_wait_ms", waited);
        log("shape %s: every subscriber got a probe %d ms after the last SUBACK", shape, waited);
      }

      if (window > 0) {
        BenchClient p = pubs.get(0);
        p.ch.eventLoop().execute(p::startClosedLoop);
      } else {
        long tickNanos = Math.max(1_000_000L, 1_000_000_000L / ratePerPub);
        for (BenchClient p : pubs) {
          long delay = manyPubs ? ThreadLocalRandom.current().nextLong(tickNanos) : 0;
          p.ch.eventLoop().execute(() -> p.startPaced(ratePerPub, tickNanos, delay));
        }
      }
      Thread progress = null;
      if (Boolean.getBoolean("bench.trace")) {
        progress = new Thread(() -> {
          long t0 = System.nanoTime();
          while (run.phase != ShapeRun.STOP) {
            log("trace t=%dms windowSent=%d received=%d waiting=%s", (System.nanoTime() - t0) / 1_000_000,
                run.windowSent.get(), run.received.get(), run.pubWaiting.get());
            try {
              Thread.sleep(50);
            } catch (InterruptedException e) {
              return;
            }
          }
        });
        progress.setDaemon(true);
        progress.start();
      }
      sleepMs(warmupMs);
      Map<String, ProcCpu> cpuBefore = sampleCpu();
      genCost.start();
      long measureStart = System.nanoTime();
      run.phase = ShapeRun.MEASURE;
      sleepMs(measureMs);
      run.phase = ShapeRun.STOP;
      long measureEnd = System.nanoTime();
      genCost.stop();
      Map<String, ProcCpu> cpuAfter = sampleCpu();

      // publishers stop at their next batch/tick; read their counters on their own event loops
      long sent = 0;
      long throttled = 0;
      long stalls = 0;
      for (BenchClient p : pubs) {
        long[] c = p.onLoop(() -> new long[] {p.sentMeasured, p.throttled, p.stalls});
        sent += c[0];
        throttled += c[1];
        stalls += c[2];
      }
      long expected = sent * receiversPerMsg;
      drain(run, expected);

      LatencyHistogram h = new LatencyHistogram();
      long received = 0;
      long lastRecv = 0;
      for (BenchClient s : subs) {
        Object[] c = s.onLoop(() -> new Object[] {s.hist.copy(), s.measuredReceived, s.lastMeasuredRecvNanos});
        h.add((LatencyHistogram) c[0]);
        received += (Long) c[1];
        lastRecv = Math.max(lastRecv, (Long) c[2]);
      }
      double spanS = (Math.max(lastRecv, measureEnd) - measureStart) / 1e9;
      double sendS = (measureEnd - measureStart) / 1e9;
      r.put("duration_s", o.durationS);
      r.put("msgs_per_s", Math.round(received / spanS));
      r.put("in_msgs_per_s", Math.round(sent / sendS));
      putLatency(r, h);
      r.put("sent", sent);
      r.put("expected", expected);
      r.put("received", received);
      r.put("lost", expected - received);
      r.put("throttled", throttled);
      r.put("stalls", stalls);
      r.put("disconnects", run.unexpectedDisconnects.get());
      r.put("errors", run.errors.get());
      if (run.firstError.get() != null) {
        r.put("first_error", run.firstError.get());
      }
      putCpu(r, cpuBefore, cpuAfter, sent, (measureEnd - measureStart) / 1e9);
      genCost.put(r, sent, (measureEnd - measureStart) / 1e9);
      if (received == 0) {
        r.put("status", "fail");
        r.put("error", "nothing_received");
      }
    } finally {
      run.phase = ShapeRun.STOP;
      closeAll(run, subs, pubs);
    }
  }

  /**
   * Publishes probe messages (every 10 ms) until every subscriber got one: the route across a bridge or a cluster
   * link exists. Returns the milliseconds from the first probe to the last subscriber's first probe (at 10 ms
   * resolution); throws after --probe-timeout.
   */
  private long waitForRoute(BenchClient publisher, List<BenchClient> subs) {
    long t0 = System.nanoTime();
    long deadline = t0 + o.probeTimeoutS * 1_000_000_000L;
    while (true) {
      int seen = 0;
      for (BenchClient s : subs) {
        if (s.probeSeen) {
          seen++;
        }
      }
      long now = System.nanoTime();
      if (seen == subs.size()) {
        return (now - t0) / 1_000_000;
      }
      if (now > deadline) {
        throw new IllegalStateException("route_not_ready: " + seen + " of " + subs.size()
            + " subscribers got a probe within " + o.probeTimeoutS + " s");
      }
      publisher.sendProbe();
      sleepMs(10);
    }
  }

  private Map<String, ProcCpu> sampleCpu() {
    Map<String, ProcCpu> m = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : o.cpuPids.entrySet()) {
      m.put(e.getKey(), ProcCpu.sample(e.getValue()));
    }
    return m;
  }

  /**
   * CPU of the --cpu-pids processes during the measured window: per message published in it (in steady state the
   * brokers handle about as many as were published), the part of that in JIT compiler threads, and the average
   * number of cores busy.
   */
  private static void putCpu(Map<String, Object> r, Map<String, ProcCpu> before, Map<String, ProcCpu> after,
      long sent, double seconds) {
    for (Map.Entry<String, ProcCpu> e : before.entrySet()) {
      ProcCpu b = e.getValue();
      ProcCpu a = after.get(e.getKey());
      if (b == null || a == null || sent <= 0) {
        continue;
      }
      long cpuMs = (a.totalTicks - b.totalTicks) * ProcCpu.TICK_MS;
      long jitMs = (a.jitTicks - b.jitTicks) * ProcCpu.TICK_MS;
      r.put("cpu_us_per_msg_" + e.getKey(), String.format(Locale.ROOT, "%.1f", cpuMs * 1000.0 / sent));
      r.put("jit_us_per_msg_" + e.getKey(), String.format(Locale.ROOT, "%.1f", jitMs * 1000.0 / sent));
      r.put("cores_" + e.getKey(), String.format(Locale.ROOT, "%.2f", cpuMs / 1000.0 / seconds));
    }
  }

  private static void putLatency(Map<String, Object> r, LatencyHistogram h) {
    r.put("p50_us", h.percentile(50));
    r.put("p90_us", h.percentile(90));
    r.put("p99_us", h.percentile(99));
    r.put("p999_us", h.percentile(99.9));
    r.put("max_us", h.maxMicros());
    r.put("mean_us", h.meanMicros());
  }

  private static void drain(ShapeRun run, long expected) {
    long start = System.nanoTime();
    long lastSeen = run.measuredReceived.get();
    long lastProgress = start;
    while (true) {
      long now = System.nanoTime();
      long got = run.measuredReceived.get();
      if (got >= expected) {
        return;
      }
      if (got != lastSeen) {
        lastSeen = got;
        lastProgress = now;
      }
      if (now - lastProgress > DRAIN_IDLE_MS * 1_000_000L || now - start > DRAIN_MAX_MS * 1_000_000L) {
        log("drain: gave up with %d of %d deliveries", got, expected);
        return;
      }
      sleepMs(20);
    }
  }

  // ------------------------------------------------------------------------------------------ idle

  private void idle(Map<String, Object> r) throws Exception {
    String id = runId();
    int n = o.idleClients;
    ShapeRun run = new ShapeRun("idle-10k", MqttQoS.AT_MOST_ONCE, o.payload, o.mqtt, 1, 0);
    r.put("clients", n);
    Mem before = Mem.sample(o.brokerPid, true);
    final List<BenchClient> clients = new ArrayList<>();
    try {
      long t0 = System.nanoTime();
      int ok = connectMany(n, i -> new BenchClient("lg" + id + "i" + i, run, o,
          "bench/" + id + "/idle/" + i, MqttQoS.AT_MOST_ONCE, null, null), o.host, o.port, MANY_CONNECT_TIMEOUT_MS,
          clients, false);
      long connectMs = (System.nanoTime() - t0) / 1_000_000;
      log("idle: %d/%d connected+subscribed in %d ms", ok, n, connectMs);
      r.put("connected", ok);
      r.put("connect_ms", connectMs);
      r.put("conns_per_s", Math.round(ok / Math.max(0.001, connectMs / 1000.0)));
      sleepMs(1000);
      Mem connected = Mem.sample(o.brokerPid, true);

      int idleS = o.idleSeconds();
      int minActive = Integer.MAX_VALUE;
      for (int s = 0; s <= idleS; s++) {
        int active = 0;
        for (BenchClient c : clients) {
          if (c.ready.isDone() && !c.ready.isCompletedExceptionally() && c.ch.isActive()) {
            active++;
          }
        }
        minActive = Math.min(minActive, active);
        if (s < idleS) {
          sleepMs(1000);
        }
      }
      // prove liveness: every client pings and must get PINGRESP
      int pinged = 0;
      for (BenchClient c : clients) {
        if (c.ready.isDone() && !c.ready.isCompletedExceptionally() && c.ch.isActive()) {
          c.checkPing();
          pinged++;
        }
      }
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (run.pingResponses.get() < pinged && System.nanoTime() < deadline) {
        sleepMs(20);
      }
      Mem end = Mem.sample(o.brokerPid, false);
      r.put("idle_s", idleS);
      r.put("still_connected", pinged);
      r.put("min_connected", minActive == Integer.MAX_VALUE ? 0 : minActive);
      r.put("ping_ok", run.pingResponses.get());
      r.put("dropped", ok - pinged);
      r.put("disconnects", run.unexpectedDisconnects.get());
      r.put("errors", run.errors.get());
      if (run.firstError.get() != null) {
        r.put("first_error", run.firstError.get());
      }
      if (o.brokerPid > 0) {
        r.put("broker_rss_kb_before", before.rssKb);
        r.put("broker_rss_kb_connected", connected.rssKb);
        r.put("broker_rss_kb_end", end.rssKb);
        if (ok > 0 && before.rssKb >= 0 && connected.rssKb >= 0) {
          r.put("rss_per_client_b", (connected.rssKb - before.rssKb) * 1024 / ok);
        }
        if (before.heapKb >= 0 && connected.heapKb >= 0) {
          r.put("broker_heap_kb_before", before.heapKb);
          r.put("broker_heap_kb_connected", connected.heapKb);
          if (ok > 0) {
            r.put("heap_per_client_b", (connected.heapKb - before.heapKb) * 1024 / ok);
          }
        }
      }
      if (ok < n || pinged < ok || run.pingResponses.get() < pinged) {
        r.put("status", "fail");
        r.put("error", "connected=" + ok + ",alive=" + pinged + ",pong=" + run.pingResponses.get());
      }
    } finally {
      closeAll(run, clients, List.of());
    }
  }

  /** Broker memory probe: VmRSS from /proc, and live heap (after GC.run) for a JVM broker via jcmd/jstat. */
  static final class Mem {
    long rssKb = -1;
    long heapKb = -1;

    static Mem sample(long pid, boolean heap) {
      Mem m = new Mem();
      if (pid <= 0) {
        return m;
      }
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmRSS:")) {
            m.rssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
        String comm = Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
        if (heap && comm.equals("java")) {
          run(List.of("jcmd", Long.toString(pid), "GC.run"));
          List<String> out = run(List.of("jstat", "-gc", Long.toString(pid)));
          if (out.size() >= 2) {
            String[] names = out.get(0).trim().split("\\s+");
            String[] vals = out.get(1).trim().split("\\s+");
            double used = 0;
            for (int i = 0; i < names.length && i < vals.length; i++) {
              if (names[i].equals("S0U") || names[i].equals("S1U") || names[i].equals("EU")
                  || names[i].equals("OU")) {
                used += Double.parseDouble(vals[i]);
              }
            }
            m.heapKb = Math.round(used);
          }
        }
      } catch (IOException | RuntimeException e) {
        log("memory probe of pid %d failed: %s", pid, e);
      }
      return m;
    }

    private static List<String> run(List<String> cmd) throws IOException {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      List<String> lines = new ArrayList<>();
      try (BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String l;
        while ((l = br.readLine()) != null && lines.size() < 1000) {
          lines.add(l);
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
      return lines;
    }
  }

  // ------------------------------------------------------------------------------------------ plumbing

  /**
   * Connects {@code count} clients with at most {@code --connect-concurrency} handshakes in flight and waits
   * until each is ready (CONNACK, plus SUBACK for subscribers). Returns how many became ready; with
   * {@code strict} any failure throws.
   */
  private int connectMany(int count, IntFunction<BenchClient> factory, String host, int port, long timeoutMs,
      List<BenchClient> out, boolean strict) throws Exception {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    Semaphore inFlight = new Semaphore(o.connectConcurrency);
    for (int i = 0; i < count; i++) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !inFlight.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        throw new TimeoutException("connecting: only " + i + " of " + count + " started in " + timeoutMs + " ms");
      }
      BenchClient c = factory.apply(i);
      out.add(c);
      c.ready.whenComplete((x, e) -> inFlight.release());
      c.connect(bootstrap, host, port);
    }
    int ok = 0;
    Throwable firstFailure = null;
    for (BenchClient c : out) {
      long left = Math.max(1, deadline - System.nanoTime());
      try {
        c.ready.get(left, TimeUnit.NANOSECONDS);
        ok++;
      } catch (ExecutionException e) {
        if (firstFailure == null) {
          firstFailure = e.getCause();
        }
      } catch (TimeoutException e) {
        if (firstFailure == null) {
          firstFailure = new TimeoutException(c.clientId + " not ready within " + timeoutMs + " ms");
        }
      }
    }
    if (firstFailure != null) {
      log("connect: %d of %d ready; first failure: %s", ok, count, firstFailure);
      if (strict) {
        throw new IllegalStateException("connect failed: " + firstFailure.getMessage(), firstFailure);
      }
    }
    return ok;
  }

  @SafeVarargs
  private static void closeAll(ShapeRun run, List<BenchClient>... groups) {
    run.closing = true;
    List<ChannelFuture> closing = new ArrayList<>();
    for (List<BenchClient> g : groups) {
      for (BenchClient c : g) {
        ChannelFuture f = c.disconnect();
        if (f != null) {
          closing.add(f);
        }
      }
    }
    long deadline = System.nanoTime() + 15_000_000_000L;
    for (ChannelFuture f : closing) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !f.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
        f.channel().close();
      }
    }
  }

  private static String runId() {
    return Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
  }

  private static String shortError(Throwable e) {
    Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    return m.length() > 160 ? m.substring(0, 160) : m;
  }

  static void sleepMs(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static void log(String fmt, Object... args) {
    System.err.println("# " + String.format(Locale.ROOT, fmt, args));
  }
}
