package io.linkgate.broker.interop;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A well-behaved Paho client that publishes to itself (QoS 1, every 20 ms) while a test abuses the broker on other
 * connections; {@link #assertHealthy()} checks that it stayed connected and lost, duplicated or reordered nothing.
 */
final class SideTraffic implements AutoCloseable {
  private final MqttClient client;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "side-traffic");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger published = new AtomicInteger();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final String topic;
  private volatile Throwable connectionLost;
  private volatile Throwable publishError;

  SideTraffic(String uri, String clientId) throws Exception {
    topic = "side/" + clientId;
    client = new MqttClient(uri, clientId, new MemoryPersistence());
    client.setCallback(new MqttCallback() {
      public void connectionLost(Throwable cause) {
        connectionLost = cause;
      }

      public void messageArrived(String topic, MqttMessage m) {
        received.add(new String(m.getPayload(), StandardCharsets.UTF_8));
      }

      public void deliveryComplete(IMqttDeliveryToken token) {
      }
    });
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(true);
    o.setAutomaticReconnect(false);
    client.connect(o);
    client.subscribe(topic, 1);
    timer.scheduleWithFixedDelay(() -> {
      if (publishError != null) {
        return;
      }
      try {
        client.publish(topic, ("s" + published.get()).getBytes(StandardCharsets.UTF_8), 1, false);
        published.incrementAndGet();
      } catch (Exception e) {
        publishError = e;
      }
    }, 0, 20, TimeUnit.MILLISECONDS);
  }

  /** Traffic still flows now, and everything published during the test came back exactly once, in order. */
  void assertHealthy() throws Exception {
    // the bounds below catch a stuck client or broker; a loaded machine may need many seconds after a flood
    int before = published.get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (published.get() < before + 3 && publishError == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    timer.shutdown();
    assertThat(timer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(publishError).as("side client publish error").isNull();
    assertThat(connectionLost).as("side client connection lost").isNull();
    assertThat(published.get()).as("side client kept publishing").isGreaterThanOrEqualTo(before + 3);
    int n = published.get();
    // a last message is the sentinel: behind it, every copy of the others (a duplicate too) has arrived
    client.publish(topic, "end".getBytes(StandardCharsets.UTF_8), 1, false);
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!received.contains("end") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add("s" + i);
    }
    expected.add("end");
    if (!received.equals(expected)) {
      fail("side client received %d of %d messages: %s", received.size(), n, received);
    }
    assertThat(client.isConnected()).isTrue();
  }

  @Override
  public void close() throws MqttException {
    timer.shutdownNow();
    if (client.isConnected()) {
      client.disconnect(0);
    }
    client.close();
  }
}
