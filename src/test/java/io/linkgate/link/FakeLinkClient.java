package io.linkgate.link;

import io.linkgate.link.client.LinkClient;
import io.linkgate.link.client.LinkClientException;
import io.linkgate.link.client.LinkClientOptions;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link LinkClient} without a network, driven by the test: it records what is published and subscribed, and the
 * test decides when the connection comes up ({@link #accept}), when a PUBACK arrives ({@link #ack}) and when the
 * connection drops ({@link #drop}). Like the real client it fails unacknowledged publishes before its close handler
 * runs, honours the window and the peer's Maximum Packet Size. Touch it only on the owning context.
 */
final class FakeLinkClient implements LinkClient {

  /** One PUBLISH the client under test sent. */
  record Published(String topic, byte[] payload, int qos, MqttProperties properties, Promise<Integer> acked) {
  }

  /** Makes fake clients and keeps them, in creation order; {@code autoAccept}: connects succeed at once. */
  static final class Factory implements LinkClient.Factory {
    final List<FakeLinkClient> created = new CopyOnWriteArrayList<>();
    boolean autoAccept = true;
    int window = 65535;
    long maximumPacketSize;

    @Override
    public LinkClient create(Vertx vertx, LinkClientOptions options) {
      FakeLinkClient c = new FakeLinkClient(vertx, options, autoAccept, window, maximumPacketSize);
      created.add(c);
      return c;
    }

    FakeLinkClient last() {
      return created.get(created.size() - 1);
    }
  }

  final LinkClientOptions options;
  final List<Published> published = new ArrayList<>();
  final List<String> subscriptions = new ArrayList<>();
  private final ArrayDeque<Published> inflight = new ArrayDeque<>();
  private final Vertx vertx;
  private final boolean autoAccept;
  private final int window;
  private final long maximumPacketSize;
  private Promise<MqttConnAckMessage> connecting;
  private Handler<Incoming> messageHandler = m -> {
  };
  private Handler<LinkClientException> closeHandler = e -> {
  };
  private boolean connected;
  private boolean closed;
  int maxInflightSeen;

  private FakeLinkClient(Vertx vertx, LinkClientOptions options, boolean autoAccept, int window,
                         long maximumPacketSize) {
    this.vertx = vertx;
    this.options = options;
    this.autoAccept = autoAccept;
    this.window = window;
    this.maximumPacketSize = maximumPacketSize;
  }

  // ---- the test's controls ----

  /** The peer accepts the connection (CONNACK). */
  void accept() {
    if (!closed && connecting != null) {
      connected = true;
      connecting.tryComplete(MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
        .build());
    }
  }

  /** The oldest unacknowledged publish gets a PUBACK with this reason code. */
  void ack(int reasonCode) {
    inflight.poll().acked().complete(reasonCode);
  }

  /** Acknowledges everything in flight (success). */
  void ackAll() {
    while (!inflight.isEmpty()) {
      ack(0);
    }
  }

  int inflight() {
    return inflight.size();
  }

  /** The connection is lost. */
  void drop(String cause) {
    fail(new LinkClientException(cause, -1, "dropped by the test"));
  }

  /** A message from the peer. */
  void deliver(Incoming in) {
    messageHandler.handle(in);
  }

  boolean isClosed() {
    return closed;
  }

  // ---- LinkClient ----

  @Override
  public LinkClient messageHandler(Handler<Incoming> handler) {
    this.messageHandler = handler;
    return this;
  }

  @Override
  public LinkClient closeHandler(Handler<LinkClientException> handler) {
    this.closeHandler = handler;
    return this;
  }

  @Override
  public boolean isConnected() {
    return connected && !closed;
  }

  @Override
  public int inflightCount() {
    return inflight.size();
  }

  @Override
  public int window() {
    return window;
  }

  @Override
  public long keepAliveMillis() {
    return options.keepAlive().toMillis();
  }

  @Override
  public long maximumPacketSize() {
    return maximumPacketSize;
  }

  @Override
  public boolean fits(String topic, byte[] payload, MqttProperties properties) {
    return maximumPacketSize <= 0 || topic.length() + payload.length + 8 <= maximumPacketSize;
  }

  @Override
  public Future<MqttConnAckMessage> connect() {
    connecting = Promise.promise();
    if (autoAccept) {
      vertx.getOrCreateContext().runOnContext(v -> accept()); // a later turn, as a real CONNACK
    }
    return connecting.future();
  }

  @Override
  public Future<int[]> subscribe(String filter, int qos) {
    if (!isConnected()) {
      return Future.failedFuture(new LinkClientException("not_connected", -1, "not connected"));
    }
    subscriptions.add(filter);
    return Future.succeededFuture(new int[] {qos});
  }

  @Override
  public Future<Integer> publish(String topic, byte[] payload, int qos, MqttProperties properties) {
    if (!isConnected()) {
      return Future.failedFuture(new LinkClientException("not_connected", -1, "not connected"));
    }
    if (!fits(topic, payload, properties)) {
      return Future.failedFuture(new LinkClientException("packet_too_large", 0x95, "too large"));
    }
    if (qos > 0 && inflight.size() >= window) {
      return Future.failedFuture(new LinkClientException("inflight_full", -1, "inflight window full"));
    }
    Promise<Integer> acked = Promise.promise();
    Published p = new Published(topic, payload, qos, properties, acked);
    published.add(p);
    if (qos == 0) {
      acked.complete(0);
    } else {
      inflight.add(p);
      maxInflightSeen = Math.max(maxInflightSeen, inflight.size());
    }
    return acked.future();
  }

  @Override
  public Future<Void> disconnect() {
    return close(new LinkClientException("local_close", 0, "closed locally"));
  }

  @Override
  public Future<Void> close(LinkClientException reason) {
    fail(reason);
    return Future.succeededFuture();
  }

  private void fail(LinkClientException reason) {
    if (closed) {
      return;
    }
    closed = true;
    connected = false;
    if (connecting != null) {
      connecting.tryFail(reason);
    }
    while (!inflight.isEmpty()) {
      inflight.poll().acked().tryFail(reason);
    }
    closeHandler.handle(reason);
  }
}
