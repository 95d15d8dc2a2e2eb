package io.linkgate.link.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link LinkClient} of cluster links: a small MQTT 5 client, on a Vert.x socket with Netty's MQTT codec. vertx-mqtt 5.0's client
 * speaks only MQTT 3.1.1, and the link protocol needs MQTT 5 (Response-Topic, Correlation-Data, PUBACK reason
 * codes). Every method must be called on the context that created the client; callbacks run there too.
 *
 * <p>Uses {@code NetSocketInternal} to put the codec in the pipeline, the same way vertx-mqtt does.
 */
public final class MqttLinkClient implements LinkClient {

  private record PendingPublish(String topic, byte[] payload, MqttProperties properties, Promise<Integer> acked,
                                long sentAt) {
  }

  private final Vertx vertx;
  private final LinkClientOptions options;
  private NetClient netClient;
  private NetSocketInternal socket;
  private boolean connected;
  private boolean closed;
  private int lastPacketId;
  private int serverReceiveMaximum = 65535;
  /** The peer's Maximum Packet Size from its CONNACK; 0 when it set none. */
  private long serverMaximumPacketSize;
  /** Our keep alive, or the peer's Server Keep Alive when its CONNACK has one (MQTT 5 §3.2.2.3.14). */
  private long keepAliveMs;
  private final LinkedHashMap<Integer, PendingPublish> inflight = new LinkedHashMap<>();
  private final Map<Integer, Promise<int[]>> pendingSubacks = new HashMap<>();
  private Promise<MqttConnAckMessage> connectPromise;
  private Handler<Incoming> messageHandler = m -> {
  };
  private Handler<LinkClientException> closeHandler = e -> {
  };
  private LinkClientException closeReason;
  private long keepAliveTimer = -1;
  private long retryTimer = -1;
  private long lastSent;
  private boolean awaitingPong;

  public MqttLinkClient(Vertx vertx, LinkClientOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.keepAliveMs = options.keepAlive().toMillis();
  }

  @Override
  public MqttLinkClient messageHandler(Handler<Incoming> handler) {
    this.messageHandler = handler;
    return this;
  }

