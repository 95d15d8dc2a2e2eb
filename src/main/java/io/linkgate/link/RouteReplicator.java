package io.linkgate.link;

import io.linkgate.Addresses;
import io.linkgate.LocalCodec;
import io.linkgate.config.LinkOptions;
import io.linkgate.link.client.LinkClient;
import io.linkgate.link.client.LinkClientException;
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
import java.util.function.Consumer;

/**
 * Our route-replication actor towards one peer: connecting → handshaking → bootstrapping → online, and disconnected
 * → connecting again, forever, with exponential backoff and jitter, moving through the {@code server} list when a
 * connect attempt fails. Pushes local route ops to the peer in batches of at most 4,000, each acknowledged before
 * the next.
 *
 * <p>Every successful handshake is followed by a full bootstrap (a reconcile), whatever {@code need_bootstrap} says:
 * EMQX 5.8.0–5.8.8, 5.9.0–5.9.2 and 5.10.0–5.10.2 always answer {@code false} (EMQX #16269), also after a restart
 * or a GC that lost our routes. Adds are idempotent on the receiver (a lane bit), so re-sending them is harmless;
 * deletes made while disconnected stay stashed and follow the snapshot. Heartbeats (QoS 1, so that their PUBACKs
 * prove the peer accepts them) run from the handshake on, also during a long bootstrap. With
 * {@code route_resync_interval} the full set is re-sent periodically while online. Its client comes from a
 * {@link LinkClient.Factory} (a fake in unit tests). Owned by the link verticle.
 */
final class RouteReplicator {
  private static final Logger log = LoggerFactory.getLogger(RouteReplicator.class);

  /** {@code RESYNCING}: online, re-sending the full route set ({@code route_resync_interval}). */
  enum State { STOPPED, CONNECTING, HANDSHAKING, BOOTSTRAPPING, ONLINE, RESYNCING, DISCONNECTED }

  private final Vertx vertx;
  private final LinkClient.Factory clients;
  private final LinkOptions link;
  private final LinkIdentity identity;
  private final LinkTimings timings;
  private final long incarnation = System.currentTimeMillis();
  private final RouteStash stash = new RouteStash();
  private final Consumer<String> onFailure;
  private final Runnable onOnline;
  private final ServerList servers;
  private final Backoff backoff;
  private final FailureLog failures = new FailureLog();
  private State state = State.STOPPED;
  private LinkClient client;
  private boolean batchInFlight;
  private int bootstrapSent;
  private int bootstrapTotal;
  private long lastAck;
  private long onlineSince;
  private String correlationId;
  private long lastConnectStart;
  private long reconnectTimer = -1;
  private long handshakeTimer = -1;
  private long heartbeatTimer = -1;
  private long flushTimer = -1;
  private long resyncTimer = -1;
  private String lastError;
  private long connects;

