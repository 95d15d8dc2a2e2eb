package io.linkgate.link;

import io.linkgate.testutil.Sentinel;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two Linkgate clusters linked over real sockets (reference §7 scenarios 1, 3, 4, 22). */
class ClusterLinkingTest {
  LinkedClusters clusters;

  @AfterEach
  void stop() throws Exception {
    if (clusters != null) {
      clusters.close();
    }
  }

  static final class Inbox implements MqttCallback {
    final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void connectionLost(Throwable cause) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      messages.add(topic + " " + new String(message.getPayload()));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }
  }

  static MqttClient client(String uri, String id, Inbox inbox) throws Exception {
    MqttClient c = new MqttClient(uri, id, new MemoryPersistence());
    if (inbox != null) {
      c.setCallback(inbox);
    }
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    // Paho frees an inflight slot after the sync publish returns; a fast sequential publisher would hit its limit
    o.setMaxInflight(1000);
    c.connect(o);
    return c;
  }

  void awaitRunning(String cluster, String link) {
    await().atMost(15, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status(cluster, link).status()));
  }

  @Test
  void preExistingAndNewSubscriptionsAreReplicatedAndEachMessageArrivesOnce() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("A", "B", "#").link("B", "A");
    clusters.start("A");
    Inbox inbox = new Inbox();
    MqttClient subA = client(clusters.uri("A"), "sub-a", inbox);
    subA.subscribe("t1/+", 1);
    subA.subscribe("t1/#", 1);
    clusters.start("B");
    awaitRunning("A", "B");
    awaitRunning("B", "A");
    await().atMost(10, TimeUnit.SECONDS).until(() -> clusters.inbound("B", "A").routes() == 2);

    MqttClient pubB = client(clusters.uri("B"), "pub-b", null);
    pubB.publish("t1/x", "one".getBytes(), 1, false);
    // the sentinel takes the same path (same publisher, topic, link and subscriptions): as many copies of the
    // message as of the sentinel means the link added none; A delivers one copy per session, however many of its
    // filters match
    String sentinel = Sentinel.publishAndAwait(p -> pubB.publish("t1/x", p.getBytes(), 1, false),
      () -> inbox.messages);
    long copies = inbox.messages.stream().filter(m -> m.equals("t1/x one")).count();
    assertThat(copies).isEqualTo(1);
    assertThat(inbox.messages.stream().filter(m -> m.equals("t1/x " + sentinel)).count()).isEqualTo(copies);
    assertThat(Sentinel.without(inbox.messages)).containsOnly("t1/x one");
    assertThat(clusters.status("B", "A").forwarding().matched()).isEqualTo(2); // one copy per message crossed

    subA.subscribe("t2/#", 1);
    await().atMost(10, TimeUnit.SECONDS).until(() -> clusters.inbound("B", "A").routes() == 3);
    pubB.publish("t2/a/b", "two".getBytes(), 1, false);
    await().atMost(10, TimeUnit.SECONDS).until(() -> inbox.messages.contains("t2/a/b two"));
    assertThat(clusters.status("B", "A").forwarding().matched()).isEqualTo(3); // one copy per message crossed

    pubB.publish("elsewhere/x", "none".getBytes(), 1, false);
    Sentinel.publishAndAwait(p -> pubB.publish("t2/a/b", p.getBytes(), 1, false), () -> inbox.messages);
    assertThat(clusters.status("B", "A").forwarding().matched()).as("only the sentinel crossed").isEqualTo(4);
    assertThat(inbox.messages).noneMatch(m -> m.startsWith("elsewhere/"));

    subA.unsubscribe("t2/#");
    await().atMost(10, TimeUnit.SECONDS).until(() -> clusters.inbound("B", "A").routes() == 2);
    subA.disconnect();
    pubB.disconnect();
  }

  @Test
  void sharedSubscriptionsAreRoutedWithTheirGroupRouteId() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("A", "B", "#").link("B", "A");
    clusters.start("A");
    clusters.start("B");
    Inbox m1 = new Inbox();
    Inbox m2 = new Inbox();
    MqttClient a1 = client(clusters.uri("A"), "share-1", m1);
    MqttClient a2 = client(clusters.uri("A"), "share-2", m2);
    a1.subscribe("$share/g/jobs/+", 1);
    a2.subscribe("$share/g/jobs/+", 1);
    awaitRunning("B", "A");
    await().atMost(10, TimeUnit.SECONDS).until(() -> clusters.node("B").gateway().routeSync() != null
      && clusters.inbound("B", "A").routes() == 1);
    MqttClient pubB = client(clusters.uri("B"), "pub-b", null);
    for (int i = 0; i < 10; i++) {
      pubB.publish("jobs/x", ("j" + i).getBytes(), 1, false);
    }
    await().atMost(10, TimeUnit.SECONDS).until(() -> m1.messages.size() + m2.messages.size() == 10);
    assertThat(m1.messages).isNotEmpty();
    assertThat(m2.messages).isNotEmpty();
    a1.disconnect();
    a2.disconnect();
    pubB.disconnect();
  }

  @Test
  void perPublisherOrderIsKeptAcrossTheLink() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("A", "B", "order/#").link("B", "A");
    clusters.start("A");
    clusters.start("B");
    Inbox inbox = new Inbox();
    MqttClient sub = client(clusters.uri("A"), "order-sub", inbox);
    sub.subscribe("order/#", 1);
    awaitRunning("B", "A");
    await().atMost(10, TimeUnit.SECONDS).until(() -> clusters.inbound("B", "A").routes() == 1);
    List<MqttClient> pubs = new CopyOnWriteArrayList<>();
    List<Thread> threads = new java.util.ArrayList<>();
    for (int p = 0; p < 10; p++) {
      int id = p;
      MqttClient pub = client(clusters.uri("B"), "order-pub-" + p, null);
      pubs.add(pub);
      threads.add(new Thread(() -> {
        try {
          for (int i = 0; i < 10; i++) {
            pub.publish("order/" + id, ("" + i).getBytes(), 1, false);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(30_000);
      assertThat(t.isAlive()).as("publisher thread finished").isFalse();
    }
    await().atMost(15, TimeUnit.SECONDS).until(() -> inbox.messages.size() == 100);
    for (int p = 0; p < 10; p++) {
      String prefix = "order/" + p + " ";
      List<String> mine = inbox.messages.stream().filter(m -> m.startsWith(prefix)).toList();
      assertThat(mine).containsExactly(java.util.stream.IntStream.range(0, 10).mapToObj(i -> prefix + i)
        .toArray(String[]::new));
    }
    for (MqttClient pub : pubs) {
      pub.disconnect();
    }
    sub.disconnect();
  }
}
