package io.linkgate.broker.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkgate.broker.BrokerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static io.linkgate.broker.interop.RawMqtt.bytes;
import static io.linkgate.broker.interop.RawMqtt.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * MQTT.js (npm {@code mqtt}, pinned in src/test/js/package.json) against the broker over TCP and WebSocket. Each test
 * runs one scenario of src/test/js/scenario.mjs in node; the script prints what its clients observed as JSON lines and
 * the assertions are made here.
 */
@Tag("slow")
class MqttJsInteropTest {
  private static final Path JS_DIR = Path.of(System.getProperty("basedir", "."), "src", "test", "js");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String node;

  private BrokerFixture broker;
  private final List<ExternalProcess> processes = new ArrayList<>();

  @BeforeAll
  static void tools() {
    node = ExternalProcess.require("node", "install Node.js 20 (apt-get install nodejs)");
    if (!Files.isRegularFile(JS_DIR.resolve("node_modules/mqtt/package.json"))) {
      fail("MQTT.js is not installed in %s: run npm ci --prefix src/test/js", JS_DIR.toAbsolutePath());
    }
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

  // ---- running scenarios ----

  /** Runs a scenario to its end and returns its output lines; fails with the output if it did not finish. */
  private List<JsonNode> run(String scenario, Map<String, Object> options) throws Exception {
    ObjectNode args = JSON.createObjectNode();
    args.put("tcpPort", broker.tcpPort());
    args.put("wsPort", broker.wsPort());
    options.forEach((k, v) -> args.set(k, JSON.valueToTree(v)));
    ExternalProcess p = ExternalProcess.start(JS_DIR, List.of(node, "scenario.mjs", scenario, args.toString()));
    processes.add(p);
    int rc = p.awaitExit(Duration.ofSeconds(40));
    List<JsonNode> out = new ArrayList<>();
    for (String line : p.drain()) {
      out.add(JSON.readTree(line));
    }
    assertThat(rc).as("scenario %s exit code%s", scenario, p.diagnostics()).isZero();
    assertThat(out).as("scenario %s output", scenario).isNotEmpty();
    assertThat(out.get(out.size() - 1).path("type").asText()).isEqualTo("done");
    return out;
  }

  private List<JsonNode> run(String scenario) throws Exception {
    return run(scenario, Map.of());
  }

  private static JsonNode first(List<JsonNode> out, String type) {
    return out.stream().filter(n -> n.path("type").asText().equals(type)).findFirst()
      .orElseThrow(() -> new AssertionError("no " + type + " line in " + out));
  }

  private static JsonNode line(List<JsonNode> out, String type, String key, String value) {
    return out.stream().filter(n -> n.path("type").asText().equals(type) && n.path(key).asText().equals(value))
      .findFirst().orElseThrow(() -> new AssertionError("no " + type + " line with " + key + "=" + value + " in " + out));
  }

  private static List<JsonNode> list(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).toList();
  }

  private static List<String> texts(JsonNode messages, String field) {
    return list(messages).stream().map(m -> m.path(field).asText()).toList();
  }

  /** Subscription identifiers of a received message (MQTT.js gives one as a number, several as an array). */
  private static List<Integer> subscriptionIds(JsonNode message) {
    JsonNode ids = message.path("properties").path("subscriptionIdentifier");
    if (ids.isMissingNode()) {
      return List.of();
    }
    return ids.isArray() ? list(ids).stream().map(JsonNode::asInt).toList() : List.of(ids.asInt());
  }

  // ---- scenarios ----

  @ParameterizedTest(name = "MQTT {0} over {1}, QoS {2}")
  @CsvSource({
    "4,tcp,0", "4,tcp,1", "4,tcp,2", "5,tcp,0", "5,tcp,1", "5,tcp,2",
    "4,ws,0", "4,ws,1", "4,ws,2", "5,ws,0", "5,ws,1", "5,ws,2"})
  void publishSubscribeEachQos(int version, String transport, int qos) throws Exception {
    List<JsonNode> out = run("pubsub", Map.of("version", version, "transport", transport, "qos", qos, "count", 5));
    assertThat(list(first(out, "suback").path("granted"))).extracting(JsonNode::asInt).containsExactly(qos);
    List<JsonNode> messages = out.stream().filter(n -> n.path("type").asText().equals("message")).toList();
    String topic = "js/" + version + "/" + transport + "/" + qos + "/t";
    assertThat(messages).extracting(m -> m.path("payload").asText())
      .containsExactlyElementsOf(IntStream.range(0, 5).mapToObj(i -> "m" + i).toList());
    assertThat(messages).allSatisfy(m -> {
      assertThat(m.path("topic").asText()).isEqualTo(topic);
      assertThat(m.path("qos").asInt()).isEqualTo(qos);
      assertThat(m.path("retain").asBoolean()).isFalse();
    });
  }

