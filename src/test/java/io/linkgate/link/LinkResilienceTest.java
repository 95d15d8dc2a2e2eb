package io.linkgate.link;

import io.linkgate.testutil.Ports;
import io.linkgate.testutil.TcpProxy;
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
          Thread.sleep(1000); // still cut: these wait in B's buffer
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
    Thread.sleep(500); // a loop would show up as more copies by now
    for (ClusterLinkingTest.Inbox inbox : inboxes.values()) {
      assertThat(inbox.messages).containsExactlyInAnyOrder("mesh/from-A A", "mesh/from-B B", "mesh/from-C C");
    }
  }
}