  /** Called once when an established or pending connection ends, with the reason. */
  @Override
  public MqttLinkClient closeHandler(Handler<LinkClientException> handler) {
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

  /** The keep alive in use: ours until the CONNACK, then the peer's Server Keep Alive if it sent one. */
  @Override
  public long keepAliveMillis() {
    return keepAliveMs;
  }

  /** The peer's Maximum Packet Size, 0 when unlimited. */
  @Override
  public long maximumPacketSize() {
    return serverMaximumPacketSize;
  }

  /** Whether a QoS 1 PUBLISH of this topic, payload and properties stays within the peer's Maximum Packet Size. */
  @Override
  public boolean fits(String topic, byte[] payload, MqttProperties properties) {
    return serverMaximumPacketSize <= 0 || PacketSize.publish(topic, payload.length, properties)
      <= serverMaximumPacketSize;
  }

  /** Unacknowledged QoS 1 publishes allowed: ours, capped by the server's Receive Maximum. */
  @Override
  public int window() {
    int ours = options.maxInflight() <= 0 ? 65535 : options.maxInflight();
    return Math.min(ours, serverReceiveMaximum);
  }

  // ---- connect ----

  /** Connects and completes with the CONNACK, or fails with a {@link LinkClientException}. */
  @Override
  public Future<MqttConnAckMessage> connect() {
    connectPromise = Promise.promise();
    netClient = vertx.createNetClient(options.netOptions());
    long timeoutMs = options.connectTimeout().toMillis();
    long timer = vertx.setTimer(timeoutMs, id -> fail(new LinkClientException("broker_connect_timeout", -1,
      "no CONNACK from " + options.host() + ":" + options.port() + " within " + timeoutMs + " ms")));
    // connect(ConnectOptions) takes neither the client's ssl flag nor its TLS options (trust, key, hostname check)
    // from NetClientOptions, unlike connect(port, host): pass both
    ConnectOptions to = new ConnectOptions().setPort(options.port()).setHost(options.host())
      .setSsl(options.netOptions().isSsl());
    if (options.netOptions().isSsl()) {
      to.setSslOptions(options.netOptions().getSslOptions());
    }
    if (options.sniServerName() != null) {
      // dial the configured address but make the SNI name the TLS peer: Vert.x checks the certificate's host
      // name against the peer host, and with server_name_indication that name is the one to check (as in Erlang)
      to.setRemoteAddress(SocketAddress.inetSocketAddress(options.port(), options.host()))
        .setHost(options.sniServerName()).setSniServerName(options.sniServerName());
    }
    netClient.connect(to).onComplete(ar -> {
      if (ar.failed()) {
        vertx.cancelTimer(timer);
        fail(connectFailure(ar.cause()));
        return;
      }
      if (closed) {
        ar.result().close();
        return;
      }
      socket = (NetSocketInternal) ar.result();
      ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
      pipeline.addBefore("handler", "mqttEncoder", MqttEncoder.INSTANCE);
      pipeline.addBefore("handler", "mqttDecoder", new MqttDecoder(256 * 1024 * 1024));
      socket.messageHandler(this::onMessage);
      socket.closeHandler(v -> fail(new LinkClientException("socket_closed", -1, "connection closed by peer")));
      socket.exceptionHandler(t -> fail(new LinkClientException("socket_error", -1, String.valueOf(t.getMessage()))));
      write(connectMessage()).onFailure(err -> fail(new LinkClientException("connect_failed", -1,
        "could not send CONNECT: " + err.getMessage())));
    });
    return connectPromise.future().andThen(ar -> vertx.cancelTimer(timer));
  }

  /** A failed TCP connect or TLS handshake, with the root cause spelled out (e.g. the certificate problem). */
  private LinkClientException connectFailure(Throwable cause) {
    String where = options.host() + ":" + options.port();
    Throwable root = cause;
    boolean tls = false;
    for (Throwable t = cause; t != null; t = t.getCause()) {
      tls |= t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException;
      root = t;
    }
    if (tls) {
      return new LinkClientException("tls_error", -1, "TLS handshake with " + where + " failed: "
        + root.getMessage());
    }
    return new LinkClientException("socket_error", -1, "cannot connect to " + where + ": " + cause.getMessage());
  }

  private MqttMessage connectMessage() {
    MqttProperties props = new MqttProperties();
    props.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, 65535));
    var b = MqttMessageBuilders.connect()
      .protocolVersion(MqttVersion.MQTT_5)
      .clientId(options.clientId())
      .cleanSession(options.cleanStart())
      .keepAlive((int) options.keepAlive().toSeconds())
      .properties(props);
    if (options.username() != null) {
      b.hasUser(true).username(options.username());
    } else if (options.password() != null) {
      // MQTT 5 allows a password alone, but Netty's encoder refuses it: an empty user name carries it
      b.hasUser(true).username("");
    }
    if (options.password() != null) {
      b.hasPassword(true).password(options.password().getBytes(StandardCharsets.UTF_8));
    }
    return b.build();
  }

  // ---- operations ----

  /** Subscribes and completes with the SUBACK reason codes. */
  @Override
  public Future<int[]> subscribe(String filter, int qos) {
    if (!isConnected()) {
      return Future.failedFuture(notConnected());
    }
    int id = nextPacketId();
    Promise<int[]> promise = Promise.promise();
    pendingSubacks.put(id, promise);
    write(MqttMessageBuilders.subscribe().messageId(id)
      .addSubscription(filter, new MqttSubscriptionOption(MqttQoS.valueOf(qos), false, false,
        MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE)).build());
    return promise.future();
  }

  /**
   * Publishes; QoS 0 completes when written, QoS 1 with the PUBACK reason code. A full window fails with
   * {@code inflight_full}: the caller buffers (see {@link #window()}). A packet larger than the peer's Maximum
   * Packet Size is not sent (the peer would close the connection for it): it fails with {@code packet_too_large}.
   */
  @Override
  public Future<Integer> publish(String topic, byte[] payload, int qos, MqttProperties properties) {
    if (!isConnected()) {
      return Future.failedFuture(notConnected());
    }
    if (!fits(topic, payload, properties)) {
      return Future.failedFuture(new LinkClientException("packet_too_large", 0x95, "a " + payload.length
        + "-byte payload exceeds the peer's Maximum Packet Size of " + serverMaximumPacketSize + " bytes"));
    }
    MqttProperties props = properties == null ? MqttProperties.NO_PROPERTIES : properties;
    if (qos == 0) {
      return write(publishMessage(topic, payload, 0, 0, false, props)).map(0);
    }
    if (inflight.size() >= window()) {
      return Future.failedFuture(new LinkClientException("inflight_full", -1, "inflight window full"));
    }
    int id = nextPacketId();
    Promise<Integer> promise = Promise.promise();
    inflight.put(id, new PendingPublish(topic, payload, props, promise, System.currentTimeMillis()));
    write(publishMessage(topic, payload, 1, id, false, props));
    return promise.future();
  }

  private MqttPublishMessage publishMessage(String topic, byte[] payload, int qos, int id, boolean dup,
                                            MqttProperties props) {
    return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), false, 0),
      new MqttPublishVariableHeader(topic, id, props), Unpooled.wrappedBuffer(payload));
  }

  /** Sends DISCONNECT (normal) and closes. */
  @Override
  public Future<Void> disconnect() {
    if (socket != null && isConnected()) {
      write(MqttMessageBuilders.disconnect().reasonCode((byte) 0).build());
    }
    return close(new LinkClientException("local_close", 0, "closed locally"));
  }

  /** Closes now, without waiting for anything: also aborts a pending TCP connect or CONNACK. */
  @Override
  public Future<Void> close(LinkClientException reason) {
    fail(reason);
    return Future.succeededFuture();
  }

  // ---- incoming ----

  private void onMessage(Object msg) {
    try {
      if (!(msg instanceof MqttMessage m)) {
        return;
      }
      if (m.decoderResult().isFailure()) {
        fail(new LinkClientException("malformed_packet", 0x81, "malformed packet from peer: "
          + m.decoderResult().cause().getMessage()));
        return;
      }
      switch (m.fixedHeader().messageType()) {
        case CONNACK -> onConnack((MqttConnAckMessage) m);
        case PUBACK -> onPuback(m);
        case SUBACK -> onSuback((MqttSubAckMessage) m);
        case PUBLISH -> onPublish((MqttPublishMessage) m);
        case PINGRESP -> awaitingPong = false;
        case DISCONNECT -> onDisconnect(m);
        case PUBREC, PUBREL, PUBCOMP, UNSUBACK, AUTH -> {
          // the link protocol uses QoS 0/1 only; nothing to do
        }
        default -> fail(new LinkClientException("protocol_error", 0x82, "unexpected " + m.fixedHeader().messageType()));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onConnack(MqttConnAckMessage m) {
    MqttConnectReturnCode rc = m.variableHeader().connectReturnCode();
    if (rc != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
      fail(new LinkClientException("broker_connect_refused", rc.byteValue() & 0xFF,
        "connection refused by peer: " + rc));
      return;
    }
    MqttProperties props = m.variableHeader().properties();
    MqttProperties.MqttProperty<?> rm = props.getProperty(MqttProperties.RECEIVE_MAXIMUM);
    if (rm != null) {
      serverReceiveMaximum = (Integer) rm.value();
    }
    MqttProperties.MqttProperty<?> mps = props.getProperty(MqttProperties.MAXIMUM_PACKET_SIZE);
    if (mps != null) {
      serverMaximumPacketSize = ((Integer) mps.value()) & 0xFFFFFFFFL;
    }
    MqttProperties.MqttProperty<?> ska = props.getProperty(MqttProperties.SERVER_KEEP_ALIVE);
    if (ska != null) {
      keepAliveMs = ((Integer) ska.value()) * 1000L; // the server's value replaces ours, 0 included
    }
    connected = true;
    startTimers();
    connectPromise.tryComplete(m);
  }

  private void onPuback(MqttMessage m) {
    int id;
    int reason = 0;
    if (m.variableHeader() instanceof MqttPubReplyMessageVariableHeader h) {
      id = h.messageId();
      reason = h.reasonCode() & 0xFF;
    } else {
      id = ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
    }
    PendingPublish p = inflight.remove(id);
    if (p != null) {
      p.acked().complete(reason);
    }
  }

  private void onSuback(MqttSubAckMessage m) {
    Promise<int[]> p = pendingSubacks.remove(m.variableHeader().messageId());
    if (p != null) {
      p.complete(m.payload().reasonCodes().stream().mapToInt(Integer::intValue).toArray());
    }
  }

  private void onPublish(MqttPublishMessage m) {
    ByteBuf buf = m.payload();
    byte[] payload = new byte[buf.readableBytes()];
    buf.readBytes(payload);
    int qos = m.fixedHeader().qosLevel().value();
    if (qos == 1) {
      write(MqttMessageBuilders.pubAck().packetId(m.variableHeader().packetId()).build());
    }
    messageHandler.handle(new Incoming(m.variableHeader().topicName(), payload, qos, m.variableHeader().properties()));
  }

  private void onDisconnect(MqttMessage m) {
    int code = m.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h ? h.reasonCode() & 0xFF : 0;
    fail(new LinkClientException("broker_disconnect", code, "peer sent DISCONNECT reason 0x" + Integer.toHexString(code)
      + " (" + DisconnectReasons.name(code) + ")"));
  }

  // ---- timers, writes, failure ----

  private void startTimers() {
    long keepAliveMs = this.keepAliveMs;
    if (keepAliveMs > 0) {
      keepAliveTimer = vertx.setPeriodic(Math.max(keepAliveMs / 2, 100), id -> {
        long now = System.currentTimeMillis();
        if (awaitingPong && now - lastSent > keepAliveMs) {
          fail(new LinkClientException("keepalive_timeout", 0x8D, "no PINGRESP within the keep alive"));
        } else if (now - lastSent >= keepAliveMs / 2) {
          awaitingPong = true;
          write(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0)));
        }
      });
    }
    long retryMs = options.retryInterval().toMillis();
    if (retryMs > 0) {
      retryTimer = vertx.setPeriodic(Math.max(retryMs / 2, 100), id -> resendOverdue(retryMs));
    }
  }

  private void resendOverdue(long retryMs) {
    long now = System.currentTimeMillis();
    for (Map.Entry<Integer, PendingPublish> e : inflight.entrySet()) {
      PendingPublish p = e.getValue();
      if (now - p.sentAt() >= retryMs) {
        e.setValue(new PendingPublish(p.topic(), p.payload(), p.properties(), p.acked(), now));
        write(publishMessage(p.topic(), p.payload(), 1, e.getKey(), true, p.properties()));
      }
    }
  }

  private Future<Void> write(MqttMessage m) {
    if (socket == null || closed) {
      return Future.failedFuture(notConnected());
    }
    lastSent = System.currentTimeMillis();
    return socket.writeMessage(m);
  }

  private int nextPacketId() {
    do {
      lastPacketId = lastPacketId == 65535 ? 1 : lastPacketId + 1;
    } while (inflight.containsKey(lastPacketId) || pendingSubacks.containsKey(lastPacketId));
    return lastPacketId;
  }

  private LinkClientException notConnected() {
    return closeReason != null ? closeReason : new LinkClientException("not_connected", -1, "not connected");
  }

  private void fail(LinkClientException reason) {
    if (closed) {
      return;
    }
    closed = true;
    closeReason = reason;
    connected = false;
    if (keepAliveTimer >= 0) {
      vertx.cancelTimer(keepAliveTimer);
    }
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    if (socket != null) {
      socket.close();
    }
    if (netClient != null) {
      netClient.close();
    }
    if (connectPromise != null) {
      connectPromise.tryFail(reason);
    }
    for (Iterator<PendingPublish> it = inflight.values().iterator(); it.hasNext(); ) {
      it.next().acked().tryFail(reason);
      it.remove();
    }
    pendingSubacks.values().forEach(p -> p.tryFail(reason));
    pendingSubacks.clear();
    closeHandler.handle(reason);
  }
}
