package io.linkgate.link;

import io.linkgate.testutil.Ports;
import io.linkgate.testutil.TcpProxy;
import io.linkgate.testutil.Sentinel;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.linkgate.link.ClusterLinkingTest.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What an operator relies on when the network between clusters misbehaves, and multi-cluster topologies. */
class LinkResilienceTest {
  LinkedClusters clusters;

  @AfterEach
  void stop() throws Exception {
    if (clusters != null) {
      clusters.close();
    }
  }

  void awaitRoutes(String cluster, String peer, int routes) {
    await().atMost(15, TimeUnit.SECONDS).until(() -> clusters.inbound(cluster, peer).routes() == routes);
  }

  @Test
  void qos1MessagesPublishedWhileTheLinkIsCutAreDeliveredAfterwards() throws Exception {
    int proxyPort = Ports.free();
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("A", "B", "cut/#");
    clusters.linkVia("B", "A", proxyPort);
    try (TcpProxy proxy = new TcpProxy(proxyPort, clusters.port("A"))) {
      clusters.start("A");
      clusters.start("B");
      ClusterLinkingTest.Inbox inbox = new ClusterLinkingTest.Inbox();
      MqttClient sub = client(clusters.uri("A"), "cut-sub", inbox);
      sub.subscribe("cut/#", 1);
      awaitRoutes("B", "A", 1);
      await().atMost(15, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status("B", "A").status()));
      MqttClient pub = client(clusters.uri("B"), "cut-pub", null);
      int total = 600;
      for (int i = 0; i < total; i++) {
        if (i == 200) {
          proxy.cut();
        }
        if (i == 400) {
          // B has seen the cut (its reconnects are refused): messages 200..399 wait in its buffer
          await().atMost(15, TimeUnit.SECONDS).until(() -> clusters.status("B", "A").poolConnected() == 0);
          proxy.restore();
        }
        pub.publish("cut/x", ("m" + i).getBytes(), 1, false);
      }
      await().atMost(20, TimeUnit.SECONDS).until(() -> inbox.messages.stream().distinct().count() == total);
      Map<String, Integer> copies = new HashMap<>();
      inbox.messages.forEach(m -> copies.merge(m, 1, Integer::sum));
      long duplicates = inbox.messages.size() - copies.size();
      LinkStatus status = clusters.status("B", "A");
      // at least once: any duplicate is a retried message, and retries are counted, never hidden
      assertThat(duplicates).isLessThanOrEqualTo(status.forwarding().retried());
      assertThat(status.forwarding().dropped()).isZero();
      assertThat(status.forwarding().success()).isEqualTo(total);
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void threeClustersInFullMeshDeliverEachMessageOnceToEachInterestedClusterAndNeverLoop() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B", "C")
      .link("A", "B", "#").link("A", "C", "#")
      .link("B", "A", "#").link("B", "C", "#")
      .link("C", "A", "#").link("C", "B", "#");
    clusters.start("A");
    clusters.start("B");
    clusters.start("C");
    Map<String, ClusterLinkingTest.Inbox> inboxes = new HashMap<>();
    for (String c : new String[] {"A", "B", "C"}) {
      ClusterLinkingTest.Inbox inbox = new ClusterLinkingTest.Inbox();
      inboxes.put(c, inbox);
      client(clusters.uri(c), "mesh-sub-" + c, inbox).subscribe("mesh/#", 1);
    }
    for (String c : new String[] {"A", "B", "C"}) {
      for (String peer : new String[] {"A", "B", "C"}) {
        if (!peer.equals(c)) {
          awaitRoutes(c, peer, 1);
        }
      }
    }
    for (String c : new String[] {"A", "B", "C"}) {
      MqttClient pub = client(clusters.uri(c), "mesh-pub-" + c, null);
      pub.publish("mesh/from-" + c, c.getBytes(), 1, false);
      pub.disconnect();
    }
    for (ClusterLinkingTest.Inbox inbox : inboxes.values()) {
      await().atMost(10, TimeUnit.SECONDS).until(() -> inbox.messages.size() >= 3);
    }
    // a looping copy goes through a second cluster, which had queued it to its next link before its own
    // subscriber saw the message. A sentinel from every cluster, published now, follows any such copy on every
    // link: once each inbox has all three sentinels, every copy that was ever going to arrive has.
    java.util.List<String> sentinels = new java.util.ArrayList<>();
    for (String c : new String[] {"A", "B", "C"}) {
      MqttClient pub = client(clusters.uri(c), "mesh-sentinel-" + c, null);
      String topic = "mesh/sentinel-" + c;
      sentinels.add(topic + " " + Sentinel.publishAndAwait(p -> pub.publish(topic, p.getBytes(), 1, false),
        () -> inboxes.values().stream().flatMap(i -> i.messages.stream()).toList(), inboxes.size()));
      pub.disconnect();
    }
    for (ClusterLinkingTest.Inbox inbox : inboxes.values()) {
      assertThat(Sentinel.without(inbox.messages))
        .containsExactlyInAnyOrder("mesh/from-A A", "mesh/from-B B", "mesh/from-C C");
      assertThat(inbox.messages).containsAll(sentinels).hasSize(6);
    }
  }
}
