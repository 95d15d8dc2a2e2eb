package io.linkgate.broker;

import io.linkgate.testutil.Await;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 3.1.1 behaviour seen by Eclipse Paho (an independent client) over real TCP sockets. */
class PahoV3InteropTest {
  static BrokerFixture broker;

  @BeforeAll
  static void start() throws Exception {
    broker = new BrokerFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  static MqttClient client(String id, boolean clean) throws Exception {
    MqttClient c = new MqttClient(broker.tcpUri(), id, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(clean);
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setAutomaticReconnect(false);
    c.connect(o);
    return c;
  }

  record Received(String topic, String payload, int qos, boolean retained) {
  }

  static BlockingQueue<Received> subscribe(MqttClient c, String filter, int qos) throws Exception {
    BlockingQueue<Received> q = new LinkedBlockingQueue<>();
    c.subscribe(filter, qos, (t, m) -> q.add(new Received(t, new String(m.getPayload()), m.getQos(), m.isRetained())));
    return q;
  }

  /** What {@code q} received before a message on {@code sentinelTopic}, which must come within 10 s. */
  static List<Received> untilSentinel(BlockingQueue<Received> q, String sentinelTopic) throws InterruptedException {
    List<Received> got = new java.util.ArrayList<>();
    for (Received r; (r = q.poll(10, TimeUnit.SECONDS)) == null || !r.topic().equals(sentinelTopic); ) {
      assertThat(r).as("the sentinel on %s after %s", sentinelTopic, got).isNotNull();
      got.add(r);
    }
    return got;
  }

  static BlockingQueue<Received> collectAll(MqttClient c) {
    BlockingQueue<Received> q = new LinkedBlockingQueue<>();
    c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
      public void connectionLost(Throwable cause) {
      }

      public void messageArrived(String topic, MqttMessage m) {
        q.add(new Received(topic, new String(m.getPayload()), m.getQos(), m.isRetained()));
      }

      public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
      }
    });
    return q;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void publishSubscribeEachQos(int qos) throws Exception {
    MqttClient sub = client("v3-sub-" + qos, true);
    MqttClient pub = client("v3-pub-" + qos, true);
    BlockingQueue<Received> got = subscribe(sub, "qos/" + qos + "/+", 2);
    for (int i = 0; i < 20; i++) {
      pub.publish("qos/" + qos + "/x", ("m" + i).getBytes(), qos, false);
    }
    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Received r = got.poll(5, TimeUnit.SECONDS);
      assertThat(r).as("message %d", i).isNotNull();
      assertThat(r.qos()).isEqualTo(qos);
      payloads.add(r.payload());
    }
    assertThat(payloads).first().isEqualTo("m0");
    assertThat(payloads).last().isEqualTo("m19");
    assertThat(payloads).doesNotHaveDuplicates();
    sub.disconnect();
    pub.disconnect();
  }

  @Test
  void qosIsDowngradedToTheSubscriptionQos() throws Exception {
    MqttClient sub = client("v3-down-sub", true);
    MqttClient pub = client("v3-down-pub", true);
    BlockingQueue<Received> got = subscribe(sub, "down/#", 1);
    pub.publish("down/a", "x".getBytes(), 2, false);
    assertThat(got.poll(5, TimeUnit.SECONDS).qos()).isEqualTo(1);
    sub.disconnect();
    pub.disconnect();
  }

  @Test
  void retainedMessageIsDeliveredOnSubscribeAndDeletedByEmptyPayload() throws Exception {
    MqttClient pub = client("v3-ret-pub", true);
    pub.publish("ret/a", "kept".getBytes(), 1, true);
    MqttClient sub = client("v3-ret-sub", true);
    BlockingQueue<Received> got = subscribe(sub, "ret/#", 1);
    Received r = got.poll(5, TimeUnit.SECONDS);
    assertThat(r).isEqualTo(new Received("ret/a", "kept", 1, true));
    // a live message to an existing subscription is not flagged retained
    pub.publish("ret/a", "live".getBytes(), 1, true);
    assertThat(got.poll(5, TimeUnit.SECONDS).retained()).isFalse();
    pub.publish("ret/a", new byte[0], 1, true);
    assertThat(got.poll(5, TimeUnit.SECONDS).payload()).isEmpty();
    sub.disconnect();
    MqttClient late = client("v3-ret-late", true);
    BlockingQueue<Received> none = subscribe(late, "ret/#", 1);
    // a live sentinel: a retained message sent on that subscribe would have been queued before it
    pub.publish("ret/b", "sentinel".getBytes(), 1, false);
    assertThat(none.poll(5, TimeUnit.SECONDS)).isEqualTo(new Received("ret/b", "sentinel", 1, false));
    late.disconnect();
    pub.disconnect();
  }

  @Test
  void willIsPublishedWhenTheConnectionDropsWithoutDisconnect() throws Exception {
    MqttClient watcher = client("v3-will-watch", true);
    BlockingQueue<Received> got = subscribe(watcher, "will/#", 1);
    MqttClient dying = new MqttClient(broker.tcpUri(), "v3-will-dying", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setWill("will/dying", "gone".getBytes(), 1, false);
    dying.connect(o);
    dying.disconnectForcibly(0, 0, false); // closes the socket without DISCONNECT
    Received r = got.poll(5, TimeUnit.SECONDS);
    assertThat(r).isEqualTo(new Received("will/dying", "gone", 1, false));

    MqttClient polite = new MqttClient(broker.tcpUri(), "v3-will-polite", new MemoryPersistence());
    polite.connect(o);
    polite.disconnect();
    // once the broker dropped the connection it had decided about the will; a sentinel published after that comes
    // behind a will it would have sent
    Await.until("the polite client is gone", Await.DEFAULT,
      () -> broker.onBroker(b -> b.session("v3-will-polite") == null));
    watcher.publish("will/sentinel", "end".getBytes(), 1, false);
    assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo(new Received("will/sentinel", "end", 1, false));
    watcher.disconnect();
  }

  @Test
  void persistentSessionQueuesMessagesWhileOffline() throws Exception {
    MqttClient sub = client("v3-persist", false);
    subscribe(sub, "persist/#", 1);
    sub.disconnect();
    MqttClient pub = client("v3-persist-pub", true);
    for (int i = 0; i < 5; i++) {
      pub.publish("persist/x", ("q" + i).getBytes(), 1, false);
    }
    pub.publish("persist/x", "zero".getBytes(), 0, false);
    MqttClient back = new MqttClient(broker.tcpUri(), "v3-persist", new MemoryPersistence());
    BlockingQueue<Received> got = collectAll(back);
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(false);
    back.connect(o);
    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Received r = got.poll(5, TimeUnit.SECONDS);
      assertThat(r).isNotNull();
      payloads.add(r.payload());
    }
    assertThat(payloads).containsExactly("q0", "q1", "q2", "q3", "q4", "zero");
    back.disconnect();
    pub.disconnect();
  }

  @Test
  void sharedSubscriptionDeliversEachMessageToOneMember() throws Exception {
    MqttClient a = client("v3-share-a", true);
    MqttClient b = client("v3-share-b", true);
    // Paho matches per-subscription listeners against "$share/..." and finds nothing: use the client callback
    BlockingQueue<Received> ga = collectAll(a);
    BlockingQueue<Received> gb = collectAll(b);
    a.subscribe("$share/g1/share/+", 1);
    b.subscribe("$share/g1/share/+", 1);
    // a plain subscription of each member to the sentinel's topic: once both have the sentinel, published after
    // the shares by the same client, every share (and any duplicate) has arrived
    a.subscribe("share-end", 1);
    b.subscribe("share-end", 1);
    MqttClient pub = client("v3-share-pub", true);
    for (int i = 0; i < 10; i++) {
      pub.publish("share/t", ("s" + i).getBytes(), 1, false);
    }
    pub.publish("share-end", "end".getBytes(), 1, false);
    List<Received> gotA = untilSentinel(ga, "share-end");
    List<Received> gotB = untilSentinel(gb, "share-end");
    assertThat(gotA.size() + gotB.size()).isEqualTo(10);
    assertThat(gotA).hasSize(5); // round robin
    a.disconnect();
    b.disconnect();
    pub.disconnect();
  }
}
