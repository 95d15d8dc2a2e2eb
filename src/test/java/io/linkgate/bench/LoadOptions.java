package io.linkgate.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command-line options of {@link MqttLoad}. */
final class LoadOptions {

  static final List<String> ALL_SHAPES = List.of(
      "p2p-qos0-max", "p2p-qos1-max", "p2p-qos0-10k", "p2p-qos1-10k", "fanout-100", "pubs-1000", "idle-10k");

  String host = "127.0.0.1";
  int port = 1883;
  /** Broker the subscribers of the messaging shapes connect to; null/-1 = the same as --host/--port. */
  String subHost;
  int subPort = -1;
  /** Probe the path (publisher → subscribers) before a messaging shape starts; implied when subscribers use
   * another broker than publishers (a bridge or a cluster link must have the route first). */
  boolean probe;
  int probeTimeoutS = 10;
  /** Processes whose CPU time is read at the start and end of the measured window: name → pid. */
  java.util.Map<String, Long> cpuPids = new java.util.LinkedHashMap<>();
  List<String> shapes = ALL_SHAPES;
  int durationS = 10;
  int warmupS = 2;
  /** Uncounted generator warm-up before the first messaging shape of the JVM (C2 compiles the hot path). */
  int prewarmS = 9;
  int payload = 64;
  String label = "broker";
  /** 4 = MQTT 3.1.1, 5 = MQTT 5. */
  int mqtt = 4;
  /** Closed-loop window: max messages sent but not yet received (and, for QoS1, not yet PUBACKed). */
  int window = 1000;
  /** Rate of the fixed-rate p2p shapes, msg/s. */
  int rate = 10_000;
  /** Subscribers in the fanout shape. */
  int fanout = 100;
  /** Publishers in the pubs shape, and the rate of each. */
  int pubs = 1000;
  int pubRate = 10;
  /** Wildcard subscribers in the pubs shape. */
  int pubsSubs = 1;
  /** Clients in the idle shape, and how many handshakes may be in flight at once. */
  int idleClients = 10_000;
  int connectConcurrency = 200;
  /** How long the idle shape stays idle; -1 means the same as --duration. */
  int idleS = -1;
  /** Event-loop threads. One by default: a publisher and its subscriber then share each wake-up, which halves
   * the generator's CPU per message at a fixed rate on a 2-core host shared with the broker. */
  int threads = 1;
  boolean epoll = true;
  long brokerPid = -1;
  boolean allowRemote;
  int keepAliveS = 60;

  static String usage() {
    return String.join("\n",
        "usage: MqttLoad [options]",
        "  --host H                 broker host (default 127.0.0.1; loopback only unless --allow-remote)",
        "  --port N                 broker port (default 1883)",
        "  --sub-host H, --sub-port N  broker of the subscribers of the messaging shapes (default: --host/--port);",
        "                           publishers stay on --host/--port, e.g. two bridged or linked brokers.",
        "                           Latency stays valid: both sides are in this JVM (one clock). Implies --probe",
        "  --probe                  before each messaging shape, publish probe messages (not counted) until every",
        "                           subscriber got one, so a route that a bridge/link propagates asynchronously",
        "                           exists before the warm-up; RESULT gets route_wait_ms",
        "  --probe-timeout S        give up (status=fail error=route_not_ready) after S seconds (default 10)",
        "  --cpu-pids N=PID,...     read these processes' CPU time (/proc) at the start and end of the measured",
        "                           window of messaging shapes; RESULT gets cpu_us_per_msg_N (CPU per message sent",
        "                           in the window) and jit_us_per_msg_N (the part of it in JIT compiler threads)",
        "  --shapes a,b,c           any of " + String.join(",", ALL_SHAPES) + " or 'all' (default all)",
        "  --duration S             measured seconds per shape (default 10)",
        "  --warmup S               warm-up seconds per shape, not measured (default 2)",
        "  --prewarm S              before the first messaging shape, S seconds of uncounted traffic (closed-loop",
        "                           QoS 1, closed-loop QoS 0, QoS 1 at --rate; a third each) so the generator's hot",
        "                           path is JIT-compiled before anything is measured (default 9; 0 = off)",
        "  --payload B              payload bytes, >= 17 (default 64; carries send nanoTime, seq, phase)",
        "  --label NAME             target label printed in RESULT lines (default broker)",
        "  --mqtt 3.1.1|5           protocol version (default 3.1.1)",
        "  --window N               closed-loop window, in deliveries, of the *-max shapes and fanout-100",
        "                           (default 1000: p2p keeps 1000 messages in flight, fanout-100 keeps 10)",
        "  --rate N                 msg/s of the *-10k shapes (default 10000)",
        "  --fanout N               subscribers of fanout-100 (default 100)",
        "  --pubs N --pub-rate R    publishers and per-publisher msg/s of pubs-1000 (default 1000, 10)",
        "  --pubs-subs N            wildcard subscribers of pubs-1000 (default 1)",
        "  --clients N              clients of idle-10k (default 10000)",
        "  --connect-concurrency N  handshakes in flight while connecting (default 200)",
        "  --idle S                 idle seconds of idle-10k (default = --duration)",
        "  --broker-pid PID         sample the broker's VmRSS (and, for a JVM, live heap via jcmd/jstat)",
        "                           in idle-10k",
        "  --threads N              event-loop threads (default 1: publisher and subscriber share wake-ups)",
        "  --no-epoll               force NIO even if native epoll is on the classpath",
        "  --keepalive S            MQTT keep-alive (default 60; PINGREQ every S/2)");
  }

