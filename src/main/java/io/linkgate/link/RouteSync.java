package io.linkgate.link;

import io.linkgate.Addresses;
import io.linkgate.LocalCodec;
import io.linkgate.broker.Broker;
import io.linkgate.broker.BrokerPlugin;
import io.linkgate.broker.LinkMessageHandler;
import io.linkgate.broker.Message;
import io.linkgate.broker.MessageForwarder;
import io.linkgate.broker.MqttConnection;
import io.linkgate.broker.RouteListener;
import io.linkgate.config.ClusterOptions;
import io.linkgate.config.LinkOptions;
import io.linkgate.link.ExternalRoutes.InitResult;
import io.linkgate.link.wire.ActorInit;
import io.linkgate.link.wire.ActorInitAck;
import io.linkgate.link.wire.ControlOp;
import io.linkgate.link.wire.MessageRecord;
import io.linkgate.link.wire.Heartbeat;
import io.linkgate.link.wire.LinkTopic;
import io.linkgate.link.wire.LinkTopics;
import io.linkgate.link.wire.RouteOp;
import io.linkgate.link.wire.RouteUpdate;
import io.linkgate.store.DurableLog;
import io.linkgate.topic.TopicIntersection;
import io.linkgate.topic.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster-link route sync on the broker's event loop: turns first/last local subscribers into route ops for each
 * enabled link, keeps the external route table that peers fill, answers their handshakes, accepts the messages they
 * forward, and picks the peers each local publish goes to (one copy per peer cluster).
 *
 * <p>It runs on the broker's loop rather than in a verticle of its own because the external route table is read on
 * every publish: a hop per message to another thread would cost more than everything else on the path.
 */
public final class RouteSync implements BrokerPlugin, LinkMessageHandler, MessageForwarder, RouteListener {
  private static final Logger log = LoggerFactory.getLogger(RouteSync.class);

  /** The peer actor a route-replication connection speaks for, bound by its actor_init. */
  private record ActorBinding(String cluster, String actor, long incarnation) {
  }

  private static final class Inbound {
    long received;
    long dropped;
    long propertiesDropped;
  }

  private final LinkTimings timings;
  private final ExternalRoutes routes = new ExternalRoutes();
  private final Map<String, Inbound> inbound = new HashMap<>();
  private final LogThrottle warnings = new LogThrottle(LogThrottle.EVERY_MS);
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private ClusterOptions cluster;
  /** Enabled links by name; value = their topics after redundancy reduction. */
  private Map<String, List<String>> enabledLinks = Map.of();
  private Broker broker;
  private Vertx vertx;
  private EventBus bus;
  private long gcTimer = -1;
  private final DurableBuffers durable;
  /** The appends of the publish being forwarded (broker loop only; reused). */
  private final List<Future<Long>> stores = new ArrayList<>();

  public RouteSync(ClusterOptions cluster, LinkTimings timings) {
    this(cluster, timings, new DurableBuffers(java.nio.file.Path.of("data")));
  }

  /** @param durable the logs of durable links, appended to before a publisher is acknowledged */
  public RouteSync(ClusterOptions cluster, LinkTimings timings, DurableBuffers durable) {
    this.cluster = cluster;
    this.timings = timings;
    this.durable = durable;
    this.enabledLinks = enabledLinks(cluster);
  }

  private static Map<String, List<String>> enabledLinks(ClusterOptions cluster) {
    Map<String, List<String>> out = new HashMap<>();
    for (LinkOptions link : cluster.links()) {
      if (link.enable()) {
        out.put(link.name(), TopicIntersection.union(link.topics()));
      }
    }
    return Map.copyOf(out);
  }

