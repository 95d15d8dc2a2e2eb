package io.linkgate.broker;

import io.linkgate.Contexts;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.linkgate.authn.PasswordChecker;
import io.linkgate.broker.transport.MqttTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MQTT server verticle: opens the TCP and WebSocket listeners, plain and TLS ({@link MqttTransport}) and owns the
 * {@link Broker}. Every connection it accepts runs on this verticle's event loop, which makes that loop the single
 * owner of all broker state.
 */
public final class BrokerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(BrokerVerticle.class);

  private final BrokerLimits limits;
  private final List<ListenerSpec> listeners;
  private final BrokerMetrics metrics;
  private final List<BrokerPlugin> plugins;
  /** Open listeners by id, with the spec each was opened with; touched only on this verticle's loop. */
  private final Map<String, Opened> opened = new LinkedHashMap<>();
  private final Map<String, ConnRateLimiter> rates = new java.util.HashMap<>();
  private volatile Map<String, Integer> boundPorts = Map.of();
  private Broker broker;
  private PasswordChecker passwords;

  public BrokerVerticle(BrokerLimits limits, List<ListenerSpec> listeners, BrokerMetrics metrics) {
    this(limits, listeners, metrics, List.of());
  }

  public BrokerVerticle(BrokerLimits limits, List<ListenerSpec> listeners, BrokerMetrics metrics,
                        List<BrokerPlugin> plugins) {
    this.limits = limits;
    this.listeners = List.copyOf(listeners);
    this.metrics = metrics;
    this.plugins = List.copyOf(plugins);
  }

  /**
   * Turns MQTT authentication on: CONNECTs are checked against these users (per each listener's
   * {@link ListenerSpec#authn()} rules). Call before deploying; without it every client is admitted.
   */
  public BrokerVerticle passwords(PasswordChecker checker) {
    this.passwords = checker;
    return this;
  }

  /** The broker; use it only from this verticle's context. */
  public Broker broker() {
    return broker;
  }

  /** Runs a function against the broker on its own event loop (the only thread that may touch it). */
  public <T> Future<T> onBroker(java.util.function.Function<Broker, T> fn) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      try {
        promise.complete(fn.apply(broker));
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  /** Listener id → actual port, once started. */
  public Map<String, Integer> boundPorts() {
    return boundPorts;
  }

  /**
   * Makes the open listeners match {@code next} (config reload): listeners that are gone or whose address changed
   * are closed, new ones opened; a change of {@code max_connections} alone applies in place. Clients of untouched
   * listeners stay connected. If a listener cannot be opened, the listeners closed or opened by this call are put
   * back as they were and the future fails with the reason.
   */
  public Future<Void> updateListeners(List<ListenerSpec> next) {
    io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      // what this call changes in place, to put back if it fails: the update is all or nothing
      Map<String, Opened> openedBefore = new LinkedHashMap<>(opened);
      Map<String, ConnRateLimiter> ratesBefore = new java.util.HashMap<>(rates);
      Map<String, ListenerSpec> wanted = new LinkedHashMap<>();
      next.forEach(s -> wanted.put(s.id(), s));
      List<ListenerSpec> closedSpecs = new ArrayList<>();
      List<Future<?>> closing = new ArrayList<>();
      for (Opened o : List.copyOf(opened.values())) {
        ListenerSpec w = wanted.get(o.spec().id());
        if (w != null && w.sameSocket(o.spec())) {
          setRate(w);
          opened.put(w.id(), new Opened(w, o.transport()));
        } else {
          closedSpecs.add(o.spec());
          closing.add(close(o.spec().id()));
        }
      }
      List<ListenerSpec> toOpen = wanted.values().stream().filter(s -> !opened.containsKey(s.id())).toList();
      Future.join(closing).transform(ignored -> Contexts.run(context, () -> openAll(toOpen))).recover(err -> {
        log.error("listener update failed, restoring the previous listeners [reason: {}]", err.getMessage());
        return Contexts.run(context, () -> {
          openedBefore.forEach((id, o) -> opened.computeIfPresent(id, (k, now) -> o));
          rates.clear();
          rates.putAll(ratesBefore);
          return openAll(closedSpecs);
        }).onFailure(again -> log.error(
          "previous listeners could not be restored [reason: {}]", again.getMessage()))
          .transform(ignored -> Future.<Void>failedFuture(err));
      }).onComplete(promise);
    });
    return promise.future();
  }

  /** A fresh {@code max_conn_rate} bucket when the listener opens or its rate changes. */
  private void setRate(ListenerSpec spec) {
    Opened current = opened.get(spec.id());
    if (current != null && current.spec().maxConnRate() == spec.maxConnRate()
        && current.spec().ratePeriodMillis() == spec.ratePeriodMillis() && rates.containsKey(spec.id())) {
      return;
    }
    if (spec.maxConnRate() > 0) {
      rates.put(spec.id(), new ConnRateLimiter(spec.maxConnRate(), spec.ratePeriodMillis(),
        System.currentTimeMillis()));
    } else {
      rates.remove(spec.id());
    }
  }

  /** Opens every listener, or none: on a failure the ones this call opened are closed again. */
  private Future<Void> openAll(List<ListenerSpec> specs) {
    List<Future<MqttTransport>> starting = specs.stream().map(this::listen).toList();
    return Future.join(starting).transform(ar -> {
      if (ar.succeeded()) {
        return Future.<Void>succeededFuture();
      }
      List<Future<?>> undo = new ArrayList<>();
      for (int i = 0; i < specs.size(); i++) {
        if (starting.get(i).succeeded()) {
          undo.add(close(specs.get(i).id()));
        }
      }
      Throwable cause = starting.stream().filter(Future::failed).findFirst().map(Future::cause).orElse(ar.cause());
      return Future.join(undo).transform(ignored -> Future.<Void>failedFuture(cause));
    });
  }

  private Future<Void> close(String id) {
    Opened o = opened.remove(id);
    rates.remove(id);
    if (o == null) {
      return Future.succeededFuture();
    }
    publishPorts();
    log.info("listener stopped [listener: {}]", id);
    return o.transport().close();
  }

  private void publishPorts() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    opened.forEach((id, o) -> ports.put(id, o.transport().actualPort()));
    boundPorts = java.util.Collections.unmodifiableMap(ports);
  }

  private record Opened(ListenerSpec spec, MqttTransport transport) {
  }

  @Override
  public Future<?> start() {
    broker = new Broker(vertx, limits, metrics);
    broker.passwords(passwords); // before any listener opens: no client may slip in unauthenticated
    broker.startSweeper();
    plugins.forEach(p -> p.install(broker, vertx));
    return openAll(listeners);
  }

  private Future<MqttTransport> listen(ListenerSpec spec) {
    setRate(spec);
    return MqttTransport.listen(vertx, spec, maxRemainingLength(limits.maxPacketSize()), channel -> {
      // checked before this connection is counted; it is answered at its CONNECT (with the reason) and closed.
      // Limits are read through the maps: a reload may change them on an open listener.
      Opened current = opened.get(spec.id());
      int max = current == null ? spec.maxConnections() : current.spec().maxConnections();
      ConnRateLimiter rate = rates.get(spec.id());
      BrokerMetrics.Limit over = null;
      if (max > 0 && broker.listenerConnections(spec.id()) >= max) {
        over = BrokerMetrics.Limit.MAX_CONNECTIONS;
      } else if (rate != null && !rate.tryAcquire(System.currentTimeMillis())) {
        over = BrokerMetrics.Limit.MAX_CONN_RATE;
      }
      ListenerSpec now = current == null ? spec : current.spec();
      MqttConnection connection = new MqttConnection(broker, channel, now.authn());
      if (over != null) {
        log.debug("connection refused [listener: {}, limit: {}]", spec.id(), over.tag);
        connection.refuseAtConnect(over);
      }
      return connection;
    }).onSuccess(t -> {
      opened.put(spec.id(), new Opened(spec, t));
      publishPorts();
      log.info("listener started [listener: {}, bind: {}:{}]", spec.id(), spec.host(), t.actualPort());
    }).recover(err -> Future.failedFuture(new ListenerBindException(spec.id(),
      "cannot open listener " + spec.id() + " on " + spec.host() + ":" + spec.port() + ": " + err.getMessage(), err)));
  }

  /**
   * The decoder limits the remaining length, but Maximum Packet Size counts the whole packet: the largest remaining
   * length whose packet (1 byte of type and flags + its variable-length encoding + itself) still fits.
   */
  static int maxRemainingLength(int maxPacketSize) {
    int remaining = maxPacketSize - 2;
    while (remaining > 0 && 1 + Mqtt5Properties.varintSize(remaining) + remaining > maxPacketSize) {
      remaining--;
    }
    return remaining;
  }

  @Override
  public Future<?> stop() {
    broker.disconnectAll(); // before the listeners close their sockets without a word
    broker.stopSweeper();
    plugins.forEach(BrokerPlugin::uninstall);
    List<Future<?>> closing = new ArrayList<>();
    for (String id : List.copyOf(opened.keySet())) {
      closing.add(close(id));
    }
    return Future.join(closing);
  }
}
