package io.linkgate.broker.interop;

import io.linkgate.testutil.PahoV5Inbox;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Eclipse Paho v5 clients for the MQTT 5 behaviour tests; {@link #close()} disconnects every one of them. */
final class PahoV5Clients implements AutoCloseable {
  private static final long WAIT_MS = MosquittoV5Clients.WAIT.toMillis();
  private final List<MqttAsyncClient> clients = new ArrayList<>();

  /** An inbox whose {@code next()} waits {@link MosquittoV5Clients#WAIT}, as every wait here does. */
  static PahoV5Inbox inbox() {
    return new PahoV5Inbox(MosquittoV5Clients.WAIT);
  }

  /** A clean-start client; {@code inbox} may be null for a publisher. */
  MqttAsyncClient connect(String uri, String id, PahoV5Inbox inbox) throws MqttException {
    return connect(uri, id, inbox, new MqttConnectionOptions());
  }

  /** With these CONNECT options (clean start is forced). */
  MqttAsyncClient connect(String uri, String id, PahoV5Inbox inbox, MqttConnectionOptions o) throws MqttException {
    MqttAsyncClient c = new MqttAsyncClient(uri, id, new MemoryPersistence());
    if (inbox != null) {
      c.setCallback(inbox);
    }
    o.setCleanStart(true);
    o.setConnectionTimeout(10);
    c.connect(o).waitForCompletion(WAIT_MS);
    clients.add(c);
    return c;
  }

  /** One SUBSCRIBE for one filter, with a subscription identifier (0: none). Waits for the SUBACK. */
  static void subscribe(MqttAsyncClient c, MqttSubscription sub, int subscriptionId) throws MqttException {
    MqttProperties props = new MqttProperties();
    if (subscriptionId > 0) {
      props.setSubscriptionIdentifier(subscriptionId);
    }
    IMqttToken t = c.subscribe(new MqttSubscription[] {sub}, null, null, props);
    t.waitForCompletion(WAIT_MS);
    assertThat(t.getReasonCodes()).as("SUBACK for %s", sub.getTopic()).containsOnly(sub.getQos());
  }

  /** Publishes and waits until the broker acknowledged (QoS > 0) or the packet was written (QoS 0). */
  static void publish(MqttAsyncClient c, String topic, MqttMessage m) throws MqttException {
    c.publish(topic, m).waitForCompletion(WAIT_MS);
  }

  static void publish(MqttAsyncClient c, String topic, String payload, int qos, boolean retain) throws MqttException {
    publish(c, topic, new MqttMessage(payload.getBytes(), qos, retain, null));
  }

  static MqttSubscription filter(String filter, int qos) {
    return new MqttSubscription(filter, qos);
  }

  @Override
  public void close() {
    for (MqttAsyncClient c : clients) {
      try {
        c.disconnectForcibly(0, 1000, false);
      } catch (MqttException ignored) {
        // already gone
      }
      try {
        c.close(true);
      } catch (MqttException ignored) {
        // closing anyway
      }
    }
  }
}
