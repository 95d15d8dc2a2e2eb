package io.linkgate.bench;

import io.linkgate.config.ConfigLoader;
import io.linkgate.link.ForwardingMetrics;
import io.linkgate.link.InboundLinkStats;
import io.linkgate.link.LinkStatus;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.linkgate.testutil.Ports;
import io.linkgate.testutil.TcpProxy;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cluster-link scale figures with two one-node clusters in this JVM ({@link LinkedClusters}, {@link
 * LinkTimings#DEFAULT}): A's link to B receives {@code bench/#}, B's link to A has {@code topics = []}.
 *
 * <ul>
 *   <li>{@code fanout}: 1 publisher on B → N (1,000) subscribers on A; exactly one copy per message must cross the
 *       link (B's forwarding matched/success and A's inbound received = messages published) and every subscriber
 *       must get every message.</li>
 *   <li>{@code zero}: publishes on B to a topic under {@code bench/#} that nobody on A subscribes to (a subscriber on
 *       B proves they were routed): nothing may cross (B matched and A received/dropped unchanged).</li>
 *   <li>{@code routes}: R (100,000) distinct filters subscribed on A by a few clients, many filters per SUBSCRIBE;
 *       time from the last SUBACK until B's external route table holds them all.</li>
 *   <li>{@code restart}: A stops and starts again (sessions are in memory only, so the clients resubscribe):
 *       (1) link back first, then resubscribe: time from the last SUBACK to B converged; (2) the 100k subscribed while
 *       A's link is held down (a cut proxy), then the link reconnects: time from the reconnect to B converged
 *       (bootstrap path).</li>
 * </ul>
 *
 * <p>Prints {@code RESULT phase=...} lines on stdout. A test-scope {@code main}, not a JUnit test: run it with
 * {@code scripts/bench/link-scale-bench.sh}. Every wait is bounded.
 */
public final class LinkScaleBench {

  private static final long POLL_MS = 5;

  // options
  private int fanout = 1000;
  private int fanoutMsgs = 200;
  private int fanoutRate = 20;
  private int qos = 1;
  private int zeroMsgs = 2000;
  private int routes = 100_000;
  private int routeClients = 10;
  private int filtersPerPacket = 1000;
  private long convergeLimitMs = 3000;
  private List<String> phases = List.of("fanout", "zero", "routes", "restart");

  private LinkedClusters lc;
  private Transport transport;
  private Bootstrap bootstrap;
  private final List<Map<String, Object>> results = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    LinkScaleBench b = new LinkScaleBench();
    try {
      b.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
    int rc = b.run();
    System.exit(rc);
  }

  private void parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        System.out.println(String.join("\n",
            "usage: LinkScaleBench [options]",
            "  --phases a,b        any of fanout,zero,routes,restart (default all; restart needs routes)",
            "  --fanout N          subscribers on A in the fan-out phase (default 1000)",
            "  --fanout-msgs M     messages published on B in the fan-out phase (default 200)",
            "  --fanout-rate R     msg/s of that publisher (default 20: 20k deliveries/s)",
            "  --qos Q             QoS of the fan-out and zero-cross publishes and subscriptions (default 1)",
            "  --zero-msgs M       messages published to an unsubscribed topic (default 2000, at 1000 msg/s)",
            "  --routes R          distinct filters subscribed on A (default 100000)",
            "  --route-clients C   clients that subscribe them (default 10)",
            "  --filters-per-packet F  filters per SUBSCRIBE packet (default 1000)",
            "  --converge-limit-ms L   target for route convergence (default 3000)"));
        System.exit(0);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--phases": phases = List.of(v.split(",")); break;
        case "--fanout": fanout = Integer.parseInt(v); break;
        case "--fanout-msgs": fanoutMsgs = Integer.parseInt(v); break;
        case "--fanout-rate": fanoutRate = Integer.parseInt(v); break;
        case "--qos": qos = Integer.parseInt(v); break;
        case "--zero-msgs": zeroMsgs = Integer.parseInt(v); break;
        case "--routes": routes = Integer.parseInt(v); break;
        case "--route-clients": routeClients = Integer.parseInt(v); break;
        case "--filters-per-packet": filtersPerPacket = Integer.parseInt(v); break;
        case "--converge-limit-ms": convergeLimitMs = Long.parseLong(v); break;
        default: throw new IllegalArgumentException("unknown option " + a + " (see --help)");
      }
    }
    if (qos < 0 || qos > 1) {
      throw new IllegalArgumentException("--qos must be 0 or 1");
    }
  }

  private int run() throws Exception {
    transport = Transport.create(2, true);
    bootstrap = new Bootstrap().group(transport.group).channel(transport.channelClass)
        .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    lc = new LinkedClusters(LinkTimings.DEFAULT, "A", "B").link("A", "B", "bench/#").link("B", "A");
    int failed = 0;
    try {
      lc.start("A");
      lc.start("B");
      log("clusters A (port %d) and B (port %d) started; waiting for both links", lc.port("A"), lc.port("B"));
      awaitRunning("A", "B", 30_000);
      awaitRunning("B", "A", 30_000);
      log("links running");
      List<BenchClient> fanSubs = new ArrayList<>();
      try {
        if (phases.contains("fanout") || phases.contains("zero")) {
          fanSubs = connectFanoutSubscribers();
        }
        if (phases.contains("fanout")) {
          fanout(fanSubs);
        }
        if (phases.contains("zero")) {
          zeroCross();
        }
      } finally {
        closeAll(fanSubs);
      }
      if (phases.contains("routes")) {
        routes();
      }
      if (phases.contains("restart")) {
        restart();
      }
    } catch (Exception e) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("phase", "setup");
      r.put("status", "fail");
      r.put("error", String.valueOf(e.getMessage()).replaceAll("\\s+", "_"));
      print(r);
      e.printStackTrace();
      failed++;
    } finally {
      try {
        lc.close();
      } catch (Exception e) {
        log("closing the clusters: %s", e);
      }
      transport.close();
    }
    for (Map<String, Object> r : results) {
      if (!"ok".equals(r.get("status"))) {
        failed++;
      }
    }
    return failed == 0 ? 0 : 1;
  }

  // ------------------------------------------------------------------------------------------ fan-out

  private String fanTopic;

  private List<BenchClient> connectFanoutSubscribers() throws Exception {
    String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    fanTopic = "bench/fan/" + id;
    ShapeRun run = new ShapeRun("fanout-" + fanout, MqttQoS.valueOf(qos), 64, 4, fanout, 0);
    fanRun = run;
    List<BenchClient> subs = new ArrayList<>();
    long t0 = System.nanoTime();
    Semaphore inFlight = new Semaphore(200);
    for (int i = 0; i < fanout; i++) {
      if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("connect stalled at " + i);
      }
      BenchClient c = new BenchClient("lsb" + id + "s" + i, run, loadOptions(lc.port("A")), fanTopic,
          MqttQoS.valueOf(qos), null, null);
      subs.add(c);
      c.ready.whenComplete((x, e) -> inFlight.release());
      c.connect(bootstrap, "127.0.0.1", lc.port("A"));
    }
    for (BenchClient c : subs) {
      c.ready.get(60, TimeUnit.SECONDS);
    }
    log("fanout: %d subscribers on A connected and SUBACKed in %d ms", fanout, (System.nanoTime() - t0) / 1_000_000);
    return subs;
  }

  private ShapeRun fanRun;

  private void fanout(List<BenchClient> subs) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("phase", "fanout-" + fanout);
    r.put("qos", qos);
    r.put("subs", fanout);
    ShapeRun run = fanRun;
    BenchClient pub = new BenchClient("lsbfanpub", run, loadOptions(lc.port("B")), null, null, fanTopic,
        MqttQoS.valueOf(qos));
    List<BenchClient> pubs = List.of(pub);
    try {
      pub.connect(bootstrap, "127.0.0.1", lc.port("B"));
      pub.ready.get(30, TimeUnit.SECONDS);
      long routeWait = probe(pub, subs, 30_000);
      r.put("route_wait_ms", routeWait);
      Counters before = settledCounters();
      // every message of the run is "measured": flag 1
      run.phase = ShapeRun.MEASURE;
      long tickNanos = Math.max(1_000_000L, 1_000_000_000L / fanoutRate);
      long publishMs = fanoutMsgs * 1000L / fanoutRate;
      long t0 = System.nanoTime();
      pub.ch.eventLoop().execute(() -> pub.startPaced(fanoutRate, tickNanos, 0));
      // stop once the wanted count went out (the pacer stops at the next tick after STOP)
      long deadline = t0 + (publishMs + 10_000) * 1_000_000L;
      while (pub.onLoop(() -> pub.sentMeasured) < fanoutMsgs && System.nanoTime() < deadline) {
        MqttLoad.sleepMs(2);
      }
      run.phase = ShapeRun.STOP;
      long sentAt = System.nanoTime();
      long sent = pub.onLoop(() -> pub.sentMeasured);
      long throttled = pub.onLoop(() -> pub.throttled);
      long expected = sent * fanout;
      drain(run, expected, 30_000);
      long drainedAt = System.nanoTime();
      Counters after = settledCounters();

      long deliveries = 0;
      long min = Long.MAX_VALUE;
      long max = 0;
      long lastRecv = 0;
      LatencyHistogram h = new LatencyHistogram();
      for (BenchClient s : subs) {
        Object[] c = s.onLoop(() -> new Object[] {s.hist.copy(), s.measuredReceived, s.lastMeasuredRecvNanos});
        long got = (Long) c[1];
        h.add((LatencyHistogram) c[0]);
        deliveries += got;
        min = Math.min(min, got);
        max = Math.max(max, got);
        lastRecv = Math.max(lastRecv, (Long) c[2]);
      }
      long matched = after.matched - before.matched;
      long success = after.success - before.success;
      long received = after.received - before.received;
      r.put("published", sent);
      r.put("link_matched", matched);
      r.put("link_success", success);
      r.put("link_failed", after.failed - before.failed);
      r.put("link_dropped", after.linkDropped - before.linkDropped);
      r.put("a_received", received);
      r.put("a_dropped", after.inboundDropped - before.inboundDropped);
      r.put("copies_per_msg", sent == 0 ? 0.0 : (double) received / sent);
      r.put("deliveries", deliveries);
      r.put("expected", expected);
      r.put("min_per_sub", min == Long.MAX_VALUE ? 0 : min);
      r.put("max_per_sub", max);
      r.put("throttled", throttled);
      double spanS = Math.max(1e-3, (Math.max(lastRecv, sentAt) - t0) / 1e9);
      r.put("deliveries_per_s", Math.round(deliveries / spanS));
      r.put("drain_ms", (drainedAt - sentAt) / 1_000_000);
      r.put("p50_us", h.percentile(50));
      r.put("p99_us", h.percentile(99));
      r.put("p999_us", h.percentile(99.9));
      r.put("max_us", h.maxMicros());
      r.put("errors", run.errors.get());
      boolean ok = sent >= fanoutMsgs && matched == sent && success == sent && received == sent
          && deliveries == expected && min == sent && max == sent;
      r.put("status", ok ? "ok" : "fail");
      if (!ok) {
        r.put("error", "one_copy_per_message_or_full_delivery_violated");
      }
    } catch (Exception e) {
      r.put("status", "fail");
      r.put("error", String.valueOf(e.getMessage()).replaceAll("\\s+", "_"));
    } finally {
      closeAll(pubs);
    }
    print(r);
  }

  // ------------------------------------------------------------------------------------------ zero cross

  private void zeroCross() throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("phase", "zero-cross");
    r.put("qos", qos);
    String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    String topic = "bench/nobody-on-a/" + id;
    ShapeRun run = new ShapeRun("zero-cross", MqttQoS.valueOf(qos), 64, 4, 1, 0);
    // a subscriber on B itself: proves the messages were published and routed on B
    BenchClient localSub = new BenchClient("lsbzs" + id, run, loadOptions(lc.port("B")), topic, MqttQoS.valueOf(qos),
        null, null);
    BenchClient pub = new BenchClient("lsbzp" + id, run, loadOptions(lc.port("B")), null, null, topic,
        MqttQoS.valueOf(qos));
    List<BenchClient> clients = List.of(localSub, pub);
    try {
      localSub.connect(bootstrap, "127.0.0.1", lc.port("B"));
      localSub.ready.get(30, TimeUnit.SECONDS);
      pub.connect(bootstrap, "127.0.0.1", lc.port("B"));
      pub.ready.get(30, TimeUnit.SECONDS);
      r.put("b_routes_from_a", lc.inbound("B", "A").routes());
      Counters before = settledCounters();
      run.phase = ShapeRun.MEASURE;
      int rate = 1000;
      pub.ch.eventLoop().execute(() -> pub.startPaced(rate, 1_000_000L, 0));
      long deadline = System.nanoTime() + (zeroMsgs * 1000L / rate + 10_000) * 1_000_000L;
      while (pub.onLoop(() -> pub.sentMeasured) < zeroMsgs && System.nanoTime() < deadline) {
        MqttLoad.sleepMs(2);
      }
      run.phase = ShapeRun.STOP;
      long sent = pub.onLoop(() -> pub.sentMeasured);
      drain(run, sent, 15_000);
      MqttLoad.sleepMs(500); // anything that did cross would be counted by now
      Counters after = settledCounters();
      long localGot = localSub.onLoop(() -> localSub.measuredReceived);
      long matched = after.matched - before.matched;
      long received = after.received - before.received;
      long dropped = after.inboundDropped - before.inboundDropped;
      r.put("published", sent);
      r.put("b_local_received", localGot);
      r.put("link_matched", matched);
      r.put("link_success", after.success - before.success);
      r.put("a_received", received);
      r.put("a_dropped", dropped);
      boolean ok = sent >= zeroMsgs && localGot == sent && matched == 0 && received == 0 && dropped == 0;
      r.put("status", ok ? "ok" : "fail");
      if (!ok) {
        r.put("error", "messages_crossed_or_not_published");
      }
    } catch (Exception e) {
      r.put("status", "fail");
      r.put("error", String.valueOf(e.getMessage()).replaceAll("\\s+", "_"));
    } finally {
      closeAll(clients);
    }
    print(r);
  }

  // ------------------------------------------------------------------------------------------ 100k routes

  private List<String> routeFilters(String prefix) {
    List<String> filters = new ArrayList<>(routes);
    for (int i = 0; i < routes; i++) {
      filters.add(prefix + "/" + (i / 1000) + "/" + i);
    }
    return filters;
  }

  private List<BulkSubscriber> routeSubs = List.of();

  private void routes() throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("phase", "routes-" + routes);
    try {
      // the fan-out subscribers are gone: wait until B's table has none of A's routes (unsubscribes replicate too)
      long base = awaitRoutes(0, 10_000) ? 0 : lc.inbound("B", "A").routes();
      r.put("b_routes_before", base);
      Subscribed s = subscribeAll(lc.port("A"), routeFilters("bench/r"));
      routeSubs = s.clients;
      putSubscribe(r, s);
      long target = base + routes;
      long converged = awaitRoutesTimed(target, s.lastSubackNanos, 30_000);
      putConvergence(r, s.lastSubackNanos, s.firstSendNanos, converged, target);
    } catch (Exception e) {
      r.put("status", "fail");
      r.put("error", String.valueOf(e.getMessage()).replaceAll("\\s+", "_"));
    }
    print(r);
  }

  private void putSubscribe(Map<String, Object> r, Subscribed s) {
    r.put("clients", routeClients);
    r.put("filters_per_packet", filtersPerPacket);
    r.put("subscribe_ms", (s.lastSubackNanos - s.firstSendNanos) / 1_000_000);
    r.put("suback_refused", s.refused);
  }

  /** Adds the convergence fields; {@code converged} = nanoTime B reached the target, or -1. */
  private void putConvergence(Map<String, Object> r, long fromNanos, long firstSendNanos, long converged,
      long target) throws Exception {
    InboundLinkStats st = lc.inbound("B", "A");
    r.put("b_routes", st.routes());
    r.put("b_actors", st.actors());
    r.put("target_routes", target);
    if (converged < 0) {
      r.put("converge_ms", -1);
      r.put("status", "fail");
      r.put("error", "B_did_not_converge_within_30s");
      return;
    }
    long ms = (converged - fromNanos) / 1_000_000;
    r.put("converge_ms", ms);
    if (firstSendNanos > 0) {
      r.put("total_ms_from_first_subscribe", (converged - firstSendNanos) / 1_000_000);
    }
    r.put("limit_ms", convergeLimitMs);
    r.put("target_met", ms <= convergeLimitMs);
    r.put("status", "ok");
  }

  // ------------------------------------------------------------------------------------------ restart

  private void restart() throws Exception {
    // (1) stop A, start it again, wait for its link, then resubscribe: incremental route ops
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("phase", "restart-resubscribe");
    try {
      InboundLinkStats b0 = lc.inbound("B", "A");
      r.put("b_routes_while_a_up", b0.routes());
      // A goes away with its clients and their subscriptions; B keeps A's routes until A's new actor replaces them
      lc.stop("A");
      long stopped = System.nanoTime();
      closeBulk(routeSubs);
      routeSubs = List.of();
      lc.start("A");
      long started = System.nanoTime();
      long online = awaitState("A", "B", 30_000, "online");
      r.put("a_restart_ms", (started - stopped) / 1_000_000);
      r.put("link_online_after_start_ms", online < 0 ? -1 : (online - started) / 1_000_000);
      r.put("b_routes_after_reconnect", lc.inbound("B", "A").routes());
      Subscribed s = subscribeAll(lc.port("A"), routeFilters("bench/r"));
      routeSubs = s.clients;
      putSubscribe(r, s);
      long converged = awaitRoutesTimed(routes, s.lastSubackNanos, 30_000);
      putConvergence(r, s.lastSubackNanos, s.firstSendNanos, converged, routes);
      if (online >= 0) {
        r.put("from_link_online_ms", converged < 0 ? -1 : (converged - online) / 1_000_000);
      }
    } catch (Exception e) {
      r.put("status", "fail");
      r.put("error", String.valueOf(e.getMessage()).replaceAll("\\s+", "_"));
    }
    print(r);

    // (2) subscriptions made while A's link is held down; then the link reconnects: bootstrap path
    r = new LinkedHashMap<>();
    r.put("phase", "restart-bootstrap");
    int proxyPort = Ports.free();
    try (TcpProxy proxy = new TcpProxy(proxyPort, lc.port("B"))) {
      proxy.cut();
      lc.stop("A");
      closeBulk(routeSubs);
      routeSubs = List.of();
      JsonObject conf = lc.configJson("A");
      conf.getJsonObject("cluster").getJsonArray("links").getJsonObject(0).put("server", "127.0.0.1:" + proxyPort);
      lc.start("A", ConfigLoader.fromJson(conf));
      r.put("b_routes_while_a_link_down", lc.inbound("B", "A").routes());
      Subscribed s = subscribeAll(lc.port("A"), routeFilters("bench/r"));
      routeSubs = s.clients;
      putSubscribe(r, s);
      LinkStatus st = lc.status("A", "B");
      r.put("a_link_state_before_restore", st.routeSyncState());
      proxy.restore();
      long restored = System.nanoTime();
      // the reconnect comes at A's next attempt (LinkTimings.DEFAULT: 5 s after the previous one, + jitter)
      long reconnected = awaitState("A", "B", 15_000, "handshaking", "bootstrapping", "online");
      if (reconnected < 0) {
        throw new IllegalStateException("A's link did not reconnect within 15 s of the proxy restore");
      }
      r.put("reconnect_after_restore_ms", (reconnected - restored) / 1_000_000);
      // B dropped the previous incarnation's routes at actor_init (answered before A leaves handshaking)
      awaitState("A", "B", 15_000, "bootstrapping", "online");
      long converged = awaitRoutesTimed(routes, reconnected, 30_000);
      putConvergence(r, reconnected, -1, converged, routes);
      long online = awaitState("A", "B", 15_000, "online");
      r.put("a_online_after_reconnect_ms", online < 0 ? -1 : (online - reconnected) / 1_000_000);
      closeBulk(routeSubs);
      routeSubs = List.of();
    } catch (Exception e) {
      r.put("status", "fail");
      r.put("error", String.valueOf(e.getMessage()).replaceAll("\\s+", "_"));
    }
    print(r);
  }

  // ------------------------------------------------------------------------------------------ link counters

  private static final class Counters {
    long matched;
    long success;
    long failed;
    long linkDropped;
    long received;
    long inboundDropped;
  }

  /** B's forwarding counters of its link to A and A's inbound counters from B, once nothing is in flight. */
  private Counters settledCounters() throws Exception {
    Counters prev = null;
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      ForwardingMetrics f = lc.status("B", "A").forwarding();
      InboundLinkStats in = lc.inbound("A", "B");
      Counters c = new Counters();
      c.matched = f.matched();
      c.success = f.success();
      c.failed = f.failed();
      c.linkDropped = f.dropped();
      c.received = in.received();
      c.inboundDropped = in.dropped();
      boolean idle = f.inflight() == 0 && f.queuing() == 0;
      if (idle && prev != null && prev.matched == c.matched && prev.received == c.received
          && prev.success == c.success) {
        return c;
      }
      if (System.nanoTime() > deadline) {
        log("link counters did not settle in 10 s; using the last reading");
        return c;
      }
      prev = idle ? c : null;
      MqttLoad.sleepMs(200);
    }
  }

  private void awaitRunning(String cluster, String link, long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (!"running".equals(lc.status(cluster, link).status())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(cluster + "'s link to " + link + " not running after " + timeoutMs + " ms: "
            + lc.status(cluster, link));
      }
      MqttLoad.sleepMs(50);
    }
  }

  /** Polls the link's route-sync state; returns the nanoTime one of {@code states} was first seen, or -1. */
  private long awaitState(String cluster, String link, long timeoutMs, String... states) throws Exception {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (System.nanoTime() < deadline) {
      String s = lc.status(cluster, link).routeSyncState();
      for (String want : states) {
        if (want.equals(s)) {
          return System.nanoTime();
        }
      }
      MqttLoad.sleepMs(POLL_MS);
    }
    return -1;
  }

  private boolean awaitRoutes(long target, long timeoutMs) throws Exception {
    return awaitRoutesTimed(target, System.nanoTime(), timeoutMs) >= 0;
  }

  /** Polls B's count of A's routes every 5 ms; returns the nanoTime it equalled {@code target}, or -1. */
  private long awaitRoutesTimed(long target, long fromNanos, long timeoutMs) throws Exception {
    long deadline = fromNanos + timeoutMs * 1_000_000L;
    long lastLog = System.nanoTime();
    while (true) {
      int n = lc.inbound("B", "A").routes();
      long now = System.nanoTime();
      if (n == target) {
        return now;
      }
      if (now > deadline) {
        log("B has %d of A's routes, want %d: giving up", n, target);
        return -1;
      }
      if (now - lastLog > 1_000_000_000L) {
        lastLog = now;
        log("B has %d of A's routes, want %d", n, target);
      }
      MqttLoad.sleepMs(POLL_MS);
    }
  }

  // ------------------------------------------------------------------------------------------ clients

  private LoadOptions loadOptions(int port) {
    LoadOptions o = new LoadOptions();
    o.port = port;
    o.keepAliveS = 60;
    return o;
  }

  /** Publishes probes until every subscriber got one; returns the ms that took. */
  private static long probe(BenchClient pub, List<BenchClient> subs, long timeoutMs) {
    long t0 = System.nanoTime();
    while (true) {
      int seen = 0;
      for (BenchClient s : subs) {
        if (s.probeSeen) {
          seen++;
        }
      }
      if (seen == subs.size()) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        MqttLoad.sleepMs(300); // let the last probes arrive
        return ms;
      }
      if (System.nanoTime() - t0 > timeoutMs * 1_000_000L) {
        throw new IllegalStateException("route_not_ready: " + seen + " of " + subs.size() + " subscribers got a probe");
      }
      pub.sendProbe();
      MqttLoad.sleepMs(20);
    }
  }

  private static void drain(ShapeRun run, long expected, long maxMs) {
    long start = System.nanoTime();
    long last = -1;
    long lastProgress = start;
    while (run.measuredReceived.get() < expected) {
      long now = System.nanoTime();
      long got = run.measuredReceived.get();
      if (got != last) {
        last = got;
        lastProgress = now;
      }
      if (now - lastProgress > 3_000_000_000L || now - start > maxMs * 1_000_000L) {
        log("drain: gave up with %d of %d deliveries", got, expected);
        return;
      }
      MqttLoad.sleepMs(10);
    }
  }

  private static void closeAll(List<BenchClient> clients) {
    List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
    for (BenchClient c : clients) {
      c.run.closing = true;
      io.netty.channel.ChannelFuture f = c.disconnect();
      if (f != null) {
        closing.add(f);
      }
    }
    for (io.netty.channel.ChannelFuture f : closing) {
      if (!f.awaitUninterruptibly(10, TimeUnit.SECONDS)) {
        f.channel().close();
      }
    }
  }

  // ------------------------------------------------------------------------------------------ bulk subscriber

  private static final class Subscribed {
    List<BulkSubscriber> clients;
    long firstSendNanos;
    long lastSubackNanos;
    int refused;
  }

  /** Subscribes {@code filters} on the broker at {@code port}, split over {@code routeClients} clients. */
  private Subscribed subscribeAll(int port, List<String> filters) throws Exception {
    List<BulkSubscriber> clients = new ArrayList<>();
    String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    for (int i = 0; i < routeClients; i++) {
      BulkSubscriber b = new BulkSubscriber("lsb" + id + "r" + i);
      b.connect(bootstrap, port);
      clients.add(b);
    }
    for (BulkSubscriber b : clients) {
      b.connected.get(30, TimeUnit.SECONDS);
    }
    Subscribed s = new Subscribed();
    s.clients = clients;
    int per = (filters.size() + routeClients - 1) / routeClients;
    s.firstSendNanos = System.nanoTime();
    for (int i = 0; i < routeClients; i++) {
      List<String> mine = filters.subList(Math.min(filters.size(), i * per), Math.min(filters.size(), (i + 1) * per));
      clients.get(i).subscribe(mine, filtersPerPacket);
    }
    for (BulkSubscriber b : clients) {
      b.done.get(60, TimeUnit.SECONDS);
      s.lastSubackNanos = Math.max(s.lastSubackNanos, b.lastSubackNanos);
      s.refused += b.refused.get();
    }
    log("subscribed %d filters with %d clients (%d per SUBSCRIBE) in %d ms", filters.size(), routeClients,
        filtersPerPacket, (s.lastSubackNanos - s.firstSendNanos) / 1_000_000);
    return s;
  }

  private static void closeBulk(List<BulkSubscriber> clients) {
    for (BulkSubscriber b : clients) {
      b.close();
    }
  }

  /** A raw MQTT 3.1.1 client that sends SUBSCRIBE packets with many filters each (all pipelined). */
  private static final class BulkSubscriber extends ChannelInboundHandlerAdapter {
    final String clientId;
    final CompletableFuture<Void> connected = new CompletableFuture<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicLong pending = new AtomicLong();
    volatile long lastSubackNanos;
    volatile Channel ch;

    BulkSubscriber(String clientId) {
      this.clientId = clientId;
    }

    void connect(Bootstrap base, int port) {
      Bootstrap b = base.clone().handler(new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel c) {
          c.pipeline().addLast(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE, BulkSubscriber.this);
        }
      });
      b.connect("127.0.0.1", port).addListener((ChannelFutureListener) f -> {
        if (!f.isSuccess()) {
          connected.completeExceptionally(f.cause());
        }
      });
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ch = ctx.channel();
      ctx.writeAndFlush(MqttMessageBuilders.connect().clientId(clientId).protocolVersion(MqttVersion.MQTT_3_1_1)
          .cleanSession(true).keepAlive(0).build());
    }

    void subscribe(List<String> filters, int perPacket) {
      int packets = (filters.size() + perPacket - 1) / perPacket;
      pending.set(packets);
      if (packets == 0) {
        lastSubackNanos = System.nanoTime();
        done.complete(null);
        return;
      }
      ch.eventLoop().execute(() -> {
        for (int p = 0; p < packets; p++) {
          var b = MqttMessageBuilders.subscribe().messageId(p + 1);
          for (String f : filters.subList(p * perPacket, Math.min(filters.size(), (p + 1) * perPacket))) {
            b.addSubscription(MqttQoS.AT_MOST_ONCE, f);
          }
          ch.write(b.build(), ch.voidPromise());
        }
        ch.flush();
      });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      MqttMessage m = (MqttMessage) msg;
      switch (m.fixedHeader().messageType()) {
        case CONNACK:
          if (((MqttConnAckMessage) m).variableHeader().connectReturnCode()
              == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            connected.complete(null);
          } else {
            connected.completeExceptionally(new IllegalStateException("CONNACK refused"));
          }
          break;
        case SUBACK:
          for (int code : ((MqttSubAckMessage) m).payload().reasonCodes()) {
            if (code >= 0x80) {
              refused.incrementAndGet();
            }
          }
          if (pending.decrementAndGet() == 0) {
            lastSubackNanos = System.nanoTime();
            done.complete(null);
          }
          break;
        default:
          break;
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      connected.completeExceptionally(new IllegalStateException(clientId + " closed"));
      done.completeExceptionally(new IllegalStateException(clientId + " closed before all SUBACKs"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    void close() {
      Channel c = ch;
      if (c != null && c.isActive()) {
        c.writeAndFlush(MqttMessage.DISCONNECT).addListener(ChannelFutureListener.CLOSE);
        c.closeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
      }
    }
  }

  // ------------------------------------------------------------------------------------------ output

  private void print(Map<String, Object> r) {
    results.add(r);
    StringBuilder sb = new StringBuilder("RESULT");
    for (Map.Entry<String, Object> e : r.entrySet()) {
      Object v = e.getValue();
      String s = v instanceof Double ? String.format(Locale.ROOT, "%.3f", (Double) v) : String.valueOf(v);
      sb.append(' ').append(e.getKey()).append('=').append(s.replaceAll("\\s+", "_"));
    }
    System.out.println(sb);
    System.out.flush();
  }

  static void log(String fmt, Object... args) {
    System.err.println("# " + String.format(Locale.ROOT, fmt, args));
  }
}