  @Override
  public void install(Broker broker, Vertx vertx) {
    this.broker = broker;
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    broker.linkHandler(this);
    broker.forwarder(this);
    broker.routeListener(this);
    consumers.add(bus.<String>consumer(Addresses.ROUTE_SNAPSHOT, msg -> msg.reply(snapshot(msg.body()),
      LocalCodec.LOCAL)));
    consumers.add(bus.<ClusterOptions>consumer(Addresses.LINKS_UPDATE, msg -> {
      updateLinks(msg.body());
      msg.reply(Boolean.TRUE, LocalCodec.LOCAL);
    }));
    consumers.add(bus.<String>consumer(Addresses.INBOUND_STATS, msg -> msg.reply(stats(msg.body()), LocalCodec.LOCAL)));
    consumers.add(bus.<String>consumer(Addresses.INBOUND_STATS_RESET, msg -> {
      inbound.remove(msg.body());
      msg.reply(Boolean.TRUE, LocalCodec.LOCAL);
    }));
    gcTimer = vertx.setPeriodic(timings.gcInterval().toMillis(), id -> gc());
  }

  @Override
  public void uninstall() {
    consumers.forEach(MessageConsumer::unregister);
    vertx.cancelTimer(gcTimer);
  }

  /** Applies a new set of links: which peers we route to and accept from. */
  void updateLinks(ClusterOptions newCluster) {
    this.cluster = newCluster;
    this.enabledLinks = enabledLinks(newCluster);
  }

  // ---- sender side: local routes to link verticles ----

  @Override
  public void routeAdded(String filter, String routeId) {
    pushOps(filter, routeId, true);
  }

  @Override
  public void routeRemoved(String filter, String routeId) {
    pushOps(filter, routeId, false);
  }

  private void pushOps(String filter, String routeId, boolean add) {
    for (Map.Entry<String, List<String>> e : enabledLinks.entrySet()) {
      List<String> topics = e.getValue();
      if (topics.isEmpty()) {
        continue;
      }
      List<String> intersections = TopicIntersection.routeIntersections(filter, topics);
      if (intersections.isEmpty()) {
        continue;
      }
      List<RouteOp> ops = new ArrayList<>(intersections.size());
      for (String f : intersections) {
        ops.add(add ? RouteOp.add(f, routeId) : RouteOp.delete(f, routeId));
      }
      bus.send(Addresses.linkRoutes(e.getKey()), List.copyOf(ops), LocalCodec.LOCAL);
    }
  }

  /** Every current local route intersected with the link's topics: what a peer is bootstrapped with. */
  List<RouteOp> snapshot(String link) {
    List<String> topics = enabledLinks.get(link);
    List<RouteOp> ops = new ArrayList<>();
    if (topics == null || topics.isEmpty()) {
      return ops;
    }
    broker.forEachRoute((filter, routeId) -> {
      for (String f : TopicIntersection.routeIntersections(filter, topics)) {
        ops.add(RouteOp.add(f, routeId));
      }
    });
    return ops;
  }

  // ---- forwarding: one copy per interested peer cluster ----

  /**
   * One copy per interested peer cluster. A QoS ≥ 1 message for a link in {@code buffer_mode = durable} is appended
   * to its log first and handed to the link once stored (appends complete in order, so the link sees them in
   * publish order); the returned future tells the broker when it may acknowledge the publisher.
   */
  @Override
  public Future<Void> forward(Message message) {
    routes.matchClusters(message.topic(), peer -> {
      if (!enabledLinks.containsKey(peer)) {
        return;
      }
      DurableLog log = message.qos() > 0 ? durable.get(peer) : null;
      if (log == null) {
        bus.send(Addresses.linkForward(peer), message, LocalCodec.LOCAL);
        return;
      }
      byte[] record = LinkMessages.encode(message);
      stores.add(log.append(record).onSuccess(seq ->
        bus.send(Addresses.linkForward(peer), new StoredMessage(message, seq, record), LocalCodec.LOCAL)));
    });
    if (stores.isEmpty()) {
      return null;
    }
    Future<Void> stored = stores.size() == 1 ? stores.get(0).mapEmpty() : Future.all(stores).mapEmpty();
    stores.clear();
    return stored;
  }

  // ---- receiver side: $LINK/cluster/{route,msg}/<peer> ----