  /**
   * @param onFailure told the reason whenever the actor goes down (alarms)
   * @param onOnline  told when the actor is online (clears alarms)
   */
  RouteReplicator(Vertx vertx, LinkClient.Factory clients, LinkOptions link, LinkIdentity identity,
                  LinkTimings timings, Consumer<String> onFailure, Runnable onOnline) {
    this.vertx = vertx;
    this.clients = clients;
    this.link = link;
    this.identity = identity;
    this.timings = timings;
    this.onFailure = onFailure;
    this.onOnline = onOnline;
    this.servers = new ServerList(link.servers());
    this.backoff = new Backoff(timings.reconnectDelay());
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

  /** The address this actor uses (or will try next). */
  String server() {
    return servers.current().toString();
  }

  /** Online: the peer has our routes and takes our ops (also while a periodic re-sync runs). */
  boolean isOnline() {
    return state == State.ONLINE || state == State.RESYNCING;
  }

  /** Since when the actor is online; 0 when it is not. */
  long onlineSince() {
    return isOnline() ? onlineSince : 0;
  }

  /** Milliseconds since the peer last acknowledged a heartbeat or a route batch, while handshaken; else 0. */
  long ackAgeMillis(long now) {
    return lastAck == 0 ? 0 : now - lastAck;
  }

  /** {@code sent of total} routes while bootstrapping, else null. */
  String bootstrapProgress() {
    return state == State.BOOTSTRAPPING ? bootstrapSent + " of " + bootstrapTotal : null;
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
    LinkClient c = clients.create(vertx, LinkNetOptions.clientOptions(link, servers.current(),
      identity.routeSyncClientId(), timings.handshakeTimeout(), java.time.Duration.ZERO));
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
          log.info("cluster_link_routerepl_connected [link: {}, peer: {}, client-id: {}]", link.name(),
            servers.current(), identity.routeSyncClientId());
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

  private void handshake(LinkClient c) {
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

  private void onIncoming(LinkClient c, LinkClient.Incoming in) {
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
      c.close(new LinkClientException(ack.error(), -1, HandshakeRejection.explain(ack.error(),
        servers.current().toString(), link.name(), identity.localCluster())));
      return;
    }
    lastAck = System.currentTimeMillis();
    startHeartbeats(c);
    log.info("cluster_link_routerepl_handshake_ok [link: {}, need_bootstrap: {}]: sending the full route set "
      + "(a reconcile: a 5.x peer may say false after losing our routes)", link.name(), ack.needBootstrap());
    bootstrap(c, false);
  }

  /** Heartbeats from the handshake on, also while bootstrapping, so that a long bootstrap outlives the actor TTL. */
  private void startHeartbeats(LinkClient c) {
    heartbeatTimer = vertx.setPeriodic(timings.heartbeatInterval().toMillis(), id -> {
      if (client == c && c.isConnected()) {
        byte[] heartbeat = new Heartbeat(identity.nodeName(), incarnation).encodeForLink();
        c.publish(LinkTopics.route(identity.localCluster()), heartbeat, 1, null).onSuccess(rc -> {
          if (rc < 0x80) {
            lastAck = System.currentTimeMillis();
          }
        });
      }
    });
  }

  // ---- bootstrap and online ----

  /**
   * Sends every current route. {@code resync}: a periodic re-sync while online (the state says so, the link stays
   * running); otherwise the bootstrap after a handshake, which ends online.
   */
  private void bootstrap(LinkClient c, boolean resync) {
    State mine = resync ? State.RESYNCING : State.BOOTSTRAPPING;
    state = mine;
    vertx.eventBus().<List<RouteOp>>request(Addresses.ROUTE_SNAPSHOT, link.name(), LocalCodec.LOCAL)
      .onSuccess(reply -> {
        if (client != c || state != mine) {
          return;
        }
        // adds that reached us before the snapshot are in it; deletes are not and must still go out; later ops
        // stay stashed and follow the snapshot
        stash.retainDeletes();
        List<RouteOp> snapshot = reply.body();
        bootstrapSent = 0;
        bootstrapTotal = snapshot.size();
        long started = System.currentTimeMillis();
        sendAll(c, snapshot, 0).onSuccess(v -> {
          if (client != c) {
            return;
          }
          log.info("cluster_link_routerepl_{} [link: {}, routes: {}, took_ms: {}]",
            resync ? "resync_complete" : "bootstrap_complete", link.name(), snapshot.size(),
            System.currentTimeMillis() - started);
          if (resync) {
            state = State.ONLINE;
            flush();
          } else {
            goOnline(c);
          }
        }).onFailure(err -> closeOnError(c, "bootstrap_failed", err));
      })
      .onFailure(err -> closeOnError(c, "bootstrap_failed", err));
  }

  private Future<Void> sendAll(LinkClient c, List<RouteOp> ops, int from) {
    if (from >= ops.size()) {
      return Future.succeededFuture();
    }
    int to = Math.min(ops.size(), from + RouteUpdate.MAX_BATCH);
    return publishBatch(c, ops.subList(from, to)).compose(v -> {
      bootstrapSent = to;
      return sendAll(c, ops, to);
    });
  }

  /** One route batch, split in halves while it is larger than the peer's Maximum Packet Size. */
  private Future<Void> publishBatch(LinkClient c, List<RouteOp> batch) {
    byte[] payload = new RouteUpdate(identity.nodeName(), incarnation, List.copyOf(batch)).encodeForLink();
    String topic = LinkTopics.route(identity.localCluster());
    if (!c.fits(topic, payload, null) && batch.size() > 1) {
      int half = batch.size() / 2;
      return publishBatch(c, batch.subList(0, half)).compose(v -> publishBatch(c, batch.subList(half, batch.size())));
    }
    return c.publish(topic, payload, 1, null).compose(rc -> {
      if (rc < 0x80) {
        lastAck = System.currentTimeMillis();
        return Future.succeededFuture();
      }
      return Future.failedFuture(new LinkClientException("route_batch_refused", rc, "peer refused a route batch (0x"
        + Integer.toHexString(rc) + ")"));
    });
  }

  private void goOnline(LinkClient c) {
    state = State.ONLINE;
    lastError = null;
    onlineSince = System.currentTimeMillis();
    backoff.reset();
    int failed = failures.recovered();
    if (failed > 0) {
      log.info("cluster_link_routerepl_online [link: {}, peer: {}, actor: {}, incarnation: {}, after_failed_attempts: "
        + "{}]", link.name(), servers.current(), identity.nodeName(), incarnation, failed);
    } else {
      log.info("cluster_link_routerepl_online [link: {}, peer: {}, actor: {}, incarnation: {}]", link.name(),
        servers.current(), identity.nodeName(), incarnation);
    }
    onOnline.run();
    long every = link.routeResyncInterval().toMillis();
    if (every > 0) {
      resyncTimer = vertx.setPeriodic(every, id -> {
        if (client == c && state == State.ONLINE && !batchInFlight) {
          bootstrap(c, true);
        }
      });
    }
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
    LinkClient c = client;
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

  private void closeOnError(LinkClient c, String cause, Throwable err) {
    if (client == c) {
      c.close(err instanceof LinkClientException le ? le : new LinkClientException(cause, -1, err.getMessage()));
    }
  }

  private void onClosed(LinkClient c, LinkClientException reason) {
    if (client != c || state == State.STOPPED) {
      return;
    }
    cancelTimers();
    client = null;
    lastAck = 0;
    String where = servers.current().toString();
    lastError = reason.causeToken() + ": " + reason.getMessage();
    long now = System.currentTimeMillis();
    // no sooner than the backoff after the previous attempt started (EMQX: 5 s), doubling while failures go on
    long delay = Math.max(1, backoff.nextDelayMillis() - (now - lastConnectStart));
    if (state == State.CONNECTING && servers.size() > 1) {
      servers.next(); // this address did not answer: the next attempt tries the next one
    }
    switch (failures.failed(reason.getMessage(), now)) {
      case LOG -> log.warn("cluster_link_routerepl_connection_down [link: {}, peer: {}, local_cluster: {}, state: {}, "
          + "reason: {}, reconnect_in_ms: {}, next_server: {}]", link.name(), where, identity.localCluster(),
        state.name().toLowerCase(), reason.getMessage(), delay, servers.current());
      case SUMMARY -> log.warn("cluster_link_routerepl_still_down [link: {}, failed_attempts: {}, distinct_reasons: {}, "
        + "last_reason: {}, reconnect_in_ms: {}]", link.name(), failures.failures(), failures.reasons(),
        reason.getMessage(), delay);
      case QUIET -> log.debug("cluster_link_routerepl_connection_down [link: {}, peer: {}, reason: {}]", link.name(),
        where, reason.getMessage());
    }
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
    cancel(resyncTimer);
    reconnectTimer = handshakeTimer = heartbeatTimer = flushTimer = resyncTimer = -1;
  }

  private void cancel(long id) {
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }
}