  static LoadOptions parse(String[] args) {
    LoadOptions o = new LoadOptions();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        v = a.substring(eq + 1);
        a = a.substring(0, eq);
      }
      switch (a) {
        case "-h":
        case "--help":
          System.out.println(usage());
          System.exit(0);
          break;
        case "--no-epoll":
          o.epoll = false;
          continue;
        case "--allow-remote":
          o.allowRemote = true;
          continue;
        case "--probe":
          o.probe = true;
          continue;
        default:
          break;
      }
      if (v == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + a);
        }
        v = args[++i];
      }
      switch (a) {
        case "--host": o.host = v; break;
        case "--port": o.port = intArg(a, v, 1, 65535); break;
        case "--sub-host": o.subHost = v; break;
        case "--sub-port": o.subPort = intArg(a, v, 1, 65535); break;
        case "--probe-timeout": o.probeTimeoutS = intArg(a, v, 1, 600); break;
        case "--cpu-pids":
          for (String kv : v.split(",")) {
            String[] p = kv.split("=", 2);
            if (p.length != 2 || !p[0].matches("[A-Za-z0-9_-]+")) {
              throw new IllegalArgumentException("--cpu-pids wants NAME=PID,..., got " + kv);
            }
            o.cpuPids.put(p[0], Long.parseLong(p[1].trim()));
          }
          break;
        case "--shapes": o.shapes = shapes(v); break;
        case "--duration": o.durationS = intArg(a, v, 1, 3600); break;
        case "--warmup": o.warmupS = intArg(a, v, 0, 600); break;
        case "--prewarm": o.prewarmS = intArg(a, v, 0, 600); break;
        case "--payload": o.payload = intArg(a, v, 17, 1 << 20); break;
        case "--label": o.label = v.replaceAll("\\s+", "_"); break;
        case "--mqtt": o.mqtt = mqtt(v); break;
        case "--window": o.window = intArg(a, v, 1, 60_000); break;
        case "--rate": o.rate = intArg(a, v, 1, 10_000_000); break;
        case "--fanout": o.fanout = intArg(a, v, 1, 10_000); break;
        case "--pubs": o.pubs = intArg(a, v, 1, 15_000); break;
        case "--pub-rate": o.pubRate = intArg(a, v, 1, 1_000_000); break;
        case "--pubs-subs": o.pubsSubs = intArg(a, v, 1, 1000); break;
        case "--clients": o.idleClients = intArg(a, v, 1, 60_000); break;
        case "--connect-concurrency": o.connectConcurrency = intArg(a, v, 1, 10_000); break;
        case "--idle": o.idleS = intArg(a, v, 0, 3600); break;
        case "--broker-pid": o.brokerPid = Long.parseLong(v); break;
        case "--threads": o.threads = intArg(a, v, 1, 64); break;
        case "--keepalive": o.keepAliveS = intArg(a, v, 0, 65535); break;
        default: throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
      }
    }
    if (!o.allowRemote && !isLoopback(o.host)) {
      throw new IllegalArgumentException("refusing non-loopback host " + o.host + " (use --allow-remote)");
    }
    if (!o.allowRemote && !isLoopback(o.subHost())) {
      throw new IllegalArgumentException("refusing non-loopback host " + o.subHost() + " (use --allow-remote)");
    }
    return o;
  }

  String subHost() {
    return subHost != null ? subHost : host;
  }

  int subPort() {
    return subPort > 0 ? subPort : port;
  }

  /** Whether subscribers use another broker than publishers. */
  boolean splitBrokers() {
    return subPort() != port || !subHost().equals(host);
  }

  /** Whether messaging shapes probe the path before they start. */
  boolean probing() {
    return probe || splitBrokers();
  }

  int idleSeconds() {
    return idleS >= 0 ? idleS : durationS;
  }

  String mqttName() {
    return mqtt == 5 ? "5" : "3.1.1";
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  private static int mqtt(String v) {
    switch (v) {
      case "3.1.1":
      case "311":
      case "4":
        return 4;
      case "5":
      case "5.0":
        return 5;
      default:
        throw new IllegalArgumentException("--mqtt must be 3.1.1 or 5, got " + v);
    }
  }

  private static List<String> shapes(String v) {
    if (v.equals("all")) {
      return ALL_SHAPES;
    }
    List<String> out = new ArrayList<>();
    for (String s : v.split(",")) {
      String t = s.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (!ALL_SHAPES.contains(t)) {
        throw new IllegalArgumentException("unknown shape " + t + "; known: " + ALL_SHAPES);
      }
      out.add(t);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no shapes in " + Arrays.toString(v.split(",")));
    }
    return out;
  }

  private static int intArg(String name, String v, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs an integer, got " + v);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + n);
    }
    return n;
  }
}
