package io.linkgate.link;

import io.linkgate.Addresses;
import io.linkgate.LocalCodec;
import io.linkgate.alarm.AlarmRegistry;
import io.linkgate.broker.Message;
import io.linkgate.config.LinkOptions;
import io.linkgate.link.wire.RouteOp;
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
 */
public final class LinkVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(LinkVerticle.class);

  private LinkOptions link;
  private final String localCluster;
  private final String nodeName;
  private final LinkTimings timings;
  private final AlarmRegistry alarms;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private RouteReplicator replicator;
  private ForwardingPool pool;

  public LinkVerticle(LinkOptions link, String localCluster, String nodeName, LinkTimings timings,
                      AlarmRegistry alarms) {
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
    if (link.impliesTlsWithoutIt()) {
      log.warn("cluster link uses plain MQTT [link: {}, server: {}]: an mqtts:// scheme does not turn TLS on, "
        + "set ssl.enable = true (and verify = verify_peer) to encrypt it", link.name(), link.server());
    }
    LinkIdentity identity = LinkIdentity.of(link, localCluster, nodeName);
    replicator = new RouteReplicator(vertx, link, identity, timings, reason -> healthChanged(),
      this::healthChanged);
    pool = new ForwardingPool(vertx, link, identity, timings, reason -> healthChanged());
    var bus = vertx.eventBus();
    consumers.add(bus.<List<RouteOp>>localConsumer(Addresses.linkRoutes(link.name()), m -> replicator.onOps(m.body())));
    consumers.add(bus.<Message>localConsumer(Addresses.linkForward(link.name()), m -> pool.submit(m.body())));
    consumers.add(bus.<LinkOptions>localConsumer(Addresses.linkReconfigure(link.name()), m -> {
      reconfigureForwarding(m.body());
      m.reply(Boolean.TRUE, LocalCodec.LOCAL);
    }));
    consumers.add(bus.<Object>localConsumer(Addresses.linkStatus(link.name()), m -> {
      if ("reset".equals(m.body())) {
        pool.resetMetrics();
      }
      m.reply(status(), LocalCodec.LOCAL);
    }));
    log.info("cluster link starting [link: {}, peer: {}:{}, local_cluster: {}, topics: {}]", link.name(), link.host(),
      link.port(), localCluster, link.topics());
    replicator.start();
    pool.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    replicator.stop();
    pool.stop();
    consumers.forEach(MessageConsumer::unregister);
    alarms.deactivate(alarmName(link.name())); // a stopped link is not a failing one
    log.info("cluster link stopped [link: {}]", link.name());
    return Future.succeededFuture();
  }

  /**
   * A change that touches only forwarding settings (pool size, inflight, retry, buffer): the route-replication actor
   * keeps running, so the peer keeps our routes; the forwarding pool is replaced and keeps its unsent messages.
   */
  private void reconfigureForwarding(LinkOptions next) {
    LinkIdentity identity = LinkIdentity.of(next, localCluster, nodeName);
    ForwardingPool old = pool;
    link = next;
    pool = new ForwardingPool(vertx, next, identity, timings, reason -> healthChanged());
    pool.start();
    pool.adopt(old);
    log.info("cluster link forwarding reconfigured [link: {}, pool_size: {}]", next.name(), next.poolSize());
  }

  /** Raises the link's alarm while it fails, with the reason; clears it once everything is up. */
  private void healthChanged() {
    LinkStatus s = status();
    if ("running".equals(s.status())) {
      alarms.deactivate(alarmName(link.name()));
    } else if (s.reason() != null) {
      alarms.activate(alarmName(link.name()), "cluster link down: " + s.reason(), java.util.Map.of(
        "link", link.name(), "local_cluster", localCluster, "server", link.server(), "reason", s.reason()));
    }
  }

  LinkStatus status() {
    int connected = pool.connectedCount();
    boolean online = replicator.state() == RouteReplicator.State.ONLINE;
    String status;
    if (online && connected == pool.size()) {
      status = "running";
    } else if (replicator.state() == RouteReplicator.State.DISCONNECTED && connected == 0) {
      status = "disconnected";
    } else {
      status = "connecting";
    }
    String reason = null;
    if (!"running".equals(status)) {
      reason = replicator.lastError() != null ? replicator.lastError() : pool.lastError();
    }
    return new LinkStatus(link.name(), status, replicator.state().name().toLowerCase(), connected, pool.size(), reason,
      replicator.connects(), replicator.pendingOps(), pool.metrics());
  }
}
