package io.linkgate.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two Linkgates named as EMQX's own tests name theirs, {@code cl.source} and {@code cl.target}, linked both ways. */
@Timeout(120)
class DottedClusterNamesLinkTest {
  LinkedClusters clusters;
  final List<MqttClient> clients = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (MqttClient c : clients) {
      if (c.isConnected()) {
        c.disconnect(5_000);
      }
      c.close();
    }
    if (clusters != null) {
      clusters.close();
    }
  }

  private MqttClient client(String cluster, String id, ClusterLinkingTest.Inbox inbox) throws Exception {
    MqttClient c = ClusterLinkingTest.client(clusters.uri(cluster), id, inbox);
    clients.add(c);
    return c;
  }

  @Test
  void messagesCrossALinkBetweenDottedNames() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "cl.source", "cl.target")
      .link("cl.target", "cl.source", "t/#").link("cl.source", "cl.target");
    clusters.start("cl.source");
    clusters.start("cl.target");
    ClusterLinkingTest.Inbox inbox = new ClusterLinkingTest.Inbox();
    client("cl.target", "sub-target", inbox).subscribe("t/#", 1);
    await().atMost(20, TimeUnit.SECONDS).until(() -> clusters.inbound("cl.source", "cl.target").routes() == 1);
    await().atMost(20, TimeUnit.SECONDS)
      .until(() -> "running".equals(clusters.status("cl.source", "cl.target").status()));

    MqttClient pub = client("cl.source", "pub-source", null);
    pub.publish("t/1", "one".getBytes(), 1, false);
    pub.publish("t/2", "two".getBytes(), 1, false);
    await().atMost(20, TimeUnit.SECONDS).until(() -> inbox.messages.size() == 2);
    assertThat(inbox.messages).containsExactly("t/1 one", "t/2 two");
    assertThat(clusters.inbound("cl.target", "cl.source").received()).isEqualTo(2);
  }
}
