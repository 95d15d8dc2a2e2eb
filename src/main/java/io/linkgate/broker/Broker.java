package io.linkgate.broker;

import io.linkgate.broker.BrokerMetrics.DropReason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's state and routing: sessions, the subscription index and retained messages, and the
 * publish → match → deliver/forward path. Every method runs on the broker verticle's event loop, which is the single
 * owner of this state; no locks.
 */
public final class Broker {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  final Vertx vertx;
  /** Replaced by a config reload; read on every decision, so new limits apply to the next packet or session. */
  BrokerLimits limits;
  final BrokerMetrics metrics;
  private final Map<String, Session> sessions = new HashMap<>();
  private final SubscriptionIndex subscriptions = new SubscriptionIndex();
  private final RetainedStore retained = new RetainedStore();
  private Authorizer authorizer = Authorizer.ALLOW_ALL;
  private io.linkgate.authn.PasswordChecker passwords;
  private LinkMessageHandler linkHandler = LinkMessageHandler.SWALLOW;
  private MessageForwarder forwarder = MessageForwarder.NONE;
  private final java.util.Set<MqttConnection> connections = new java.util.HashSet<>();
  private final Map<String, Integer> perListener = new HashMap<>();
  private long sweepTimer = -1;
  /** The fan-out collection publishes reuse, whether it is in use, and the marks that tell its uses apart. */
  private final Fanout fanout = new Fanout();
  private boolean fanoutBusy;
  private long fanoutMarks;

  public Broker(Vertx vertx, BrokerLimits limits, BrokerMetrics metrics) {
    this.vertx = vertx;
    this.limits = limits;
    this.metrics = metrics;
  }

  /** The broker's counters; read them on the broker thread (tests) or as gauges do. */
  public BrokerMetrics metrics() {
    return metrics;
  }

  /** New {@code mqtt.*} limits from a config reload; sessions created earlier keep the queue sizes they have. */
  public void updateLimits(BrokerLimits limits) {
    this.limits = limits;
  }

  /** The MQTT password checker, or null when no authentication is configured. Set before listeners open. */
  void passwords(io.linkgate.authn.PasswordChecker checker) {
    this.passwords = checker;
  }

  io.linkgate.authn.PasswordChecker passwords() {
    return passwords;
  }

  public void authorizer(Authorizer authorizer) {
    this.authorizer = authorizer;
  }

  Authorizer authorizer() {
    return authorizer;
  }

  public void linkHandler(LinkMessageHandler handler) {
    this.linkHandler = handler;
  }

  LinkMessageHandler linkHandler() {
    return linkHandler;
  }

  public void forwarder(MessageForwarder forwarder) {
    this.forwarder = forwarder;
  }

  public void routeListener(RouteListener listener) {
    subscriptions.routeListener(listener);
  }

  public int connectionCount() {
    return connections.size();
  }

  /** Connections open on one listener ({@code tcp:default}), for its {@code max_connections}. */
  public int listenerConnections(String listenerId) {
    return perListener.getOrDefault(listenerId, 0);
  }

  /** The node is stopping: every client is closed, MQTT 5 clients told why (DISCONNECT 0x8B Server shutting down). */
  void disconnectAll() {
    for (MqttConnection c : List.copyOf(connections)) {
      c.disconnect(ReasonCodes.SERVER_SHUTTING_DOWN);
    }
  }

  /** Starts the once-a-second upkeep of connections and sessions (keep alive, retries, QoS 2 timeouts). */
  void startSweeper() {
    sweepTimer = vertx.setPeriodic(1000, id -> {
      long now = System.currentTimeMillis();
      for (MqttConnection c : List.copyOf(connections)) {
        c.sweep(now);
      }
    });
  }

  void stopSweeper() {
    cancelTimer(sweepTimer);
  }

  public int sessionCount() {
    return sessions.size();
  }

