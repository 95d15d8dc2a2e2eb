package io.linkgate.link;

import io.linkgate.Addresses;
import io.linkgate.LocalCodec;
import io.linkgate.config.LinkOptions;
import io.linkgate.link.client.LinkClientException;
import io.linkgate.link.client.MqttLinkClient;
import io.linkgate.link.wire.ActorInit;
import io.linkgate.link.wire.ActorInitAck;
import io.linkgate.link.wire.Heartbeat;
import io.linkgate.link.wire.LinkTopics;
import io.linkgate.link.wire.RouteOp;
import io.linkgate.link.wire.RouteUpdate;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Our route-replication actor towards one peer: connecting → handshaking → bootstrapping → online, and disconnected
 * → connecting again, forever, with a reconnect delay and jitter. Pushes local route ops to the peer in batches of at
 * most 4,000, each acknowledged before the next; ops made while disconnected are kept (coalesced) and flushed after
 * the next handshake, or replaced by a full bootstrap when the peer asks for one. Owned by the link verticle.
 */
final class RouteReplicator {
  private static final Logger log = LoggerFactory.getLogger(RouteReplicator.class);

  enum State { STOPPED, CONNECTING, HANDSHAKING, BOOTSTRAPPING, ONLINE, DISCONNECTED }

  private final Vertx vertx;
  private final LinkOptions link;
  private final LinkIdentity identity;
  private final LinkTimings timings;
  private final long incarnation = System.currentTimeMillis();
  private final RouteStash stash = new RouteStash();
  private final Consumer<String> onFailure;
  private final Runnable onOnline;
  private State state = State.STOPPED;
  private MqttLinkClient client;
  private boolean bootstrapped;
  private boolean batchInFlight;
  private String correlationId;
  private long lastConnectStart;
  private long reconnectTimer = -1;
  private long handshakeTimer = -1;
  private long heartbeatTimer = -1;
  private long flushTimer = -1;
  private String lastError;
  private long connects;

  /**
   * @param onFailure told the reason whenever the actor goes down (alarms)
   * @param onOnline  told when the actor is online (clears alarms)
   */
  RouteReplicator(Vertx vertx, LinkOptions link, LinkIdentity identity, LinkTimings timings,
                  Consumer<String> onFailure, Runnable onOnline) {
    this.vertx = vertx;
    this.link = link;
    this.identity = identity;
    this.timings = timings;
    this.onFailure = onFailure;
    this.onOnline = onOnline;
  }

  State state() {
    return state;
  }

  String lastError() {
    return lastError;
  }

  int pendingOps() {
    return stash.size();
  }

  long connects() {
    return connects;
  }

  void start() {
    connect();
  }

  /** Stops at once, also while a CONNECT is stalled (#17349): the socket is closed, no timer is left. */
  void stop() {
    state = State.STOPPED;
    cancelTimers();
    if (client != null) {
      client.close(new LinkClientException("link_stopped", -1, "link stopped"));
      client = null;
    }
  }

  /** Local route changes for this link, from the broker. */
  void onOps(List<RouteOp> ops) {
    ops.forEach(stash::push);
    scheduleFlush();
  }

  // ---- connecting and handshake ----

  private void connect() {
    state = State.CONNECTING;
    lastConnectStart = System.currentTimeMillis();
    connects++;
    String respTopic = LinkTopics.resp(identity.localCluster(), identity.nodeName());
    MqttLinkClient c = new MqttLinkClient(vertx, LinkNetOptions.clientOptions(link, identity.routeSyncClientId(),
      timings.handshakeTimeout(), java.time.Duration.ZERO));
    client = c;
    c.closeHandler(reason -> onClosed(c, reason));
    c.messageHandler(in -> onIncoming(c, in));
    c.connect()
      .compose(ack -> c.subscribe(respTopic, 1))
      .compose(codes -> codes.length == 1 && codes[0] < 0x80 ? Future.succeededFuture()
        : Future.failedFuture(new LinkClientException("subscribe_refused", codes.length > 0 ? codes[0] : -1,
        "peer refused our subscription to " + respTopic + " (reason 0x" + Integer.toHexString(codes[0]) + ")")))
      .onSuccess(v -> {
        if (client == c) {
          log.info("cluster_link_routerepl_connected [link: {}, peer: {}:{}, client-id: {}]", link.name(),
            link.host(), link.port(), identity.routeSyncClientId());
          handshake(c);
        }
      })
      .onFailure(err -> {
        if (client == c) {
          c.close(err instanceof LinkClientException le ? le
            : new LinkClientException("connection_failed", -1, err.getMessage()));
        }
      });
  }

