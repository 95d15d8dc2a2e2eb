package io.linkgate.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linkgate.broker.Broker;
import io.linkgate.broker.BrokerFixture;
import io.linkgate.broker.LinkMessageHandler;
import io.linkgate.broker.Message;
import io.linkgate.config.ConfigLoader;
import io.linkgate.etf.Binary;
import io.linkgate.etf.ErlangInterop;
import io.linkgate.etf.ErlangInterop.Case;
import io.linkgate.etf.ErlangInterop.Result;
import io.linkgate.etf.Etf;
import io.linkgate.link.wire.ActorInit;
import io.linkgate.link.wire.ActorInitAck;
import io.linkgate.link.wire.ControlOp;
import io.linkgate.link.wire.ForwardedMessage;
import io.linkgate.link.wire.LinkTopic;
import io.linkgate.link.wire.LinkTopics;
import io.linkgate.link.wire.MessageProperties;
import io.linkgate.link.wire.RouteOp;
import io.linkgate.link.wire.RouteUpdate;
import io.linkgate.testutil.PahoV5Inbox;
import io.linkgate.testutil.PahoV5Inbox.Received;
import io.linkgate.testutil.Ports;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttPubComp;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Linkgate cluster {@code A} linked with a peer that behaves as EMQX 5.x does on the wire (reference §0a), over
 * real sockets. Receiving: Paho v5 clients pose as the peer's forwarding clients (client ids the default ACL lets
 * use {@code $LINK/}) and publish records built by a real Erlang VM, at QoS 2 as 5.x hops can be. Sending: a
 * broker that answers the route handshake stands in for the peer's listener and keeps every record {@code A}
 * forwards to it.
 */
@Timeout(120)
class Emqx5WireCompatTest {
  private static final String PEER = "emqx5";
  private static final String PEER_ACTOR = "emqx@10.0.0.9";
  /** A 5.8-shaped record: channel headers, foreign terms in extra, an iolist payload, Latin-1 where UTF-8 belongs. */
  private static final String RECORD_5X = "{message, <<0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15>>, 2,"
      + " <<\"dev\", 255, \"1\">>, #{dup => false, retain => false},"
      + " #{client_attrs => #{}, peername => {{127,0,0,1}, 52011}, proto_ver => 5, protocol => mqtt,"
      + "   username => <<\"dev\">>, peerhost => {127,0,0,1},"
      + "   properties => #{'User-Property' => [{<<\"k\">>, <<\"v\">>}, {<<\"caf\", 233>>, <<\"x\">>},"
      + "     {<<\"k2\">>, <<\"ol\", 233>>}, {<<\"k\">>, <<\"w\">>}],"
      + "     'Content-Type' => <<\"text/plain; charset=latin1 \", 233>>, 'Message-Expiry-Interval' => 60}},"
      + " <<\"t/5x\">>, [<<\"hel\">>, $l, [<<\"o\">>, [], [$,]] | <<\" world\">>],"
      + " erlang:system_time(millisecond) - 20000,"
      + " #{trace_ctx => #{span => make_ref(), owner => self(), on_done => fun(X) -> X end,"
      + "   codec => fun erlang:term_to_binary/1, bits => <<5:3>>}}}";

  private static Map<String, Result> erlang;

  LinkedClusters clusters;
  BrokerFixture fakePeer;
  final java.util.List<MqttAsyncClient> clients = new java.util.ArrayList<>();

  @BeforeAll
  static void buildRecordsWithErlang(@TempDir Path dir) throws Exception {
    byte[] nil = {(byte) 131, 106};
    erlang = ErlangInterop.run(dir, List.of(new Case("record_5x", RECORD_5X, nil, nil)));
  }

  @AfterEach
  void stop() throws Exception {
    for (MqttAsyncClient c : clients) {
      try {
        if (c.isConnected()) {
          c.disconnect().waitForCompletion(5_000);
        }
        c.close();
      } catch (MqttException ignored) {
        // closing anyway
      }
    }
    if (clusters != null) {
      clusters.close();
    }
    if (fakePeer != null) {
      fakePeer.close();
    }
  }

  /** A subscriber's inbox: a forwarded message may take a few link round trips to arrive. */
  private static PahoV5Inbox inbox() {
    return new PahoV5Inbox(Duration.ofSeconds(20));
  }

  private MqttAsyncClient client(String clientId, PahoV5Inbox inbox) throws MqttException {
    MqttAsyncClient c = new MqttAsyncClient(clusters.uri("A"), clientId, new MemoryPersistence());
    if (inbox != null) {
      c.setCallback(inbox);
    }
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    c.connect(o).waitForCompletion(10_000);
    clients.add(c);
    return c;
  }