  public int subscriptionCount() {
    return subscriptions.size();
  }

  public int retainedCount() {
    return retained.size();
  }

  /** The current route filters, deduplicated per route id; for link bootstrap. */
  public void forEachRoute(java.util.function.BiConsumer<String, String> consumer) {
    subscriptions.forEachRoute(consumer);
  }

  // ---- publish path ----

  /**
   * Routes a message: retained store, local subscribers (one copy per session, one per share group: see
   * {@link Fanout}), then the link forwarder (only for local messages).
   *
   * @return how many destinations (sessions, plus one member per share group) received it
   */
  public int publish(Message message) {
    int matched = deliver(message);
    if (message.origin() == null) {
      forwarder.forward(message);
    }
    return matched;
  }

  private static final Future<Integer> ACK_SUCCESS = Future.succeededFuture(ReasonCodes.SUCCESS);
  private static final Future<Integer> ACK_NO_SUBSCRIBERS = Future.succeededFuture(ReasonCodes.NO_MATCHING_SUBSCRIBERS);

  /**
   * {@link #publish} for a client's QoS ≥ 1 PUBLISH: completes with the reason code of its PUBACK/PUBREC once every
   * durable link buffer that wants it has stored it (at once when none does): 0x97 Quota exceeded when a full buffer
   * refused it, 0x80 when one could not write it. Local subscribers have it either way.
   */
  public Future<Integer> publishForAck(Message message) {
    int matched = deliver(message);
    Future<Integer> ack = matched > 0 ? ACK_SUCCESS : ACK_NO_SUBSCRIBERS;
    Future<Void> stored = message.origin() == null ? forwarder.forward(message) : null;
    if (stored == null) {
      return ack;
    }
    int code = ack.result();
    return stored.transform(ar -> Future.succeededFuture(ar.succeeded() ? code
      : ar.cause() instanceof io.linkgate.store.LogFullException ? ReasonCodes.QUOTA_EXCEEDED
      : ReasonCodes.UNSPECIFIED_ERROR));
  }

  /** Retained store and local subscribers; how many destinations received it. */
  private int deliver(Message message) {
    metrics.messagesReceived++;
    // messages from a peer cluster are not retained here, as in EMQX: the peer's retainer owns them
    if (message.retain() && limits.retainAvailable() && message.origin() == null) {
      retained.put(message);
    }
    // a publish made while one is being delivered (a will of a session that ends) gets its own collection
    boolean nested = fanoutBusy;
    Fanout collect = (nested ? new Fanout() : fanout).begin(message, ++fanoutMarks);
    fanoutBusy = true;
    int matched;
    try {
      subscriptions.match(message.topic(), collect, collect.sharedVisitor);
      matched = collect.deliver();
    } finally {
      fanoutBusy = nested;
    }
    if (matched == 0) {
      metrics.messagesNoSubscribers++;
    }
    return matched;
  }

  // ---- subscriptions ----

  /**
   * Adds or replaces a subscription and sends the matching retained messages as its retain handling asks
   * (0: always, 1: only if the subscription is new, 2: never; never for shared subscriptions).
   */
  void subscribe(Session session, Subscription sub) {
    Subscription previous = session.subscriptions.put(sub.key(), sub);
    subscriptions.add(sub);
    boolean sendRetained = sub.shareGroup() == null
      && (sub.retainHandling() == 0 || sub.retainHandling() == 1 && previous == null);
    if (sendRetained && retained.size() > 0) {
      retained.match(sub.filter(), System.currentTimeMillis(), m -> {
        int qos = Math.min(m.qos(), sub.qos());
        session.deliver(new Delivery(m, qos, true, sub.subscriptionId(), null));
      });
    }
  }

  /** Returns false if the session had no such subscription. */
  boolean unsubscribe(Session session, String key) {
    Subscription sub = session.subscriptions.remove(key);
    if (sub == null) {
      return false;
    }
    subscriptions.remove(sub);
    if (sub.shareGroup() != null) {
      handOver(session, session.takeSharedDeliveries(true));
    }
    return true;
  }

