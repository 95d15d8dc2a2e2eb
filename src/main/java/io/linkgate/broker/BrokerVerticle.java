package io.linkgate.broker;

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
  private final List<MqttTransport> servers = new ArrayList<>();
  private final Map<String, Integer> boundPorts = new LinkedHashMap<>();
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
    return Map.copyOf(boundPorts);
  }

  @Override
  public Future<?> start() {
    broker = new Broker(vertx, limits, metrics);
    broker.passwords(passwords); // before any listener opens: no client may slip in unauthenticated
    broker.startSweeper();
    plugins.forEach(p -> p.install(broker, vertx));
    List<Future<?>> started = new ArrayList<>();
    for (ListenerSpec spec : listeners) {
      started.add(listen(spec));
    }
    return Future.all(started);
  }

  private Future<MqttTransport> listen(ListenerSpec spec) {
    return MqttTransport.listen(vertx, spec, maxRemainingLength(limits.maxPacketSize()), channel -> {
      if (spec.maxConnections() > 0 && broker.connectionCount() >= spec.maxConnections()) {
        log.debug("connection refused: listener full [listener: {}, max_connections: {}]", spec.id(),
          spec.maxConnections());
        channel.close();
      }
      return new MqttConnection(broker, channel, spec.authn());
    }).onSuccess(t -> {
      servers.add(t);
      boundPorts.put(spec.id(), t.actualPort());
      log.info("listener started [listener: {}, bind: {}:{}]", spec.id(), spec.host(), t.actualPort());
    }).recover(err -> Future.failedFuture(new IllegalStateException(
      "cannot open listener " + spec.id() + " on " + spec.host() + ":" + spec.port() + ": " + err.getMessage(), err)));
  }

  /**
   * The decoder limits the remaining length, but Maximum Packet Size counts the whole packet: the largest remaining
   * length whose packet (1 byte of type and flags + its variable-length encoding + itself) still fits.
   */
  static int maxRemainingLength(int maxPacketSize) {
    int remaining = maxPacketSize - 2;
    while (remaining > 0 && 1 + varIntLength(remaining) + remaining > maxPacketSize) {
      remaining--;
    }
    return remaining;
  }

  private static int varIntLength(int value) {
    return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
  }

  @Override
  public Future<?> stop() {
    broker.stopSweeper();
    plugins.forEach(BrokerPlugin::uninstall);
    List<Future<?>> closing = new ArrayList<>();
    for (MqttTransport s : servers) {
      closing.add(s.close());
    }
    return Future.join(closing);
  }
}