  @Override
  public Future<Integer> handle(MqttConnection connection, Message message) {
    Optional<LinkTopic> parsed = LinkTopics.parse(message.topic());
    if (parsed.isEmpty()) {
      return Future.succeededFuture(NO_MATCHING_SUBSCRIBERS);
    }
    LinkTopic topic = parsed.get();
    try {
      return switch (topic.kind()) {
        case ROUTE -> Future.succeededFuture(onRouteTopic(connection, topic.cluster(), message));
        case MSG -> Future.succeededFuture(onForwarded(topic.cluster(), message));
        case RESP -> Future.succeededFuture(NO_MATCHING_SUBSCRIBERS); // only we publish responses
      };
    } catch (RuntimeException e) {
      log.warn("cluster link protocol error [peer: {}, client-id: {}, reason: {}]", topic.cluster(),
        connection.client().clientId(), e.getMessage());
      return Future.failedFuture(e);
    }
  }

  private int onRouteTopic(MqttConnection connection, String peer, Message message) {
    ControlOp op = ControlOp.decode(message.payload().getBytes());
    ActorBinding bound = (ActorBinding) connection.attachment();
    long now = System.currentTimeMillis();
    if (op instanceof ActorInit init) {
      if (bound != null) {
        throw new IllegalStateException("second actor_init on one connection");
      }
      actorInit(connection, peer, init, message, now);
    } else if (op instanceof RouteUpdate update) {
      if (bound == null || !bound.actor().equals(update.actor()) || bound.incarnation() != update.incarnation()) {
        throw new IllegalStateException("route ops for an actor this connection did not initialize");
      }
      applyRoutes(bound, update);
    } else if (op instanceof Heartbeat hb) {
      if (bound != null && !routes.heartbeat(peer, hb.actor(), hb.incarnation(), now + timings.actorTtl().toMillis())) {
        throw new IllegalStateException("heartbeat for a stale actor " + hb.actor());
      }
      // a heartbeat before actor_init is ignored (EMQX #13684)
    } else {
      throw new IllegalStateException("unexpected operation " + op.getClass().getSimpleName());
    }
    return NO_MATCHING_SUBSCRIBERS;
  }

  private void actorInit(MqttConnection connection, String peer, ActorInit init, Message request, long now) {
    LinkOptions link = cluster.link(peer).orElse(null);
    String error = null;
    if (link == null) {
      error = "unknown_cluster";
    } else if (!link.enable()) {
      error = "cluster_link_disabled";
    } else if (!cluster.name().equals(init.targetCluster())) {
      error = "bad_remote_cluster_link_name";
    }
    if (error != null) {
      log.warn("cluster link actor_init rejected [local_cluster: {}, peer: {}, target_cluster: {}, actor: {}, reason: {}]",
        cluster.name(), peer, init.targetCluster(), init.actor(), error);
      reply(request, ActorInitAck.error(init.actor(), error));
      return;
    }
    InitResult result = routes.actorInit(peer, init.actor(), init.incarnation(), now + timings.actorTtl().toMillis());
    if (result == InitResult.STALE_INCARNATION || result == InitResult.NO_FREE_LANE) {
      throw new IllegalStateException("actor_init refused: " + result);
    }
    connection.attachment(new ActorBinding(peer, init.actor(), init.incarnation()));
    boolean created = result == InitResult.CREATED;
    log.info("cluster link actor initialized [peer: {}, actor: {}, incarnation: {}, need_bootstrap: {}]", peer,
      init.actor(), init.incarnation(), created);
    reply(request, ActorInitAck.ok(init.actor(), created));
  }

  /** Publishes the handshake answer to the request's Response-Topic, echoing its Correlation-Data. */
  private void reply(Message request, ActorInitAck ack) {
    if (request.responseTopic() == null) {
      throw new IllegalStateException("actor_init without a Response-Topic");
    }
    broker.publish(new Message(request.responseTopic(), Buffer.buffer(ack.encodeForLink()), 1, false, null, null, null,
      request.correlationData(), List.of(), "", null, System.currentTimeMillis(), 0));
  }