  @Test
  void retainHandlingAndRetainAsPublished() throws Exception {
    List<JsonNode> out = run("retainHandling");
    Map<String, JsonNode> steps = new LinkedHashMap<>();
    out.stream().filter(n -> n.path("type").asText().equals("step"))
      .forEach(n -> steps.put(n.path("step").asText(), n.path("messages")));
    String kept = "rh/x kept true";
    assertThat(describe(steps.get("rh0-first"))).as("retain handling 0, new").containsExactly(kept);
    assertThat(describe(steps.get("rh0-again"))).as("retain handling 0, existing").containsExactly(kept);
    assertThat(describe(steps.get("rh1-first"))).as("retain handling 1, new").containsExactly(kept);
    assertThat(describe(steps.get("rh1-again"))).as("retain handling 1, existing").isEmpty();
    assertThat(describe(steps.get("rh2"))).as("retain handling 2").isEmpty();
    assertThat(describe(steps.get("rap-true-live"))).as("retain as published, live").containsExactly("rap/x live true");
    assertThat(describe(steps.get("rap-false-live"))).as("no retain as published, live")
      .containsExactly("rap/x live false");
    assertThat(describe(steps.get("rap-false-on-subscribe"))).as("retained message sent on subscribe")
      .containsExactly("rap/x live true");
  }

  private static List<String> describe(JsonNode messages) {
    assertThat(messages).as("step output").isNotNull();
    return list(messages).stream()
      .map(m -> m.path("topic").asText() + " " + m.path("payload").asText() + " " + m.path("retain").asBoolean())
      .toList();
  }

  @Test
  void noLocalSuppressesOwnMessagesOnly() throws Exception {
    List<JsonNode> out = run("noLocal");
    assertThat(texts(line(out, "received", "client", "a").path("messages"), "payload")).containsExactly("fromB");
    assertThat(texts(line(out, "received", "client", "b").path("messages"), "payload"))
      .containsExactly("fromA", "fromB");
  }

  @Test
  void subscriptionIdentifiersComeBackWithMatchingMessages() throws Exception {
    List<JsonNode> messages = list(first(run("subscriptionIds"), "received").path("messages"));
    Map<String, List<Integer>> idsByTopic = new LinkedHashMap<>();
    for (JsonNode m : messages) {
      idsByTopic.computeIfAbsent(m.path("topic").asText(), t -> new ArrayList<>()).addAll(subscriptionIds(m));
    }
    assertThat(idsByTopic.keySet()).containsExactly("sid/a/x", "sid/b/x", "sid/a/y", "sid/none/z", "sid/a/end");
    // overlapping subscriptions: one copy per subscription or one copy with both ids are both correct
    assertThat(idsByTopic.get("sid/a/x")).containsExactlyInAnyOrder(7, 9);
    assertThat(idsByTopic.get("sid/b/x")).containsExactly(9);
    assertThat(idsByTopic.get("sid/a/y")).containsExactly(7);
    assertThat(idsByTopic.get("sid/none/z")).isEmpty();
    assertThat(idsByTopic.get("sid/a/end")).containsExactly(7);
  }

  @Test
  void topicAliasesFromTheClientAreResolved() throws Exception {
    List<JsonNode> out = run("topicAliasClientToServer");
    assertThat(first(out, "connack").path("properties").path("topicAliasMaximum").asInt()).isPositive();
    List<JsonNode> messages = list(first(out, "received").path("messages"));
    assertThat(messages).extracting(m -> m.path("topic").asText() + " " + m.path("payload").asText())
      .containsExactly("tac/x one", "tac/x two", "tac/y three", "tac/y four", "tac/z five", "tac/z six");
    // the subscriber did not allow topic aliases: full topics, no alias property
    assertThat(messages).allSatisfy(m -> {
      assertThat(m.path("wireTopic").asText()).isEqualTo(m.path("topic").asText());
      assertThat(m.path("properties").has("topicAlias")).isFalse();
    });
  }

