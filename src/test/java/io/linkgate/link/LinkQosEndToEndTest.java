package io.linkgate.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linkgate.testutil.PahoV5Inbox;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A QoS 2 message published on one Linkgate reaches a QoS 2 subscriber on the other at QoS 2 (MQTT 5 clients). */
@Timeout(120)
class LinkQosEndToEndTest {
  LinkedClusters clusters;
  MqttClient sub;
  MqttClient pub;

  @AfterEach
  void stop() throws Exception {
    for (MqttClient c : new MqttClient[] {sub, pub}) {
      if (c != null) {
        if (c.isConnected()) {
          c.disconnect(5_000);
        }
        c.close();
      }
    }
    if (clusters != null) {
      clusters.close();
    }
  }

  private static MqttClient connect(String uri, String id, MqttCallback callback) throws MqttException {
    MqttClient c = new MqttClient(uri, id, new MemoryPersistence());
    if (callback != null) {
      c.setCallback(callback);
    }
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    c.connect(o);
    return c;
  }

  @Test
  void qos2AndExpiryCrossTheLink() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "src", "dst").link("dst", "src", "t/#").link("src", "dst");
    clusters.start("src");
    clusters.start("dst");
    PahoV5Inbox inbox = new PahoV5Inbox(Duration.ofSeconds(20));
    sub = connect(clusters.uri("dst"), "sub-dst", inbox);
    sub.subscribe("t/#", 2);
    await().atMost(20, TimeUnit.SECONDS).until(() -> clusters.inbound("src", "dst").routes() == 1);

    pub = connect(clusters.uri("src"), "pub-src", null);
    MqttMessage m = new MqttMessage("two".getBytes());
    m.setQos(2);
    MqttProperties props = new MqttProperties();
    props.setMessageExpiryInterval(60L);
    m.setProperties(props);
    pub.publish("t/q2", m);

    MqttMessage got = inbox.next().message();
    assertThat(got).isNotNull();
    assertThat(got.getQos()).isEqualTo(2);
    assertThat(got.getProperties().getMessageExpiryInterval()).isBetween(50L, 60L);
  }
}
