package io.linkgate.link;

import io.linkgate.Addresses;
import io.linkgate.LocalCodec;
import io.linkgate.alarm.AlarmRegistry;
import io.linkgate.broker.Message;
import io.linkgate.config.LinkOptions;
import io.linkgate.link.client.LinkClient;
import io.linkgate.link.wire.RouteOp;
import io.linkgate.store.DurableLog;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One enabled cluster link ("MQTT client verticles for remotes"): its route-replication actor and its
 * message-forwarding pool, on this verticle's event loop. Receives route ops and messages to forward from the
 * broker's route sync over the event bus, and answers status requests.
 *
 * <p>The status tells end-to-end health, not only whether sockets are open: a link whose sockets are up is
 * {@code degraded} when the peer has acknowledged no heartbeat or route batch for longer than the actor TTL, when a
 * forwarding client has waited longer than the TTL for a PUBACK while messages wait, or when the peer no longer links
 * back (no live route actor of it here for longer than the TTL). A health check every heartbeat interval re-evaluates
 * it and keeps the alarm in step.
 */
public final class LinkVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(LinkVerticle.class);

  private LinkOptions link;
  private final String localCluster;
  private final String nodeName;
  private final LinkTimings timings;
  private final AlarmRegistry alarms;
  private final LinkClient.Factory clients;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private RouteReplicator replicator;
  private ForwardingPool pool;
  private final DurableBuffers durableBuffers;
  /** The link's durable log in {@code buffer_mode = durable}, else null. */
  private DurableLog durableLog;
  private long startedAt;
  private long peerActorSeenAt;
  private long healthTimer = -1;
  private String lastFailureReason;
  private java.time.Instant lastFailureAt;
  private boolean failing;

  public LinkVerticle(LinkOptions link, String localCluster, String nodeName, LinkTimings timings,
                      AlarmRegistry alarms, DurableBuffers durable) {
    this(link, localCluster, nodeName, timings, alarms, durable, LinkClient::create);
  }

  /** @param clients makes the link's MQTT clients (route replication and forwarding) */
  public LinkVerticle(LinkOptions link, String localCluster, String nodeName, LinkTimings timings,
                      AlarmRegistry alarms, DurableBuffers durable, LinkClient.Factory clients) {
    this.durableBuffers = durable;
    this.clients = clients;
    this.link = link;
    this.localCluster = localCluster;
    this.nodeName = nodeName;
    this.timings = timings;
    this.alarms = alarms;
  }

  /** The alarm a link raises while it is down. */
  public static String alarmName(String link) {
    return "cluster_link:" + link;
  }

  public LinkOptions link() {
    return link;
  }

  @Override
  public Future<?> start() {
    if (!link.resourceOpts().isDurable()) {
      return startWith(null);
    }
    return durableBuffers.open(link).compose(this::startWith).onFailure(err -> log.error(
      "cluster_link_durable_log_failed [link: {}, reason: {}]", link.name(), err.toString()));
  }

  private Future<?> startWith(DurableLog durable) {
    durableLog = durable;
    if (link.impliesTlsWithoutIt()) {
      log.warn("cluster link uses plain MQTT [link: {}, server: {}]: an mqtts:// scheme does not turn TLS on, "
        + "set ssl.enable = true (and verify = verify_peer) to encrypt it", link.name(), link.server());
    }
    LinkIdentity identity = LinkIdentity.of(link, localCluster, nodeName);
    replicator = new RouteReplicator(vertx, clients, link, identity, timings, reason -> healthChanged(),
      this::healthChanged);
    pool = new ForwardingPool(vertx, clients, link, identity, timings, reason -> healthChanged(), durableLog);
    var bus = vertx.eventBus();
    consumers.add(bus.<List<RouteOp>>localConsumer(Addresses.linkRoutes(link.name()), m -> replicator.onOps(m.body())));
    consumers.add(bus.<Object>localConsumer(Addresses.linkForward(link.name()), m -> {
      if (m.body() instanceof StoredMessage stored) {
        pool.submit(stored);
      } else {
        pool.submit((Message) m.body());
      }
    }));
    consumers.add(bus.<LinkOptions>localConsumer(Addresses.linkReconfigure(link.name()), m -> {
      reconfigureForwarding(m.body());
      m.reply(Boolean.TRUE, LocalCodec.LOCAL);
    }));
    consumers.add(bus.<Object>localConsumer(Addresses.linkStatus(link.name()), m -> {
      if ("reset".equals(m.body())) {
        pool.resetMetrics();
      }
      pool.refreshDurableStats().onComplete(ignored -> m.reply(status(), LocalCodec.LOCAL));
    }));
    log.info("cluster link starting [link: {}, server: {}, local_cluster: {}, topics: {}]", link.name(), link.server(),
      localCluster, link.topics());
    startedAt = peerActorSeenAt = System.currentTimeMillis();
    replicator.start();
    pool.start();
    if (durableLog != null) {
      // the cursor covers what a previous run left; what is appended from now on comes through route sync
      pool.replay(durableLog.replay());
      durableBuffers.register(link.name(), durableLog);
      log.info("cluster link buffer is durable [link: {}, fsync: {}, overflow: {}]", link.name(),
        link.resourceOpts().durable().fsync(), link.resourceOpts().durable().overflow());
    }
    healthTimer = vertx.setPeriodic(timings.heartbeatInterval().toMillis(), id -> checkHealth());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(healthTimer);
    replicator.stop();
    pool.stop();
    consumers.forEach(MessageConsumer::unregister);
    alarms.deactivate(alarmName(link.name())); // a stopped link is not a failing one
    log.info("cluster link stopped [link: {}]", link.name());
    if (durableLog == null) {
      return Future.succeededFuture();
    }
    durableBuffers.remove(link.name(), durableLog);
    return durableLog.close();
  }

  /**
   * A change that touches only forwarding settings (pool size, inflight, retry, buffer): the route-replication actor
   * keeps running, so the peer keeps our routes; the forwarding pool is replaced and keeps its unsent messages.
   */
  private void reconfigureForwarding(LinkOptions next) {
    LinkIdentity identity = LinkIdentity.of(next, localCluster, nodeName);
    ForwardingPool old = pool;
    link = next;
    pool = new ForwardingPool(vertx, clients, next, identity, timings, reason -> healthChanged(), durableLog);
    pool.start();
    pool.adopt(old);
    log.info("cluster link forwarding reconfigured [link: {}, pool_size: {}]", next.name(), next.poolSize());
  }

  /** Learns whether the peer still links back (a live route actor of it in our table), then re-evaluates. */
  private void checkHealth() {
    vertx.eventBus().<InboundLinkStats>request(Addresses.INBOUND_STATS, link.name(), LocalCodec.LOCAL)
      .onComplete(ar -> {
        if (ar.succeeded() && ar.result().body().actors() > 0) {
          peerActorSeenAt = System.currentTimeMillis();
        }
        healthChanged();
      });
  }

  /**
   * Raises the link's alarm while it fails or is degraded, with the reason; clears it once everything is up. Keeps
   * the last failure reason and its time for the status, also after the link recovers.
   */
  private void healthChanged() {
    LinkStatus s = status();
    if ("running".equals(s.status())) {
      alarms.deactivate(alarmName(link.name()));
    } else if (s.reason() != null) {
      alarms.activate(alarmName(link.name()), "cluster link " + ("degraded".equals(s.status()) ? "degraded" : "down")
        + ": " + s.reason(), java.util.Map.of("link", link.name(), "local_cluster", localCluster, "server",
        replicator.server(), "status", s.status(), "reason", s.reason()));
    }
  }

  LinkStatus status() {
    long now = System.currentTimeMillis();
    int connected = pool.connectedCount();
    String status;
    String reason = null;
    if (replicator.isOnline() && connected == pool.size()) {
      reason = degradation(now);
      status = reason == null ? "running" : "degraded";
    } else if (replicator.state() == RouteReplicator.State.DISCONNECTED && connected == 0) {
      status = "disconnected";
    } else {
      status = "connecting";
    }
    if (reason == null && !"running".equals(status)) {
      String error = replicator.lastError() != null ? replicator.lastError() : pool.lastError();
      String progress = replicator.bootstrapProgress();
      reason = progress == null ? error
        : "bootstrapping: sent " + progress + " routes" + (error == null ? "" : "; last failure: " + error);
    }
    noteFailure(reason, now);
    return new LinkStatus(link.name(), status, replicator.state().name().toLowerCase(), connected, pool.size(), reason,
      replicator.connects(), replicator.pendingOps(), pool.metrics(), replicator.server(), lastFailureReason,
      lastFailureAt);
  }

  /** Why a link whose connections are all up is not healthy, or null. Every threshold is the actor TTL. */
  private String degradation(long now) {
    long ttl = timings.actorTtl().toMillis();
    long ackAge = replicator.ackAgeMillis(now);
    if (ackAge > ttl + timings.heartbeatInterval().toMillis()) {
      return "route replication stalled: " + replicator.server() + " has acknowledged no heartbeat or route batch for "
        + ackAge / 1000 + " s";
    }
    long stalled = pool.stalledMillis(now);
    if (stalled > ttl) {
      ForwardingMetrics m = pool.metrics();
      return "forwarding stalled: no PUBACK from the peer for " + stalled / 1000 + " s while " + (m.inflight()
        + m.queuing()) + " messages wait";
    }
    long online = replicator.onlineSince();
    if (now - peerActorSeenAt > ttl && online > 0 && now - online > ttl && now - startedAt > ttl) {
      return "peer no longer links back: cluster '" + link.name() + "' has had no live route actor here for "
        + (now - peerActorSeenAt) / 1000 + " s while our link is up (its link named '" + localCluster
        + "' is disabled, deleted or failing): it forwards nothing to us and may drop what we forward";
    }
    return null;
  }

  /**
   * Remembers the latest failure reason, and when that kind of failure (the text before its first ':') started; a
   * new streak starts once the link ran again. Kept after recovery.
   */
  private void noteFailure(String reason, long now) {
    if (reason == null) {
      failing = false;
      return;
    }
    if (!failing || lastFailureReason == null || !kind(reason).equals(kind(lastFailureReason))) {
      lastFailureAt = java.time.Instant.ofEpochMilli(now);
    }
    lastFailureReason = reason;
    failing = true;
  }

  private static String kind(String reason) {
    int colon = reason.indexOf(':');
    return colon < 0 ? reason : reason.substring(0, colon);
  }
}