  @Test
  void topicAliasesToTheClientAreUsedOnlyWhenAllowed() throws Exception {
    List<JsonNode> out = run("topicAliasServerToClient");
    assertThat(list(first(out, "errors").path("errors"))).as("client errors").isEmpty();
    List<String> expected = List.of("tas/x p0", "tas/x p1", "tas/x p2", "tas/y p3", "tas/y p4", "tas/x p5", "tas/z p6");

    List<JsonNode> aliased = list(line(out, "received", "client", "aliased").path("messages"));
    assertThat(aliased).extracting(m -> m.path("topic").asText() + " " + m.path("payload").asText())
      .containsExactlyElementsOf(expected);
    Map<String, Integer> aliasOf = new LinkedHashMap<>();
    for (JsonNode m : aliased) {
      String topic = m.path("topic").asText();
      int alias = m.path("properties").path("topicAlias").asInt(0);
      assertThat(alias).as("alias on %s", m).isBetween(1, 10);
      if (aliasOf.containsKey(topic)) {
        assertThat(m.path("wireTopic").asText()).as("repeated topic sent as alias only: %s", m).isEmpty();
        assertThat(alias).isEqualTo(aliasOf.get(topic));
      } else {
        assertThat(m.path("wireTopic").asText()).as("first use carries the topic").isEqualTo(topic);
        assertThat(aliasOf).doesNotContainValue(alias);
        aliasOf.put(topic, alias);
      }
    }

    List<JsonNode> plain = list(line(out, "received", "client", "plain").path("messages"));
    assertThat(plain).extracting(m -> m.path("wireTopic").asText() + " " + m.path("payload").asText())
      .containsExactlyElementsOf(expected);
    assertThat(plain).noneMatch(m -> m.path("properties").has("topicAlias"));
  }

  @Test
  void expiredMessagesAreNotDeliveredFromTheOfflineQueue() throws Exception {
    List<JsonNode> out = run("messageExpiry");
    assertThat(first(out, "connack").path("sessionPresent").asBoolean()).isTrue();
    List<JsonNode> messages = list(first(out, "received").path("messages"));
    assertThat(messages).extracting(m -> m.path("topic").asText()).containsExactly("exp/long", "exp/none");
    // 2.1 s in the queue: the interval handed on counts down
    assertThat(messages.get(0).path("properties").path("messageExpiryInterval").asInt()).isBetween(1, 58);
    assertThat(messages.get(1).path("properties").has("messageExpiryInterval")).isFalse();
  }

  @Test
  void sessionTakeoverSendsDisconnect0x8eToTheFirstV5Connection() throws Exception {
    List<JsonNode> out = run("takeover", Map.of("version", 5));
    JsonNode firstConn = first(out, "first");
    assertThat(firstConn.path("disconnectPacket").path("reasonCode").asInt()).isEqualTo(0x8E);
    assertThat(firstConn.path("closed").asBoolean()).isTrue();
    assertThat(first(out, "second").path("connected").asBoolean()).isTrue();
  }

  @Test
  void sessionTakeoverClosesTheFirstV311Connection() throws Exception {
    List<JsonNode> out = run("takeover", Map.of("version", 4));
    JsonNode firstConn = first(out, "first");
    assertThat(firstConn.path("disconnectPacket").isNull()).as("no DISCONNECT in 3.1.1").isTrue();
    assertThat(firstConn.path("closed").asBoolean()).isTrue();
    assertThat(first(out, "second").path("connected").asBoolean()).isTrue();
  }

