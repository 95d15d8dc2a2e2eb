package io.linkgate.link;

import io.linkgate.Addresses;
import io.linkgate.LocalCodec;
import io.linkgate.alarm.AlarmRegistry;
import io.linkgate.config.ClusterOptions;
import io.linkgate.config.LinkOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deploys one {@link LinkVerticle} per enabled link and keeps the set in step with the config: added or enabled links
 * start, removed or disabled ones stop, changed ones restart. A link that fails to start does not stop the others.
 * Used from the gateway verticle's context.
 */
public final class LinkManager {
  private static final Logger log = LoggerFactory.getLogger(LinkManager.class);

  private record Running(LinkOptions options, String deploymentId) {
  }

  private final Vertx vertx;
  private final String nodeName;
  private final LinkTimings timings;
  private final AlarmRegistry alarms;
  private final Map<String, Running> running = new HashMap<>();
  private ClusterOptions cluster;
  private final DurableBuffers durable;

  /** @param durable where links in {@code buffer_mode = durable} keep their logs (shared with route sync) */
  public LinkManager(Vertx vertx, ClusterOptions cluster, String nodeName, LinkTimings timings,
                     AlarmRegistry alarms, DurableBuffers durable) {
    this.durable = durable;
    this.vertx = vertx;
    this.cluster = cluster;
    this.nodeName = nodeName;
    this.timings = timings;
    this.alarms = alarms;
  }

  public Future<Void> start() {
    return apply(cluster);
  }

  /** Applies a new set of links; completes when every start and stop has finished (failures are logged). */
  public Future<Void> apply(ClusterOptions next) {
    ClusterOptions previous = this.cluster;
    this.cluster = next;
    List<Future<?>> steps = new ArrayList<>();
    for (String name : List.copyOf(running.keySet())) {
      LinkOptions wanted = next.link(name).filter(LinkOptions::enable).orElse(null);
      Running current = running.get(name);
      if (wanted == null || current.options().routeReplicationRestartNeeded(wanted)) {
        steps.add(stop(name)); // restarted below with a new incarnation: the peer re-bootstraps
      } else if (!wanted.equals(current.options())) {
        running.put(name, new Running(wanted, current.deploymentId()));
        steps.add(vertx.eventBus().request(Addresses.linkReconfigure(name), wanted, LocalCodec.LOCAL));
      }
    }
    // route sync learns the new links before new link verticles ask it for snapshots
    Future<?> routesUpdated = vertx.eventBus().request(Addresses.LINKS_UPDATE, next, LocalCodec.LOCAL);
    return Future.join(steps).transform(ignored -> routesUpdated).transform(ignored -> {
      List<Future<?>> starts = new ArrayList<>();
      for (LinkOptions link : next.enabledLinks()) {
        if (!running.containsKey(link.name())) {
          starts.add(start(link));
        }
      }
      return Future.join(starts).<Void>mapEmpty();
    }).otherwiseEmpty();
  }

  private Future<?> start(LinkOptions link) {
    LinkVerticle verticle = new LinkVerticle(link, cluster.name(), nodeName, timings, alarms, durable);
    return vertx.deployVerticle(verticle)
      .onSuccess(id -> running.put(link.name(), new Running(link, id)))
      .onFailure(err -> log.error("cluster link failed to start [link: {}, reason: {}]", link.name(), err.toString()));
  }

  private Future<?> stop(String name) {
    Running r = running.remove(name);
    return r == null ? Future.succeededFuture() : vertx.undeploy(r.deploymentId());
  }

  public ClusterOptions cluster() {
    return cluster;
  }

  /** Names of the links running on this node. */
  public List<String> runningLinks() {
    return List.copyOf(running.keySet());
  }

  /** Asks a running link for its status; fails if the link is not running here. */
  public Future<LinkStatus> status(String link) {
    return vertx.eventBus().<LinkStatus>request(Addresses.linkStatus(link), "status", LocalCodec.LOCAL)
      .map(io.vertx.core.eventbus.Message::body);
  }

  public Future<Void> stopAll() {
    List<Future<?>> steps = new ArrayList<>();
    for (String name : List.copyOf(running.keySet())) {
      steps.add(stop(name));
    }
    return Future.join(steps).mapEmpty();
  }
}
