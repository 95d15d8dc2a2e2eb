package io.linkgate.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
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
    BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
    sub = connect(clusters.uri("dst"), "sub-dst", new MqttCallback() {
      @Override
      public void messageArrived(String topic, MqttMessage message) {
        inbox.add(message);
      }

      @Override
      public void disconnected(MqttDisconnectResponse r) {
      }

      @Override
      public void mqttErrorOccurred(MqttException e) {
      }

      @Override
      public void deliveryComplete(IMqttToken token) {
      }

      @Override
      public void connectComplete(boolean reconnect, String serverURI) {
      }

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {
      }
    });
    sub.subscribe("t/#", 2);
    await().atMost(20, TimeUnit.SECONDS).until(() -> clusters.inbound("src", "dst").routes() == 1);

    pub = connect(clusters.uri("src"), "pub-src", null);
    MqttMessage m = new MqttMessage("two".getBytes());
    m.setQos(2);
    MqttProperties props = new MqttProperties();
    props.setMessageExpiryInterval(60L);
    m.setProperties(props);
    pub.publish("t/q2", m);

    MqttMessage got = inbox.poll(20, TimeUnit.SECONDS);
    assertThat(got).isNotNull();
    assertThat(got.getQos()).isEqualTo(2);
    assertThat(got.getProperties().getMessageExpiryInterval()).isBetween(50L, 60L);
  }
}