  @Test
  void emptyClientIdGetsAnAssignedClientIdentifier() throws Exception {
    List<JsonNode> out = run("assignedClientId");
    List<JsonNode> ids = list(first(out, "connack").path("ids"));
    assertThat(ids).hasSize(2).allSatisfy(id -> assertThat(id.isTextual()).as("assigned id %s", id).isTrue());
    assertThat(ids).extracting(JsonNode::asText).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).isNotBlank());
    assertThat(texts(first(out, "received").path("messages"), "payload")).containsExactly("hello");
  }

  @Test
  void willDelayIntervalDelaysTheWillAndAReconnectCancelsIt() throws Exception {
    List<JsonNode> out = run("willDelay");
    JsonNode reconnected = first(out, "reconnected");
    assertThat(reconnected.path("sessionPresent").asBoolean()).isTrue();
    assertThat(reconnected.path("afterMs").asLong()).isLessThan(1500);
    List<JsonNode> messages = list(first(out, "received").path("messages"));
    assertThat(messages).extracting(m -> m.path("topic").asText() + " " + m.path("payload").asText())
      .as("the will of the client that came back is never sent")
      .containsExactly("wd/dropped gone-js-wd-dropped", "wd/marker marker");
    assertThat(messages.get(0).path("afterMs").asLong()).as("will delay of 2 s").isBetween(1800L, 4000L);
  }

  /**
   * Receive Maximum on a raw socket: MQTT.js cannot hold back its PUBACKs without also stalling its own packet
   * parser (customHandleAcks blocks the incoming packet pump), so it cannot show what the server sends meanwhile.
   */
  @ParameterizedTest(name = "QoS {0}")
  @ValueSource(ints = {1, 2})
  void receiveMaximumOfTheClientIsRespected(int qos) throws Exception {
    try (RawMqtt sub = new RawMqtt(broker.tcpPort()); RawMqtt pub = new RawMqtt(broker.tcpPort())) {
      sub.send(RawMqtt.connect(5, "rm-sub", 60, true, props(bytes(0x21, 0x00, 0x02))));
      assertThat(sub.read(Duration.ofSeconds(5)).reasonCode()).isZero();
      sub.send(RawMqtt.subscribe(5, 1, "rm/#", qos));
      assertThat(sub.read(Duration.ofSeconds(5)).type()).isEqualTo(RawMqtt.SUBACK);

      pub.handshake(4, "rm-pub");
      for (int i = 1; i <= 5; i++) {
        pub.send(RawMqtt.publish(4, "rm/x", qos, i, "m" + i));
        if (qos == 1) {
          assertThat(pub.read(Duration.ofSeconds(5)).type()).isEqualTo(RawMqtt.PUBACK);
        } else {
          assertThat(pub.read(Duration.ofSeconds(5)).type()).isEqualTo(RawMqtt.PUBREC);
          pub.send(bytes(0x62, 0x02, 0, i));
          assertThat(pub.read(Duration.ofSeconds(5)).type()).isEqualTo(7); // PUBCOMP
        }
      }

      List<RawMqtt.Publish> got = new ArrayList<>();
      got.add(RawMqtt.Publish.parse(sub.read(Duration.ofSeconds(5)), 5));
      got.add(RawMqtt.Publish.parse(sub.read(Duration.ofSeconds(5)), 5));
      sub.assertSilentFor(Duration.ofMillis(500)); // two unacknowledged: the window is full
      while (got.size() < 5) {
        RawMqtt.Publish oldest = got.get(got.size() - 2);
        complete(sub, oldest);
        got.add(RawMqtt.Publish.parse(sub.read(Duration.ofSeconds(5)), 5));
        sub.assertSilentFor(Duration.ofMillis(200));
      }
      assertThat(got).extracting(RawMqtt.Publish::payload).containsExactly("m1", "m2", "m3", "m4", "m5");
      assertThat(got).allSatisfy(p -> assertThat(p.qos()).isEqualTo(qos));
    }
  }

  /** Finishes the acknowledgement of one message: PUBACK, or PUBREC → PUBREL → PUBCOMP. */
  private static void complete(RawMqtt client, RawMqtt.Publish p) throws Exception {
    if (p.qos() == 1) {
      client.send(RawMqtt.puback(p.packetId()));
      return;
    }
    client.send(bytes(0x50, 0x02, p.packetId() >> 8, p.packetId()));
    RawMqtt.Packet pubrel = client.read(Duration.ofSeconds(5));
    assertThat(pubrel.header()).as("PUBREL expected, got %s", pubrel).isEqualTo(0x62);
    // still in flight until PUBCOMP: nothing new may come yet
    client.assertSilentFor(Duration.ofMillis(200));
    client.send(bytes(0x70, 0x02, p.packetId() >> 8, p.packetId()));
  }
}
