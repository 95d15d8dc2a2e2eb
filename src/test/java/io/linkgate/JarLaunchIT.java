package io.linkgate;

import io.linkgate.testutil.PahoV5Inbox;
import io.linkgate.testutil.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The shaded JAR as an operator runs it: separate process, real config file, Debian's mosquitto clients. */
class JarLaunchIT {
  Process linkgate;
  final List<String> output = new CopyOnWriteArrayList<>();

  @AfterEach
  void kill() throws Exception {
    if (linkgate != null) {
      linkgate.destroy();
      if (!linkgate.waitFor(10, TimeUnit.SECONDS)) {
        linkgate.destroyForcibly();
      }
    }
  }

  static String jar() {
    String jar = System.getProperty("linkgate.jar", "target/linkgate.jar");
    assertThat(Path.of(jar)).as("the shaded jar (mvn package)").exists();
    return jar;
  }

  /** Starts the jar on {@code conf}; every line it prints goes to {@link #output}, read by the returned thread. */
  Thread launch(Path conf) throws Exception {
    linkgate = new ProcessBuilder("java", "-Xmx256m", "-jar", jar(), "-c", conf.toString())
      .redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(linkgate.getInputStream(),
        StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          output.add(line);
        }
      } catch (Exception ignored) {
        // process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  /** The first line printed that {@code matches}, waiting for it at most {@code seconds}. */
  String awaitLine(Predicate<String> matches, int seconds) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(seconds))
      .until(() -> output.stream().anyMatch(matches));
    return output.stream().filter(matches).findFirst().orElseThrow();
  }

  @Test
  void startsOnAConfigFileAndServesMosquittoClients(@TempDir Path dir) throws Exception {
    int mqtt = Ports.free();
    int ws = Ports.free();
    Path conf = dir.resolve("linkgate.conf");
    Files.writeString(conf, """
      node { name = "it@127.0.0.1", data_dir = "%s" }
      cluster { name = "it", links = [] }
      listeners.tcp.default.bind = "127.0.0.1:%d"
      listeners.ws.default.bind = "127.0.0.1:%d"
      api.enable = false
      """.formatted(dir.resolve("data"), mqtt, ws));
    launch(conf);
    assertThat(awaitLine(l -> l.contains("Linkgate ready"), 30))
      .contains("tcp:default=" + mqtt, "ws:default=" + ws);

    Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", "" + mqtt, "-t", "tour/#", "-C", "1",
      "-v", "-W", "10").redirectErrorStream(true).start();
    // the subscriber's SUBSCRIBE is not visible from here: publish until it has its one message (-C 1), bounded
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    do {
      Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", "" + mqtt, "-t", "tour/hello", "-m",
        "world", "-q", "1").redirectErrorStream(true).start();
      assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(pub.exitValue()).isZero();
    } while (!sub.waitFor(200, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline);
    assertThat(sub.isAlive()).as("mosquitto_sub got its message").isFalse();
    assertThat(new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
      .isEqualTo("tour/hello world");

    // SIGHUP re-reads the file even when it looks unchanged
    Process hup = new ProcessBuilder("kill", "-HUP", "" + linkgate.pid()).start();
    assertThat(hup.waitFor(5, TimeUnit.SECONDS)).isTrue();
    awaitLine(l -> l.contains("config reloaded [trigger: sighup, result: unchanged"), 5);
    assertThat(linkgate.isAlive()).isTrue();
  }

  /**
   * SIGTERM, as systemd and docker stop send it: an MQTT 5 client gets DISCONNECT 0x8B (Server shutting down)
   * before its socket closes, the log says when Linkgate has stopped, and the exit code is 143.
   */
  @Test
  void sigtermTellsMqtt5ClientsTheServerIsShuttingDown(@TempDir Path dir) throws Exception {
    int mqtt = Ports.free();
    int api = Ports.free();
    Path conf = dir.resolve("linkgate.conf");
    Files.writeString(conf, """
      node { name = "it@127.0.0.1", data_dir = "%s" }
      listeners.tcp.default.bind = "127.0.0.1:%d"
      listeners.ws.default.enable = false
      api.bind = "0.0.0.0:%d"
      """.formatted(dir.resolve("data"), mqtt, api));
    Thread reader = launch(conf);
    awaitLine(l -> l.startsWith("Linkgate ready"), 30);
    assertThat(output).filteredOn(l -> l.startsWith("Linkgate ready")).singleElement().asString()
      .contains("api: http://127.0.0.1:" + api + "/api/v5", "dashboard: http://127.0.0.1:" + api + "/");

    PahoV5Inbox inbox = new PahoV5Inbox(java.time.Duration.ofSeconds(20));
    org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(
      "tcp://127.0.0.1:" + mqtt, "sigterm-v5", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    client.setCallback(inbox);
    client.connect();
    try {
      // SIGTERM by kill(1): Process.destroy() would also close our end of its output, and the last lines with it
      Process term = new ProcessBuilder("kill", "-TERM", "" + linkgate.pid()).start();
      assertThat(term.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(inbox.disconnectReason().get(20, TimeUnit.SECONDS)).as("DISCONNECT reason code").isEqualTo(0x8B);
      assertThat(linkgate.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(linkgate.exitValue()).isEqualTo(143);
      reader.join(5000);
      assertThat(output).anyMatch(l -> l.contains("Linkgate stopped [took: "));
      assertThat(output).noneMatch(l -> l.contains("Exception"));
      // no known-harmless library warning at start; log lines carry an ISO-8601 time with its zone
      assertThat(output).noneMatch(l -> l.contains("MeterRegistry"));
      assertThat(output).filteredOn(l -> l.contains(" INFO ") || l.contains(" WARN ")).isNotEmpty()
        .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) .*"));
    } finally {
      client.close(true);
    }
  }

  /** What a process printed (stdout and stderr) and how it ended. */
  record Ended(int exitCode, String output, long millis) {
  }

  static Ended runToEnd(Path workDir, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-jar", Path.of(jar()).toAbsolutePath()
      .toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    long began = System.nanoTime();
    Process p = builder.start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        return e.toString();
      }
    });
    boolean ended = p.waitFor(40, TimeUnit.SECONDS);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
    if (!ended) {
      p.destroyForcibly();
    }
    assertThat(ended).as("the process ended within 40 s (it hung before)").isTrue();
    return new Ended(p.exitValue(), output.get(10, TimeUnit.SECONDS), millis);
  }

  /** A start that fails says why in one line, quickly, with no stack trace and no admin password for nothing. */
  static void assertFailedStart(Ended run, Path dataDir, String error) {
    assertThat(run.exitCode()).as(run.output()).isEqualTo(70);
    assertThat(run.output()).contains("error: " + error + "\n")
      .doesNotContain("Exception", "\tat ", "Initial API/dashboard credentials", "start failed: null");
    assertThat(dataDir.resolve("api-users.json")).doesNotExist();
    // the JVM's own start-up is most of it on a loaded machine; before the fix this took the 60 s timeout
    assertThat(run.millis()).as("time to exit").isLessThan(20_000);
  }

  @Test
  void mqttPortInUseFailsAtOnceWithTheListenerAndAddress(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Path conf = Files.writeString(dir.resolve("linkgate.conf"), """
        node.data_dir = "%s"
        listeners.tcp.default.bind = "127.0.0.1:%d"
        listeners.ws.default.bind = "127.0.0.1:%d"
        api.bind = "127.0.0.1:%d"
        """.formatted(dir.resolve("data"), taken.getLocalPort(), Ports.free(), Ports.free()));
      Ended run = runToEnd(dir, Map.of(), "-c", conf.toString());
      assertFailedStart(run, dir.resolve("data"), "cannot open listener tcp:default on 127.0.0.1:"
        + taken.getLocalPort() + ": Address already in use");
    }
  }

  @Test
  void apiPortInUseFailsAtOnceAndMakesNoAdminPassword(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int mqtt = Ports.free();
      Path conf = Files.writeString(dir.resolve("linkgate.conf"), """
        node.data_dir = "%s"
        listeners.tcp.default.bind = "127.0.0.1:%d"
        listeners.ws.default.bind = "127.0.0.1:%d"
        api.bind = "127.0.0.1:%d"
        """.formatted(dir.resolve("data"), mqtt, Ports.free(), taken.getLocalPort()));
      Ended run = runToEnd(dir, Map.of(), "-c", conf.toString());
      assertFailedStart(run, dir.resolve("data"), "cannot open the API on 127.0.0.1:" + taken.getLocalPort()
        + ": Address already in use");
      assertThat(Ports.listening(mqtt)).as("the MQTT listener opened first is closed again").isFalse();
    }
  }

  /** An empty file is the defaults; the environment moves the listeners off the shared default ports. */
  @Test
  void emptyConfigWithItsPortInUseFailsAtOnce(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Path conf = Files.writeString(dir.resolve("empty.conf"), "");
      Ended run = runToEnd(dir, Map.of(
        "LINKGATE__LISTENERS__TCP__DEFAULT__BIND", "127.0.0.1:" + taken.getLocalPort(),
        "LINKGATE__LISTENERS__WS__DEFAULT__BIND", "127.0.0.1:" + Ports.free(),
        "LINKGATE__API__BIND", "127.0.0.1:" + Ports.free(),
        "LINKGATE_LOG_FORMAT", "json"), "-c", conf.toString());
      assertFailedStart(run, dir.resolve("data"), "cannot open listener tcp:default on 127.0.0.1:"
        + taken.getLocalPort() + ": Address already in use");
      // LINKGATE_LOG_FORMAT=json: every log line is one JSON object
      List<String> logLines = run.output().lines().filter(l -> !l.startsWith("error: ")).toList();
      assertThat(logLines).isNotEmpty().allSatisfy(l -> {
        io.vertx.core.json.JsonObject event = new io.vertx.core.json.JsonObject(l);
        assertThat(event.getString("level")).isNotEmpty();
        assertThat(event.getString("formattedMessage")).isNotEmpty();
        assertThat(event.getLong("timestamp")).isPositive();
      });
    }
  }

  @Test
  void invalidConfigExitsNonZeroWithEveryError(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "cluster { name = \"a/b\" }\nlisteners.tcp.default.bind = \"nowhere:x\"\n");
    Process p = new ProcessBuilder(List.of("java", "-jar", jar(), "-c", conf.toString()))
      .redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).isEqualTo(78);
    assertThat(output).contains("cluster.name:", "listeners.tcp.default.bind:");
  }
}