  /** A with a link to the 5.x peer; {@code server} is the peer's listener (or a closed port). */
  private void startA(int server, int poolSize, int maxInflight) throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A").linkVia("A", PEER, server, "t/#");
    JsonObject json = clusters.configJson("A");
    json.getJsonObject("cluster").getJsonArray("links").getJsonObject(0)
      .put("pool_size", poolSize).put("max_inflight", maxInflight);
    clusters.start("A", ConfigLoader.fromJson(json));
  }

  /** A, linked to a closed port (these tests only receive), with a subscriber to {@code t/#} at {@code qos}. */
  private PahoV5Inbox startAWithSubscriber(int qos) throws Exception {
    startA(Ports.free(), 1, 32);
    PahoV5Inbox inbox = inbox();
    client("sub-a", inbox).subscribe("t/#", qos).waitForCompletion(10_000);
    return inbox;
  }

  /** The peer's forwarding client, as EMQX names it: {@code <cluster>:msg:<sha8(node)>:<n>}. */
  private MqttAsyncClient peerForwarder() throws MqttException {
    return client(PEER + ":msg:0123abcd:1", null);
  }

  private static MqttMessage message(byte[] payload, int qos) {
    MqttMessage m = new MqttMessage(payload);
    m.setQos(qos);
    return m;
  }

  /** The peer forwards {@code record} to A at QoS 1 and A acknowledged it. */
  private static void forward(MqttAsyncClient forwarder, byte[] record) throws MqttException {
    forwarder.publish(LinkTopics.msg(PEER), message(record, 1)).waitForCompletion(10_000);
  }

  private static byte[] record(String topic, long timestamp, Long expiry) {
    MessageProperties props = MessageProperties.EMPTY.withMessageExpiryInterval(expiry);
    return new ForwardedMessage(ForwardedMessage.newId(), 1, "dev", false, false, topic,
      Binary.ofUtf8("p:" + topic), timestamp, props).encodePlain();
  }

  // ---- receiving from a 5.x peer ----

  @Test
  void aQos2HopOfA5xRecordIsAcceptedAndDeliveredAtQos2WithWhatMqtt5Allows() throws Exception {
    ErlangInterop.assumeRan(erlang);
    PahoV5Inbox inbox = startAWithSubscriber(2);

    IMqttToken pub = peerForwarder().publish(LinkTopics.msg(PEER), message(erlang.get("record_5x").otp(), 2));
    pub.waitForCompletion(10_000); // PUBLISH, PUBREC, PUBREL, PUBCOMP
    assertThat(pub.getResponse()).isInstanceOf(MqttPubComp.class);
    assertThat(java.util.Arrays.stream(pub.getReasonCodes())).allMatch(rc -> rc < 0x80);

    Received r = inbox.next();
    assertThat(r.topic()).isEqualTo("t/5x");
    assertThat(r.message().getQos()).isEqualTo(2);
    assertThat(new String(r.message().getPayload(), StandardCharsets.UTF_8)).isEqualTo("hello, world");
    MqttProperties p = r.message().getProperties();
    assertThat(p.getUserProperties()).extracting(UserProperty::getKey, UserProperty::getValue)
      .containsExactly(org.assertj.core.groups.Tuple.tuple("k", "v"), org.assertj.core.groups.Tuple.tuple("k", "w"));
    assertThat(p.getContentType()).isNull();
    // published 20 s before the record was built, with 60 s to live
    assertThat(p.getMessageExpiryInterval()).isBetween(1L, 40L);
    InboundLinkStats stats = clusters.inbound("A", PEER);
    assertThat(stats.received()).isEqualTo(1);
    assertThat(stats.propertiesDropped()).isEqualTo(3);
  }

  @Test
  void aReceivedMessageExpiresOnTheRecordsClock() throws Exception {
    PahoV5Inbox inbox = startAWithSubscriber(1);
    MqttAsyncClient forwarder = peerForwarder();
    long now = System.currentTimeMillis();

    forward(forwarder, record("t/late", now - 20_000, 60L));
    Received late = inbox.next();
    assertThat(late.topic()).isEqualTo("t/late");
    assertThat(late.message().getProperties().getMessageExpiryInterval()).isBetween(30L, 40L);

    forward(forwarder, record("t/expired", now - 61_000, 60L));
    forward(forwarder, record("t/sentinel", now, null));
    Received next = inbox.next();
    assertThat(next.topic()).as("the expired message must not be delivered").isEqualTo("t/sentinel");
    assertThat(next.message().getProperties().getMessageExpiryInterval()).isNull();
    assertThat(clusters.inbound("A", PEER).dropped()).isEqualTo(1);
  }

  @Test
  void aRecordWhoseTopicNoSubscriberMayReceiveIsDropped() throws Exception {
    PahoV5Inbox inbox = startAWithSubscriber(1);
    MqttAsyncClient forwarder = peerForwarder();
    long now = System.currentTimeMillis();
    for (String bad : List.of("t/+", "t/#", "t/a\u0000b")) {
      forward(forwarder, record(bad, now, null));
    }
    forward(forwarder, record("t/sentinel", now, null));
    assertThat(inbox.next().topic()).isEqualTo("t/sentinel");
    assertThat(forwarder.isConnected()).as("bad records cost the record, not the connection").isTrue();
    assertThat(clusters.inbound("A", PEER).dropped()).isEqualTo(3);
  }

  // ---- sending to a 5.x peer ----

  /** What the fake peer's listener got on {@code $LINK/cluster/msg/A}. */
  record Forwarded(int hopQos, ForwardedMessage record, long arrivedAt) {
  }

  /**
   * A plain broker whose {@code $LINK/} handler answers the route handshake (as any EMQX does) and keeps the
   * forwarded records; the PUBACK of a record on {@code t/block} is held for 3 s, so what follows waits in A's
   * buffer.
   */
  private BlockingQueue<Forwarded> startFakePeerListener() throws Exception {
    fakePeer = new BrokerFixture();
    BlockingQueue<Forwarded> records = new LinkedBlockingQueue<>();
    fakePeer.onBroker(broker -> {
      broker.linkHandler((connection, m) -> onPeerLink(broker, m, records));
      return null;
    });
    return records;
  }

  private Future<Integer> onPeerLink(Broker broker, Message m, BlockingQueue<Forwarded> records) {
    LinkTopic topic = LinkTopics.parse(m.topic()).orElseThrow();
    if (topic.kind() == LinkTopic.Kind.ROUTE
        && ControlOp.decode(m.payload().getBytes()) instanceof ActorInit init) {
      broker.publish(new Message(m.responseTopic(), Buffer.buffer(ActorInitAck.ok(init.actor(), true).encode()), 1,
        false, null, null, null, m.correlationData(), List.of(), "", null, System.currentTimeMillis(), 0));
    } else if (topic.kind() == LinkTopic.Kind.MSG) {
      ForwardedMessage f = ForwardedMessage.decode(m.payload().getBytes());
      records.add(new Forwarded(m.qos(), f, System.currentTimeMillis()));
      if (f.topic().equals("t/block")) {
        Promise<Integer> held = Promise.promise();
        fakePeer.vertx.setTimer(3_000, id -> held.complete(LinkMessageHandler.NO_MATCHING_SUBSCRIBERS));
        return held.future();
      }
    }
    return Future.succeededFuture(LinkMessageHandler.NO_MATCHING_SUBSCRIBERS);
  }

  /** The peer's route-sync client: handshake as a 5.x actor, then a route for {@code t/#}. */
  private void peerSubscribesToA(String filter) throws Exception {
    PahoV5Inbox acks = inbox();
    MqttAsyncClient routes = client(PEER + ":routesync:0123abcd", acks);
    String resp = LinkTopics.resp(PEER, PEER_ACTOR);
    routes.subscribe(resp, 1).waitForCompletion(10_000);
    long incarnation = System.currentTimeMillis();
    // EMQX 5.x sends control payloads plain
    MqttMessage init = message(Etf.encode(ActorInit.of(PEER_ACTOR, incarnation, "A").toTerm()), 1);
    MqttProperties props = new MqttProperties();
    props.setResponseTopic(resp);
    props.setCorrelationData("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    init.setProperties(props);
    routes.publish(LinkTopics.route(PEER), init).waitForCompletion(10_000);
    Received ack = acks.next();
    assertThat(ack.topic()).isEqualTo(resp);
    assertThat(((ActorInitAck) ControlOp.decode(ack.message().getPayload())).isOk()).isTrue();
    routes.publish(LinkTopics.route(PEER), message(Etf.encode(new RouteUpdate(PEER_ACTOR, incarnation,
      List.of(RouteOp.add(filter, filter))).toTerm()), 1)).waitForCompletion(10_000);
    await().atMost(10, TimeUnit.SECONDS).until(() -> clusters.inbound("A", PEER).routes() == 1);
  }

  @Test
  void aForwardedRecordKeepsItsQosAndItsOriginalExpiryOnAQos1Hop() throws Exception {
    BlockingQueue<Forwarded> records = startFakePeerListener();
    startA(fakePeer.tcpPort(), 1, 1);
    peerSubscribesToA("t/#");
    MqttAsyncClient publisher = client("pub-a", null);

    publisher.publish("t/block", message("b".getBytes(), 1)).waitForCompletion(10_000);
    MqttMessage m = message("x".getBytes(), 2);
    MqttProperties props = new MqttProperties();
    props.setMessageExpiryInterval(60L);
    m.setProperties(props);
    long publishedAt = System.currentTimeMillis();
    publisher.publish("t/exp", m).waitForCompletion(10_000);

    Forwarded block = records.poll(20, TimeUnit.SECONDS);
    assertThat(block).isNotNull();
    assertThat(block.record().topic()).isEqualTo("t/block");
    Forwarded exp = records.poll(20, TimeUnit.SECONDS);
    assertThat(exp).isNotNull();
    assertThat(exp.record().topic()).isEqualTo("t/exp");
    assertThat(exp.hopQos()).as("the hop is capped at QoS 1").isEqualTo(1);
    assertThat(exp.record().qos()).as("the record keeps QoS 2").isEqualTo(2);
    // it waited ~3 s behind t/block; EMQX expires it at timestamp + interval, so both must be the original ones
    assertThat(exp.arrivedAt() - exp.record().timestamp()).isGreaterThanOrEqualTo(2_500);
    assertThat(exp.record().timestamp()).isBetween(publishedAt - 2_000, publishedAt + 2_000);
    assertThat(exp.record().properties().messageExpiryInterval()).isEqualTo(60L);
  }
}