  private void applyRoutes(ActorBinding actor, RouteUpdate update) {
    for (RouteOp op : update.routes()) {
      String invalid = Topics.validateFilter(op.filter(), 0);
      if (invalid != null || op.routeId().isEmpty()) {
        throw new IllegalArgumentException("invalid route " + op.filter() + ": " + invalid);
      }
      boolean current = op.type() == RouteOp.Type.ADD
        ? routes.add(actor.cluster(), actor.actor(), actor.incarnation(), op.filter(), op.routeId())
        : routes.delete(actor.cluster(), actor.actor(), actor.incarnation(), op.filter(), op.routeId());
      if (!current) {
        throw new IllegalStateException("actor " + actor.actor() + " was replaced (incarnation changed)");
      }
    }
  }

  private int onForwarded(String peer, Message carrier) {
    Inbound counters = inbound.computeIfAbsent(peer, p -> new Inbound());
    List<String> topics = enabledLinks.get(peer);
    long now = System.currentTimeMillis();
    MessageRecord.Decoded decoded;
    try {
      decoded = LinkMessages.decode(carrier.payload(), peer, now);
    } catch (RuntimeException e) {
      counters.dropped++;
      warnThrottled(peer, "undecodable forwarded message from peer [peer: {}, reason: {}]", e.getMessage());
      return NO_MATCHING_SUBSCRIBERS;
    }
    Message message = decoded.message();
    String badTopic = Topics.validateName(message.topic(), 0);
    if (badTopic != null) {
      // a wildcard or U+0000 would reach subscribers as a PUBLISH topic they must refuse
      counters.dropped++;
      warnThrottled(peer, "forwarded message dropped [peer: {}, reason: {}]", "invalid topic: " + badTopic);
      return NO_MATCHING_SUBSCRIBERS;
    }
    if (topics == null || !matchesAny(topics, message.topic())) {
      // unknown or disabled link, or a stale route on the peer's side: not ours to deliver
      counters.dropped++;
      warnThrottled(peer, "forwarded message dropped [peer: {}, reason: {}]",
        topics == null ? "no enabled link to this peer" : "topic outside the link's topics");
      return NO_MATCHING_SUBSCRIBERS;
    }
    if (!decoded.droppedProperties().isEmpty()) {
      // EMQX 5.x does not check UTF-8 in properties; our MQTT 5 subscribers must not get invalid UTF-8
      counters.propertiesDropped += decoded.droppedProperties().size();
      warnThrottled(peer, "forwarded message delivered without its properties that are not valid UTF-8 "
        + "[peer: {}, properties: {}]", decoded.droppedProperties());
    }
    if (message.isExpired(now)) {
      // expired at the record's timestamp + interval, e.g. after waiting in the peer's buffer
      counters.dropped++;
      log.debug("forwarded message expired before it arrived [peer: {}, topic: {}]", peer, message.topic());
      return NO_MATCHING_SUBSCRIBERS;
    }
    counters.received++;
    int matched = broker.publish(message);
    return matched > 0 ? 0 : NO_MATCHING_SUBSCRIBERS;
  }

  private static boolean matchesAny(List<String> filters, String topic) {
    for (String f : filters) {
      if (Topics.matches(f, topic)) {
        return true;
      }
    }
    return false;
  }

  private void warnThrottled(String peer, String format, Object detail) {
    if (warnings.allow(peer, System.currentTimeMillis())) {
      log.warn(format, peer, detail);
    }
  }

  // ---- upkeep and stats ----

  private void gc() {
    for (String removed : routes.gc(System.currentTimeMillis())) {
      log.info("cluster link actor expired, its routes removed [actor: {}]", removed);
    }
  }

  InboundLinkStats stats(String peer) {
    Inbound c = inbound.get(peer);
    return new InboundLinkStats(routes.routeCount(peer), routes.liveActorCount(peer, System.currentTimeMillis()),
      c == null ? 0 : c.received, c == null ? 0 : c.dropped, c == null ? 0 : c.propertiesDropped);
  }

  /** For tests and diagnostics: whether a peer's route is in the table. */
  boolean hasExternalRoute(String peer, String filter, String routeId) {
    return routes.hasRoute(peer, filter, routeId);
  }
}