  private void handshake(MqttLinkClient c) {
    state = State.HANDSHAKING;
    correlationId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    MqttProperties props = new MqttProperties();
    props.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC,
      LinkTopics.resp(identity.localCluster(), identity.nodeName())));
    props.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA,
      correlationId.getBytes(StandardCharsets.UTF_8)));
    byte[] payload = ActorInit.of(identity.nodeName(), incarnation, link.name()).encodeForLink();
    handshakeTimer = vertx.setTimer(timings.handshakeTimeout().toMillis(), id -> {
      handshakeTimer = -1;
      if (client == c && state == State.HANDSHAKING) {
        c.close(new LinkClientException("handshake_timeout", -1, "no actor_init_ack from " + link.name()
          + " within " + timings.handshakeTimeout().toMillis() + " ms"));
      }
    });
    c.publish(LinkTopics.route(identity.localCluster()), payload, 1, props).onSuccess(rc -> {
      if (rc >= 0x80 && client == c) {
        c.close(new LinkClientException("not_authorized", rc, "peer refused our actor_init publish (reason 0x"
          + Integer.toHexString(rc) + "): check its ACL for $LINK/#"));
      }
    });
  }

  private void onIncoming(MqttLinkClient c, MqttLinkClient.Incoming in) {
    if (client != c || state != State.HANDSHAKING) {
      return;
    }
    MqttProperties.MqttProperty<?> corr = in.properties().getProperty(MqttProperties.CORRELATION_DATA);
    if (corr == null || !Arrays.equals((byte[]) corr.value(), correlationId.getBytes(StandardCharsets.UTF_8))) {
      return; // an answer to an older attempt
    }
    cancel(handshakeTimer);
    handshakeTimer = -1;
    ActorInitAck ack;
    try {
      ack = ActorInitAck.decode(in.payload());
    } catch (RuntimeException e) {
      c.close(new LinkClientException("bad_handshake_reply", -1, "undecodable actor_init_ack: " + e.getMessage()));
      return;
    }
    if (!ack.isOk()) {
      log.warn("cluster_link_routerepl_handshake_rejected [link: {}, local_cluster: {}, reason: {}]", link.name(),
        identity.localCluster(), ack.error());
      c.close(new LinkClientException(ack.error(), -1, "handshake rejected by " + link.name() + ": " + ack.error()));
      return;
    }
    if (!bootstrapped || Boolean.TRUE.equals(ack.needBootstrap())) {
      bootstrap(c);
    } else {
      goOnline(c);
    }
  }

  // ---- bootstrap and online ----

  private void bootstrap(MqttLinkClient c) {
    state = State.BOOTSTRAPPING;
    vertx.eventBus().<List<RouteOp>>request(Addresses.ROUTE_SNAPSHOT, link.name(), LocalCodec.LOCAL)
      .onSuccess(reply -> {
        if (client != c || state != State.BOOTSTRAPPING) {
          return;
        }
        // ops that reached us before the snapshot are in it; later ones stay stashed and follow it
        stash.clear();
        List<RouteOp> snapshot = reply.body();
        sendAll(c, snapshot, 0).onSuccess(v -> {
          if (client == c) {
            bootstrapped = true;
            log.info("cluster_link_routerepl_bootstrap_complete [link: {}, routes: {}]", link.name(), snapshot.size());
            goOnline(c);
          }
        }).onFailure(err -> closeOnError(c, "bootstrap_failed", err));
      })
      .onFailure(err -> closeOnError(c, "bootstrap_failed", err));
  }

  private Future<Void> sendAll(MqttLinkClient c, List<RouteOp> ops, int from) {
    if (from >= ops.size()) {
      return Future.succeededFuture();
    }
    int to = Math.min(ops.size(), from + RouteUpdate.MAX_BATCH);
    return publishBatch(c, ops.subList(from, to)).compose(v -> sendAll(c, ops, to));
  }

  private Future<Void> publishBatch(MqttLinkClient c, List<RouteOp> batch) {
    byte[] payload = new RouteUpdate(identity.nodeName(), incarnation, List.copyOf(batch)).encodeForLink();
    return c.publish(LinkTopics.route(identity.localCluster()), payload, 1, null).compose(rc -> rc < 0x80
      ? Future.succeededFuture()
      : Future.failedFuture(new LinkClientException("route_batch_refused", rc, "peer refused a route batch (0x"
      + Integer.toHexString(rc) + ")")));
  }

  private void goOnline(MqttLinkClient c) {
    state = State.ONLINE;
    lastError = null;
    log.info("cluster_link_routerepl_online [link: {}, actor: {}, incarnation: {}]", link.name(), identity.nodeName(),
      incarnation);
    onOnline.run();
    heartbeatTimer = vertx.setPeriodic(timings.heartbeatInterval().toMillis(), id -> {
      if (client == c && c.isConnected()) {
        c.publish(LinkTopics.route(identity.localCluster()),
          new Heartbeat(identity.nodeName(), incarnation).encodeForLink(), 0, null);
      }
    });
    flush();
  }

  private void scheduleFlush() {
    if (state == State.ONLINE && flushTimer < 0 && !batchInFlight) {
      flushTimer = vertx.setTimer(timings.syncDelay().toMillis(), id -> {
        flushTimer = -1;
        flush();
      });
    }
  }

  private void flush() {
    MqttLinkClient c = client;
    if (state != State.ONLINE || batchInFlight || stash.isEmpty() || c == null) {
      return;
    }
    List<RouteOp> batch = stash.take(RouteUpdate.MAX_BATCH);
    batchInFlight = true;
    publishBatch(c, batch).onComplete(ar -> {
      batchInFlight = false;
      if (ar.succeeded()) {
        flush();
        return;
      }
      stash.restore(batch);
      log.warn("router_batch_sync_failed [link: {}, ops: {}, reason: {}]", link.name(), batch.size(),
        ar.cause().getMessage());
      if (client == c && c.isConnected()) {
        flushTimer = vertx.setTimer(timings.syncRetryDelay().toMillis(), id -> {
          flushTimer = -1;
          flush();
        });
      }
    });
  }

  // ---- failure and reconnect ----

  private void closeOnError(MqttLinkClient c, String cause, Throwable err) {
    if (client == c) {
      c.close(err instanceof LinkClientException le ? le : new LinkClientException(cause, -1, err.getMessage()));
    }
  }

  private void onClosed(MqttLinkClient c, LinkClientException reason) {
    if (client != c || state == State.STOPPED) {
      return;
    }
    cancelTimers();
    client = null;
    lastError = reason.causeToken() + ": " + reason.getMessage();
    long delay = Math.max(0, timings.reconnectDelay().toMillis() - (System.currentTimeMillis() - lastConnectStart));
    delay += ThreadLocalRandom.current().nextLong(timings.reconnectDelay().toMillis() / 5 + 1);
    log.warn("cluster_link_routerepl_connection_down [link: {}, peer: {}:{}, local_cluster: {}, state: {}, reason: {}, "
      + "reconnect_in_ms: {}]", link.name(), link.host(), link.port(), identity.localCluster(), state,
      reason.getMessage(), delay);
    state = State.DISCONNECTED;
    onFailure.accept(reason.getMessage());
    reconnectTimer = vertx.setTimer(Math.max(delay, 1), id -> {
      reconnectTimer = -1;
      if (state == State.DISCONNECTED) {
        connect();
      }
    });
  }

  private void cancelTimers() {
    cancel(reconnectTimer);
    cancel(handshakeTimer);
    cancel(heartbeatTimer);
    cancel(flushTimer);
    reconnectTimer = handshakeTimer = heartbeatTimer = flushTimer = -1;
  }

  private void cancel(long id) {
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }
}
