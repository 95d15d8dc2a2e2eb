package io.linkgate.testutil;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The callback of one Eclipse Paho v5 client in a test: what it received, in order, and the reason code of the
 * broker's DISCONNECT. Paho's callback interface has six methods; tests care about two.
 */
public final class PahoV5Inbox implements MqttCallback {
  private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> disconnectReason = new CompletableFuture<>();
  private final Duration wait;

  public record Received(String topic, MqttMessage message) {
    public String payload() {
      return new String(message.getPayload(), StandardCharsets.UTF_8);
    }

    public List<Integer> subscriptionIds() {
      return message.getProperties().getSubscriptionIdentifiers();
    }
  }

  /** {@link #next()} waits at most {@code wait} for a message. */
  public PahoV5Inbox(Duration wait) {
    this.wait = wait;
  }

  /** The next message; fails when none comes within the inbox's wait. */
  public Received next() throws InterruptedException {
    Received r = messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(r).as("a message within %s", wait).isNotNull();
    return r;
  }

  /** Completes with the reason code when the broker disconnects this client. */
  public CompletableFuture<Integer> disconnectReason() {
    return disconnectReason;
  }

  @Override
  public void disconnected(MqttDisconnectResponse r) {
    disconnectReason.complete(r.getReturnCode());
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
