package io.linkgate.broker.interop;

import io.linkgate.broker.Broker;
import io.linkgate.broker.BrokerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's mosquitto_sub / mosquitto_pub (libmosquitto 2.0.x, an independent MQTT 3.1.1 and 5 implementation) against
 * the broker over real TCP sockets. Every test gets its own broker so the broker-side counters it waits on are its own.
 */
@Tag("slow")
class MosquittoClientsInteropTest {
  private static final String INSTALL = "apt-get install mosquitto-clients";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static String mosquittoSub;
  private static String mosquittoPub;

  private BrokerFixture broker;
  private final List<ExternalProcess> processes = new ArrayList<>();

  @BeforeAll
  static void tools() {
    mosquittoSub = ExternalProcess.require("mosquitto_sub", INSTALL);
    mosquittoPub = ExternalProcess.require("mosquitto_pub", INSTALL);
  }

  @BeforeEach
  void startBroker() throws Exception {
    broker = new BrokerFixture();
  }

  @AfterEach
  void stopAll() throws Exception {
    for (ExternalProcess p : processes) {
      p.close();
    }
    broker.close();
  }

  // ---- helpers ----

  private List<String> command(String tool, String version, String... args) {
    List<String> cmd = new ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p", String.valueOf(broker.tcpPort()),
      "-V", version));
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  /** Starts a mosquitto_sub that keeps running until it exits by itself (-C) or the test ends. */
  private ExternalProcess sub(String version, String... args) throws IOException {
    ExternalProcess p = ExternalProcess.start(command(mosquittoSub, version, args));
    processes.add(p);
    return p;
  }

  /** Runs mosquitto_pub to its end (for QoS > 0 that is after the broker acknowledged) and checks it succeeded. */
  private void pub(String version, String... args) throws Exception {
    pubLines(version, null, args);
  }

  /** mosquitto_pub -l: one message per stdin line over a single connection. */
  private void pubLines(String version, List<String> lines, String... args) throws Exception {
    List<String> cmd = command(mosquittoPub, version, args);
    if (lines != null) {
      cmd.add("-l");
    }
    ExternalProcess p = ExternalProcess.start(cmd);
    processes.add(p);
    if (lines != null) {
      p.stdin(String.join("\n", lines) + "\n");
    }
    int rc = p.awaitExit(WAIT);
    assertThat(rc).as("mosquitto_pub exit code%s", p.diagnostics()).isZero();
  }

  private void awaitSubscriptions(int n) throws Exception {
    MosquittoV5Clients.awaitBroker(broker, "subscription count", Broker::subscriptionCount, n);
  }

  private void awaitConnections(int n) throws Exception {
    MosquittoV5Clients.awaitBroker(broker, "connection count", Broker::connectionCount, n);
  }

  /** The lines {@code p} printed before {@code sentinel}; fails with its output when the sentinel does not come. */
  private static List<String> untilSentinel(ExternalProcess p, String sentinel) throws InterruptedException {
    List<String> got = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    String line;
    while (!sentinel.equals(line = p.nextLine(Duration.ofMillis(100)))) {
      if (line != null) {
        got.add(line);
      } else if (System.nanoTime() > deadline) {
        fail("no sentinel %s within %s, got %s%s", sentinel, WAIT, got, p.diagnostics());
      }
    }
    return got;
  }

  private static List<String> numbered(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).collect(Collectors.toList());
  }

  // ---- tests ----

  @ParameterizedTest(name = "{0} QoS {1}")
  @CsvSource({"mqttv311,0", "mqttv311,1", "mqttv311,2", "mqttv5,0", "mqttv5,1", "mqttv5,2"})
  void publishSubscribeEachQos(String version, int qos) throws Exception {
    String topic = "mq/" + qos + "/x";
    ExternalProcess sub = sub(version, "-t", "mq/" + qos + "/#", "-q", String.valueOf(qos), "-C", "5",
      "-F", "%t %q %r %p");
    awaitSubscriptions(1);
    pubLines(version, numbered("m", 5), "-t", topic, "-q", String.valueOf(qos));
    assertThat(sub.awaitExit(WAIT)).as("mosquitto_sub exit code%s", sub.diagnostics()).isZero();
    List<String> expected = numbered("m", 5).stream().map(m -> topic + " " + qos + " 0 " + m).toList();
    assertThat(sub.drain()).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest
  @CsvSource({"mqttv311,mqttv5", "mqttv5,mqttv311"})
  void messagesCrossProtocolVersions(String subVersion, String pubVersion) throws Exception {
    ExternalProcess sub = sub(subVersion, "-t", "cross/#", "-q", "2", "-C", "3", "-F", "%t %q %p");
    awaitSubscriptions(1);
    pub(pubVersion, "-t", "cross/0", "-q", "0", "-m", "zero");
    pub(pubVersion, "-t", "cross/1", "-q", "1", "-m", "one");
    pub(pubVersion, "-t", "cross/2", "-q", "2", "-m", "two");
    assertThat(sub.awaitExit(WAIT)).isZero();
    assertThat(sub.drain()).containsExactly("cross/0 0 zero", "cross/1 1 one", "cross/2 2 two");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void retainedMessageIsKeptAndDeletedByAnEmptyRetainedMessage(String version) throws Exception {
    pub(version, "-t", "ret/x", "-q", "1", "-r", "-m", "kept");
    assertThat(broker.onBroker(Broker::retainedCount)).isEqualTo(1);

    ExternalProcess first = sub(version, "-t", "ret/#", "-q", "1", "-C", "1", "-F", "%r %q %t %p");
    assertThat(first.awaitExit(WAIT)).isZero();
    assertThat(first.drain()).containsExactly("1 1 ret/x kept");

    pub(version, "-t", "ret/x", "-q", "1", "-r", "-n");
    assertThat(broker.onBroker(Broker::retainedCount)).isZero();
    awaitConnections(0);

    // nothing retained comes first: the first message the new subscriber sees is a live one published after it
    ExternalProcess second = sub(version, "-t", "ret/#", "-q", "1", "-C", "1", "-F", "%r %q %t %p");
    awaitSubscriptions(1);
    pub(version, "-t", "ret/x", "-q", "1", "-m", "after");
    assertThat(second.awaitExit(WAIT)).isZero();
    assertThat(second.drain()).containsExactly("0 1 ret/x after");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void willIsDeliveredWhenTheClientIsKilled(String version) throws Exception {
    ExternalProcess watcher = sub(version, "-t", "will/#", "-q", "1", "-C", "1", "-F", "%t %q %p");
    ExternalProcess dying = sub(version, "-i", "dying-" + version, "-t", "unrelated", "--will-topic", "will/dying",
      "--will-payload", "gone", "--will-qos", "1");
    awaitSubscriptions(2);
    dying.kill(); // SIGKILL: the socket just closes, no DISCONNECT
    assertThat(watcher.awaitExit(WAIT)).as("watcher%s", watcher.diagnostics()).isZero();
    assertThat(watcher.drain()).containsExactly("will/dying 1 gone");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void willIsDiscardedOnANormalDisconnect(String version) throws Exception {
    ExternalProcess watcher = sub(version, "-t", "will/#", "-q", "1", "-C", "1", "-F", "%t %p");
    awaitSubscriptions(1);
    // -E: exit once subscribed, with a normal DISCONNECT (reason 0x00 in MQTT 5)
    ExternalProcess polite = sub(version, "-i", "polite-" + version, "-t", "unrelated", "--will-topic",
      "will/polite", "--will-payload", "gone", "--will-qos", "1", "-E");
    assertThat(polite.awaitExit(WAIT)).as("polite client%s", polite.diagnostics()).isZero();
    awaitConnections(1);
    pub(version, "-t", "will/marker", "-q", "1", "-m", "marker");
    assertThat(watcher.awaitExit(WAIT)).isZero();
    assertThat(watcher.drain()).containsExactly("will/marker marker");
  }

  /** On SIGTERM an MQTT 5 mosquitto_sub sends DISCONNECT with reason 0x04 (Disconnect with Will Message). */
  @Test
  void v5WillIsSentOnDisconnectWithWillMessage() throws Exception {
    ExternalProcess watcher = sub("mqttv5", "-t", "will/#", "-q", "1", "-C", "1", "-F", "%t %p");
    ExternalProcess leaving = sub("mqttv5", "-i", "leaving", "-t", "unrelated", "--will-topic", "will/leaving",
      "--will-payload", "asked-for", "--will-qos", "1");
    awaitSubscriptions(2);
    leaving.terminate();
    assertThat(watcher.awaitExit(WAIT)).as("watcher%s", watcher.diagnostics()).isZero();
    assertThat(watcher.drain()).containsExactly("will/leaving asked-for");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void persistentSessionQueuesMessagesWhileTheClientIsAway(String version) throws Exception {
    List<String> session = new ArrayList<>(List.of("-c", "-i", "persistent-" + version, "-q", "1", "-t", "pq/#"));
    if (version.equals("mqttv5")) {
      session.addAll(List.of("-x", "60"));
    }
    ExternalProcess first = sub(version, session.toArray(String[]::new));
    awaitSubscriptions(1);
    first.kill();
    awaitConnections(0);
    assertThat(broker.onBroker(Broker::sessionCount)).as("the session outlives its connection").isEqualTo(1);

    pubLines(version, numbered("q", 5), "-t", "pq/x", "-q", "1");
    pub(version, "-t", "pq/x", "-q", "0", "-m", "qos0");

    session.addAll(List.of("-C", "6", "-F", "%t %p"));
    ExternalProcess back = sub(version, session.toArray(String[]::new));
    assertThat(back.awaitExit(WAIT)).as("resumed subscriber%s", back.diagnostics()).isZero();
    List<String> expected = new ArrayList<>(numbered("pq/x q", 5));
    expected.add("pq/x qos0");
    assertThat(back.drain()).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void sharedSubscriptionSplitsMessagesWithoutLosingAny(String version) throws Exception {
    // each member also has a plain subscription to sh-end: the sentinel published there after the shared messages
    // reaches both, and behind it per-publisher order has delivered every share (and any duplicate) they got
    ExternalProcess a = sub(version, "-i", "share-a", "-t", "$share/g/sh/#", "-t", "sh-end", "-q", "1", "-v");
    ExternalProcess b = sub(version, "-i", "share-b", "-t", "$share/g/sh/#", "-t", "sh-end", "-q", "1", "-v");
    awaitSubscriptions(4);
    pubLines(version, numbered("s", 10), "-t", "sh/x", "-q", "1");
    // a second publisher, started once the broker acknowledged (so had routed) the first one's QoS 1 messages
    pub(version, "-t", "sh-end", "-q", "1", "-m", "end");

    List<String> gotA = untilSentinel(a, "sh-end end");
    List<String> gotB = untilSentinel(b, "sh-end end");
    List<String> all = new ArrayList<>(gotA);
    all.addAll(gotB);
    assertThat(all).as("a: %s, b: %s", gotA, gotB)
      .containsExactlyInAnyOrderElementsOf(numbered("sh/x s", 10));
    assertThat(gotA).as("member a got a share").isNotEmpty();
    assertThat(gotB).as("member b got a share").isNotEmpty();
  }

  @Test
  void v5PublishPropertiesArePassedThrough() throws Exception {
    ExternalProcess v5 = sub("mqttv5", "-t", "props/#", "-q", "1", "-C", "1", "-F", "%t|%p|%P|%C|%R|%D|%E|%F");
    ExternalProcess v311 = sub("mqttv311", "-t", "props/#", "-q", "1", "-C", "1", "-v");
    awaitSubscriptions(2);
    pub("mqttv5", "-t", "props/x", "-q", "1", "-m", "hello",
      "-D", "publish", "user-property", "k", "v",
      "-D", "publish", "user-property", "k2", "v2",
      "-D", "publish", "content-type", "text/plain",
      "-D", "publish", "response-topic", "reply/here",
      "-D", "publish", "correlation-data", "corr-42",
      "-D", "publish", "message-expiry-interval", "60",
      "-D", "publish", "payload-format-indicator", "1");
    assertThat(v5.awaitExit(WAIT)).isZero();
    String[] fields = v5.drain().get(0).split("\\|", -1);
    assertThat(fields).hasSize(8);
    assertThat(Arrays.copyOfRange(fields, 0, 6))
      .containsExactly("props/x", "hello", "k:v k2:v2", "text/plain", "reply/here", "corr-42");
    assertThat(Integer.parseInt(fields[6])).as("remaining message expiry").isBetween(58, 60);
    assertThat(fields[7]).as("payload format indicator").isEqualTo("1");
    // a 3.1.1 subscriber gets the same message without the properties
    assertThat(v311.awaitExit(WAIT)).isZero();
    assertThat(v311.drain()).containsExactly("props/x hello");
  }

  @Test
  void v5WillPropertiesArePassedThrough() throws Exception {
    ExternalProcess watcher = sub("mqttv5", "-t", "will/#", "-q", "1", "-C", "1", "-F", "%t|%p|%P|%C|%R|%D");
    ExternalProcess dying = sub("mqttv5", "-i", "dying-props", "-t", "unrelated", "--will-topic", "will/props",
      "--will-payload", "bye", "--will-qos", "1",
      "-D", "will", "user-property", "why", "killed",
      "-D", "will", "content-type", "text/plain",
      "-D", "will", "response-topic", "will/reply",
      "-D", "will", "correlation-data", "c-1");
    awaitSubscriptions(2);
    dying.kill();
    assertThat(watcher.awaitExit(WAIT)).isZero();
    assertThat(watcher.drain()).containsExactly("will/props|bye|why:killed|text/plain|will/reply|c-1");
  }

  /**
   * mosquitto_pub -l with a topic alias sends the topic once and then only the alias (empty topic). (libmosquitto 2.0
   * cannot take aliases the other way: it treats an incoming PUBLISH with an empty topic as a protocol error.)
   */
  @Test
  void v5TopicAliasFromTheClientIsResolved() throws Exception {
    ExternalProcess v5 = sub("mqttv5", "-t", "alias/#", "-q", "1", "-C", "3", "-F", "%t %p");
    ExternalProcess v311 = sub("mqttv311", "-t", "alias/#", "-q", "1", "-C", "3", "-F", "%t %p");
    awaitSubscriptions(2);
    pubLines("mqttv5", List.of("a", "b", "c"), "-t", "alias/x", "-q", "1", "-D", "publish", "topic-alias", "1");
    for (ExternalProcess sub : List.of(v5, v311)) {
      assertThat(sub.awaitExit(WAIT)).as("subscriber%s", sub.diagnostics()).isZero();
      assertThat(sub.drain()).containsExactly("alias/x a", "alias/x b", "alias/x c");
    }
  }
}