  /** Gives a leaving member's shared-subscription messages to other members of their groups. */
  void handOver(Session leaving, List<Delivery> deliveries) {
    for (Delivery d : deliveries) {
      Subscription other = d.group.pick(leaving);
      if (other != null) {
        int qos = Math.min(d.message.qos(), other.qos());
        other.session().deliver(new Delivery(d.message, qos, d.retain, other.subscriptionId(), d.group));
      } else if (leaving.connection == null) {
        leaving.deliver(d); // nobody else: keep it for this member's return
      } else {
        metrics.countDrop(DropReason.SESSION_ENDED);
      }
    }
  }

  // ---- sessions ----

  Session session(String clientId) {
    return sessions.get(clientId);
  }

  /**
   * Bytes of PUBLISH packets waiting to be written to this client (bounded by {@code mqtt.max_outbound_bytes}),
   * or -1 when it is not connected.
   */
  public long outboundBytes(String clientId) {
    Session s = sessions.get(clientId);
    return s == null || s.connection == null ? -1 : s.connection.outboundBytes();
  }

  Session createSession(String clientId) {
    Session s = new Session(clientId, this);
    sessions.put(clientId, s);
    return s;
  }

  void connectionOpened(MqttConnection c) {
    connections.add(c);
    perListener.merge(c.listener(), 1, Integer::sum);
    metrics.connectionsTotal++;
  }

  void connectionClosed(MqttConnection c) {
    if (connections.remove(c)) {
      perListener.computeIfPresent(c.listener(), (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  /** Ends a session for good: subscriptions removed, pending will published, unfinished shared messages handed on. */
  void endSession(Session session) {
    if (sessions.get(session.clientId) == session) {
      sessions.remove(session.clientId);
    }
    cancelTimer(session.expiryTimer);
    session.expiryTimer = -1;
    for (Subscription sub : List.copyOf(session.subscriptions.values())) {
      subscriptions.remove(sub);
    }
    session.subscriptions.clear();
    handOver(session, session.takeSharedDeliveries(true));
    session.discardPending();
    publishPendingWill(session);
  }

  /** The connection went away; the session lives on for its expiry interval. */
  void detach(Session session, Message will, long willDelaySeconds) {
    session.connection = null;
    handOver(session, session.takeSharedDeliveries(false));
    if (will != null) {
      session.pendingWill = will;
      if (willDelaySeconds <= 0 || session.expirySeconds == 0) {
        publishPendingWill(session);
      } else {
        long delayMs = Math.min(willDelaySeconds, session.expirySeconds) * 1000;
        session.willTimer = vertx.setTimer(delayMs, id -> {
          session.willTimer = -1;
          publishPendingWill(session);
        });
      }
    }
    if (session.expirySeconds == 0) {
      endSession(session);
    } else {
      long ms = Math.min(session.expirySeconds, Integer.MAX_VALUE / 1000) * 1000;
      session.expiryTimer = vertx.setTimer(ms, id -> {
        session.expiryTimer = -1;
        if (session.connection == null) {
          log.debug("session expired [client-id: {}]", session.clientId);
          endSession(session);
        }
      });
    }
  }

  /** A client reconnected to its session: pending timers and a delayed will are cancelled. */
  void reattach(Session session) {
    cancelTimer(session.expiryTimer);
    session.expiryTimer = -1;
    cancelTimer(session.willTimer);
    session.willTimer = -1;
    session.pendingWill = null;
  }

  private void publishPendingWill(Session session) {
    Message will = session.pendingWill;
    session.pendingWill = null;
    cancelTimer(session.willTimer);
    session.willTimer = -1;
    if (will != null) {
      publish(will);
    }
  }

  private void cancelTimer(long id) {
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }
}
