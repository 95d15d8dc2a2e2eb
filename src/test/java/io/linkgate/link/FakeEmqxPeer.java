package io.linkgate.link;

import io.linkgate.link.wire.ActorInit;
import io.linkgate.link.wire.ActorInitAck;
import io.linkgate.link.wire.ControlOp;
import io.linkgate.link.wire.ForwardedMessage;
import io.linkgate.link.wire.Heartbeat;
import io.linkgate.link.wire.LinkTopic;
import io.linkgate.link.wire.LinkTopics;
import io.linkgate.link.wire.RouteOp;
import io.linkgate.link.wire.RouteUpdate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A test-side stand-in for an EMQX 5.x cluster on the receiving end of our link: a small MQTT 5 server that speaks
 * the target side of the {@code $LINK} protocol with Linkgate's own {@code link/wire} codec. It keeps an actor table
 * and the routes each actor sent, records forwarded messages, and can behave like the versions in the field:
 * answer {@code need_bootstrap = false} always (EMQX #16269, 5.8.0–5.10.2), {@link #restart()} and forget every
 * actor (its tables are in RAM), garbage-collect actors whose TTL ran out, disconnect a client on a protocol error
 * (0x83, as EMQX does), advertise CONNACK limits, and stop acknowledging forwarded messages.
 *
 * <p>All state lives on its own single event loop; tests read it through the synchronized accessors.
 */
final class FakeEmqxPeer implements AutoCloseable {

  private static final class Actor {
    final long incarnation;
    long until;
    final Set<String> routes = new HashSet<>();

    Actor(long incarnation, long until) {
      this.incarnation = incarnation;
      this.until = until;
    }
  }

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final String clusterName;
  private final String linkName;
  private final int port;
  private final NetServer server;
  private final Map<String, Actor> actors = new HashMap<>();
  private final Map<NetSocketInternal, String> bound = new HashMap<>();
  private final Set<NetSocketInternal> sockets = new HashSet<>();
  private final List<ForwardedMessage> forwarded = new ArrayList<>();
  private final List<String> clientIds = new ArrayList<>();
  private final Map<String, Integer> pingreqs = new HashMap<>();
  private boolean needBootstrapAlwaysFalse;
  private long ttlMillis = Long.MAX_VALUE / 4;
  private Integer serverKeepAlive;
  private int maxPacketSize;
  private boolean ackMessages = true;
  private boolean ackRoutes = true;
  private boolean failNextRouteOp;
  private int actorInits;
  private int routeBatches;
  private int heartbeats;
  private int oversized;
  private int protocolErrors;
  private long gcTimer = -1;
  private io.linkgate.link.client.MqttLinkClient linkBack;
  private long linkBackTimer = -1;

  /**
   * @param clusterName its {@code cluster.name}: our link must be named so
   * @param linkName    the name of its link to us: our {@code cluster.name}
   */
  FakeEmqxPeer(String clusterName, String linkName, int port) throws Exception {
    this.clusterName = clusterName;
    this.linkName = linkName;
    this.port = port;
    this.server = vertx.createNetServer().connectHandler(so -> accept((NetSocketInternal) so));
    server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  int port() {
    return port;
  }

  // ---- behaviour switches ----

  /** Answers every successful actor_init with {@code need_bootstrap = false}, as EMQX 5.8.0–5.10.2 do. */
  synchronized FakeEmqxPeer needBootstrapAlwaysFalse() {
    needBootstrapAlwaysFalse = true;
    return this;
  }

  /** Expires actors that have not heartbeated for {@code ttlMillis}, checking every {@code ttlMillis / 3}. */
  FakeEmqxPeer garbageCollect(long ttlMillis) {
    synchronized (this) {
      this.ttlMillis = ttlMillis;
    }
    gcTimer = vertx.setPeriodic(Math.max(50, ttlMillis / 3), id -> gc());
    return this;
  }

  /** CONNACK properties: Server Keep Alive (seconds) and Maximum Packet Size (bytes, enforced: 0x95 and close). */
  synchronized FakeEmqxPeer connackLimits(Integer serverKeepAliveSeconds, int maxPacketSize) {
    this.serverKeepAlive = serverKeepAliveSeconds;
    this.maxPacketSize = maxPacketSize;
    return this;
  }

  /** Whether forwarded messages get their PUBACK (false: a peer that stalls). */
  synchronized void ackMessages(boolean ack) {
    this.ackMessages = ack;
  }

  /** Whether route-topic publishes (heartbeats, route batches) get their PUBACK (false: a stuck receiver). */
  synchronized void ackRoutes(boolean ack) {
    this.ackRoutes = ack;
  }

  /** The next route batch raises an error while being applied: the client that sent it is disconnected (0x83). */
  synchronized void failNextRouteOp() {
    failNextRouteOp = true;
  }

  /** A restart: every connection drops and every actor and route is forgotten (EMQX keeps them in RAM). */
  void restart() throws Exception {
    vertx.runOnContext(v -> {
      synchronized (this) {
        new ArrayList<>(sockets).forEach(NetSocketInternal::close);
        sockets.clear();
        bound.clear();
        actors.clear();
      }
    });
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(v -> done.complete(null));
    done.get(5, TimeUnit.SECONDS);
  }

  /** Loses every route but keeps the actors, like the GC of EMQX 5.8.0–5.10.2 wiping a lane (EMQX #16317). */
  synchronized void forgetRoutes() {
    actors.values().forEach(a -> a.routes.clear());
  }

  /**
   * Starts its own link to us, as the peer's route actor would: connects to our listener, handshakes and adds
   * {@code filters}, then heartbeats every {@code heartbeatMillis}. Completes with the ack.
   */
  ActorInitAck linkBack(int ourPort, long heartbeatMillis, String... filters) throws Exception {
    java.util.concurrent.CompletableFuture<ActorInitAck> acked = new java.util.concurrent.CompletableFuture<>();
    String actor = clusterName + "@fake";
    long incarnation = System.currentTimeMillis();
    vertx.runOnContext(v -> {
      io.linkgate.link.client.MqttLinkClient c = new io.linkgate.link.client.MqttLinkClient(vertx,
        new io.linkgate.link.client.LinkClientOptions("127.0.0.1", ourPort, clusterName + ":routesync:0f0f0f0f", null,
          null, true, java.time.Duration.ofSeconds(60), java.time.Duration.ZERO, 32, java.time.Duration.ofSeconds(5),
          new io.vertx.core.net.NetClientOptions()));
      linkBack = c;
      String resp = LinkTopics.resp(clusterName, actor);
      String route = LinkTopics.route(clusterName);
      c.messageHandler(in -> {
        ActorInitAck ack = ActorInitAck.decode(in.payload());
        if (ack.isOk() && filters.length > 0) {
          List<RouteOp> ops = new ArrayList<>();
          for (String f : filters) {
            ops.add(RouteOp.add(f, f));
          }
          c.publish(route, new RouteUpdate(actor, incarnation, ops).encode(), 1, null);
        }
        linkBackTimer = vertx.setPeriodic(heartbeatMillis, id -> c.publish(route,
          new Heartbeat(actor, incarnation).encode(), 0, null));
        acked.complete(ack);
      });
      c.connect().compose(ack -> c.subscribe(resp, 1)).onSuccess(codes -> {
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, resp));
        props.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, new byte[] {1, 2, 3}));
        c.publish(route, ActorInit.of(actor, incarnation, linkName).encode(), 1, props);
      }).onFailure(acked::completeExceptionally);
    });
    return acked.get(10, TimeUnit.SECONDS);
  }

  /** Stops linking back, as a peer that disabled or deleted its link to us: the connection closes, heartbeats end. */
  void stopLinkingBack() throws Exception {
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(v -> {
      vertx.cancelTimer(linkBackTimer);
      if (linkBack != null) {
        linkBack.disconnect();
      }
      done.complete(null);
    });
    done.get(5, TimeUnit.SECONDS);
  }

  // ---- what it saw ----

  /** Every filter any actor of ours holds. */
  synchronized Set<String> routeFilters() {
    Set<String> out = new HashSet<>();
    for (Actor a : actors.values()) {
      for (String r : a.routes) {
        out.add(r.substring(0, r.indexOf('\n')));
      }
    }
    return out;
  }

  synchronized int routeCount() {
    int n = 0;
    for (Actor a : actors.values()) {
      n += a.routes.size();
    }
    return n;
  }

  synchronized int actorCount() {
    return actors.size();
  }

  synchronized int actorInits() {
    return actorInits;
  }

  synchronized int routeBatches() {
    return routeBatches;
  }

  synchronized int heartbeats() {
    return heartbeats;
  }

  synchronized int oversized() {
    return oversized;
  }

  synchronized int protocolErrors() {
    return protocolErrors;
  }

  synchronized List<String> forwardedTopics() {
    return forwarded.stream().map(ForwardedMessage::topic).toList();
  }

  synchronized List<String> clientIds() {
    return List.copyOf(clientIds);
  }

  /** PINGREQs received from clients whose id contains {@code part}. */
  synchronized int pingreqs(String part) {
    return pingreqs.entrySet().stream().filter(e -> e.getKey().contains(part)).mapToInt(Map.Entry::getValue).sum();
  }

  // ---- protocol ----

  private void accept(NetSocketInternal so) {
    int limit;
    synchronized (this) {
      sockets.add(so);
      limit = maxPacketSize > 0 ? maxPacketSize : 256 * 1024 * 1024;
    }
    var pipeline = so.channelHandlerContext().pipeline();
    pipeline.addBefore("handler", "mqttEncoder", MqttEncoder.INSTANCE);
    pipeline.addBefore("handler", "mqttDecoder", new MqttDecoder(limit));
    String[] clientId = {""};
    so.messageHandler(msg -> {
      try {
        if (msg instanceof MqttMessage m) {
          onMessage(so, m, clientId);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    });
    so.closeHandler(v -> {
      synchronized (this) {
        sockets.remove(so);
        bound.remove(so);
      }
    });
  }

  private void onMessage(NetSocketInternal so, MqttMessage m, String[] clientId) {
    if (m.decoderResult().isFailure()) {
      synchronized (this) {
        oversized++;
      }
      disconnect(so, 0x95);
      return;
    }
    switch (m.fixedHeader().messageType()) {
      case CONNECT -> {
        clientId[0] = ((MqttConnectMessage) m).payload().clientIdentifier();
        MqttProperties props = new MqttProperties();
        synchronized (this) {
          clientIds.add(clientId[0]);
          if (serverKeepAlive != null) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, serverKeepAlive));
          }
          if (maxPacketSize > 0) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, maxPacketSize));
          }
        }
        so.writeMessage(MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
          .sessionPresent(false).properties(props).build());
      }
      case SUBSCRIBE -> {
        MqttSubscribeMessage sub = (MqttSubscribeMessage) m;
        var ack = MqttMessageBuilders.subAck().packetId(sub.variableHeader().messageId());
        sub.payload().topicSubscriptions().forEach(t -> ack.addGrantedQos(MqttQoS.AT_LEAST_ONCE));
        so.writeMessage(ack.build());
      }
      case PINGREQ -> {
        synchronized (this) {
          pingreqs.merge(clientId[0], 1, Integer::sum);
        }
        so.writeMessage(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE,
          false, 0)));
      }
      case PUBLISH -> onPublish(so, (MqttPublishMessage) m);
      case DISCONNECT -> so.close();
      default -> {
        // PUBACK of our acks and the rest: nothing to do
      }
    }
  }

  private void onPublish(NetSocketInternal so, MqttPublishMessage m) {
    ByteBuf buf = m.payload();
    byte[] payload = new byte[buf.readableBytes()];
    buf.readBytes(payload);
    LinkTopic topic = LinkTopics.parse(m.variableHeader().topicName()).orElse(null);
    int packetId = m.variableHeader().packetId();
    int qos = m.fixedHeader().qosLevel().value();
    if (topic == null) {
      puback(so, qos, packetId, 0x10);
      return;
    }
    switch (topic.kind()) {
      case ROUTE -> {
        if (onRoute(so, topic.cluster(), payload, m.variableHeader().properties())) {
          boolean ack;
          synchronized (this) {
            ack = ackRoutes;
          }
          if (ack) {
            puback(so, qos, packetId, 0x10);
          }
        } else {
          synchronized (this) {
            protocolErrors++;
          }
          disconnect(so, 0x83); // EMQX: implementation specific error, the sender restarts cleanly
        }
      }
      case MSG -> {
        boolean ack;
        synchronized (this) {
          forwarded.add(ForwardedMessage.decode(payload));
          ack = ackMessages;
        }
        if (ack) {
          puback(so, qos, packetId, 0x00);
        }
      }
      case RESP -> puback(so, qos, packetId, 0x10);
    }
  }

  /** Applies one control op; false for a protocol error. */
  private synchronized boolean onRoute(NetSocketInternal so, String from, byte[] payload, MqttProperties props) {
    ControlOp op;
    try {
      op = ControlOp.decode(payload);
    } catch (RuntimeException e) {
      return false;
    }
    long now = System.currentTimeMillis();
    String actorName = bound.get(so);
    if (op instanceof ActorInit init) {
      if (actorName != null) {
        return false;
      }
      actorInits++;
      String error = !linkName.equals(from) ? "unknown_cluster"
        : !clusterName.equals(init.targetCluster()) ? "bad_remote_cluster_link_name" : null;
      boolean created = false;
      if (error == null) {
        Actor a = actors.get(init.actor());
        if (a != null && a.incarnation > init.incarnation()) {
          return false;
        }
        if (a == null || a.incarnation < init.incarnation()) {
          actors.put(init.actor(), new Actor(init.incarnation(), now + ttlMillis));
          created = true;
        } else {
          a.until = now + ttlMillis;
        }
        bound.put(so, init.actor());
      }
      ActorInitAck ack = error != null ? ActorInitAck.error(init.actor(), error)
        : ActorInitAck.ok(init.actor(), created && !needBootstrapAlwaysFalse);
      MqttProperties replyProps = new MqttProperties();
      MqttProperties.MqttProperty<?> corr = props.getProperty(MqttProperties.CORRELATION_DATA);
      if (corr != null) {
        replyProps.add(corr);
      }
      String respTopic = (String) props.getProperty(MqttProperties.RESPONSE_TOPIC).value();
      so.writeMessage(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_MOST_ONCE,
        false, 0), new MqttPublishVariableHeader(respTopic, 0, replyProps), Unpooled.wrappedBuffer(ack.encode())));
      return true;
    }
    Actor a = actorName == null ? null : actors.get(actorName);
    if (op instanceof Heartbeat hb) {
      if (actorName == null) {
        return true; // before actor_init: ignored (EMQX #13684)
      }
      if (a == null || !hb.actor().equals(actorName) || a.incarnation != hb.incarnation()) {
        return false; // garbage-collected meanwhile, or another actor
      }
      heartbeats++;
      a.until = now + ttlMillis;
      return true;
    }
    if (op instanceof RouteUpdate update) {
      if (a == null || !update.actor().equals(actorName) || a.incarnation != update.incarnation()) {
        return false;
      }
      if (failNextRouteOp) {
        failNextRouteOp = false;
        return false;
      }
      routeBatches++;
      for (RouteOp r : update.routes()) {
        String key = r.filter() + "\n" + r.routeId();
        if (r.type() == RouteOp.Type.ADD) {
          a.routes.add(key);
        } else {
          a.routes.remove(key);
        }
      }
      return true;
    }
    return false;
  }

  private synchronized void gc() {
    long now = System.currentTimeMillis();
    actors.values().removeIf(a -> a.until < now);
  }

  private void puback(NetSocketInternal so, int qos, int packetId, int reason) {
    if (qos == 1) {
      so.writeMessage(MqttMessageBuilders.pubAck().packetId(packetId).reasonCode((byte) reason).build());
    } else if (qos == 2) {
      so.writeMessage(new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBREC, false, MqttQoS.AT_MOST_ONCE, false,
        0), MqttMessageIdVariableHeader.from(packetId)));
    }
  }

  private void disconnect(NetSocketInternal so, int reason) {
    so.writeMessage(MqttMessageBuilders.disconnect().reasonCode((byte) reason).build()).onComplete(ar -> so.close());
  }

  @Override
  public void close() throws Exception {
    if (gcTimer >= 0) {
      vertx.cancelTimer(gcTimer);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
