package io.linkgate.broker.interop;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Eclipse Paho v5 clients for the MQTT 5 behaviour tests; {@link #close()} disconnects every one of them. */
final class PahoV5Clients implements AutoCloseable {
  private static final long WAIT_MS = MosquittoV5Clients.WAIT.toMillis();
  private final List<MqttAsyncClient> clients = new ArrayList<>();

  record Received(String topic, MqttMessage message) {
    String payload() {
      return new String(message.getPayload());
    }

    List<Integer> subscriptionIds() {
      return message.getProperties().getSubscriptionIdentifiers();
    }
  }

  /** What one client received, in order. */
  static final class Inbox implements MqttCallback {
    private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();

    /** The next message; fails when none comes within {@link MosquittoV5Clients#WAIT}. */
    Received next() throws InterruptedException {
      Received r = messages.poll(MosquittoV5Clients.WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(r).as("a message within %s", MosquittoV5Clients.WAIT).isNotNull();
      return r;
    }

    @Override
    public void disconnected(MqttDisconnectResponse r) {
    }

    @Override
    public void mqttErrorOccurred(MqttException e) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      messages.add(new Received(topic, message));
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
  }

  /** A clean-start client; {@code inbox} may be null for a publisher. */
  MqttAsyncClient connect(String uri, String id, Inbox inbox) throws MqttException {
    return connect(uri, id, inbox, new MqttConnectionOptions());
  }

  /** With these CONNECT options (clean start is forced). */
  MqttAsyncClient connect(String uri, String id, Inbox inbox, MqttConnectionOptions o) throws MqttException {
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
