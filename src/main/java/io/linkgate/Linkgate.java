package io.linkgate;

import io.linkgate.config.LinkgateConfig;
import io.linkgate.lifecycle.ConfigSource;
import io.linkgate.lifecycle.ReloadReport;
import io.linkgate.link.LinkTimings;
import io.linkgate.metrics.GatewayMetrics;
import io.linkgate.metrics.LinkgateMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Map;

/**
 * A running Linkgate node: what {@link Main} starts, and what integration tests start several of in one JVM.
 */
public final class Linkgate {
  private final Vertx vertx;
  private final GatewayVerticle gateway;
  private final boolean ownsVertx;

  private Linkgate(Vertx vertx, GatewayVerticle gateway, boolean ownsVertx) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.ownsVertx = ownsVertx;
  }

  /** Starts a node on its own Vert.x instance, with metrics. */
  public static Future<Linkgate> start(LinkgateConfig config) {
    return start(config, LinkTimings.DEFAULT);
  }

  /** Starts a node read from {@code source}'s file: the file is watched and REST changes are written into it. */
  public static Future<Linkgate> start(LinkgateConfig config, ConfigSource source) {
    LinkgateMetrics metrics = new LinkgateMetrics();
    return start(metrics.newVertx(), config, source, LinkTimings.DEFAULT, true, metrics);
  }

  /** Starts a node on its own Vert.x instance, whose Vert.x metrics go to the node's {@link LinkgateMetrics}. */
  public static Future<Linkgate> start(LinkgateConfig config, LinkTimings timings) {
    LinkgateMetrics metrics = new LinkgateMetrics();
    return start(metrics.newVertx(), config, timings, true, metrics);
  }

  /** Starts a node without metrics; tests pass {@link LinkTimings#fast()} and may share one Vert.x between nodes. */
  public static Future<Linkgate> start(Vertx vertx, LinkgateConfig config, LinkTimings timings, boolean ownsVertx) {
    return start(vertx, config, timings, ownsVertx, GatewayMetrics.NOOP);
  }

  /**
   * Starts a node with these metrics. Vert.x's own meters are in them only if {@code vertx} was built by
   * {@link LinkgateMetrics#newVertx}.
   */
  public static Future<Linkgate> start(Vertx vertx, LinkgateConfig config, LinkTimings timings, boolean ownsVertx,
                                       GatewayMetrics metrics) {
    return start(vertx, config, ConfigSource.NONE, timings, ownsVertx, metrics);
  }

  /** The general form: every other {@code start} comes here. */
  public static Future<Linkgate> start(Vertx vertx, LinkgateConfig config, ConfigSource source, LinkTimings timings,
                                       boolean ownsVertx, GatewayMetrics metrics) {
    GatewayVerticle gateway = new GatewayVerticle(config, source, timings, metrics);
    // a promise of no context: after a failed start the event loops are closed, and a continuation bound to one
    // of them would never run (the caller would only see its own timeout)
    Promise<Linkgate> started = Promise.promise();
    vertx.deployVerticle(gateway).onComplete(ar -> {
      if (ar.succeeded()) {
        started.complete(new Linkgate(vertx, gateway, ownsVertx));
      } else if (ownsVertx) {
        vertx.close().onComplete(closed -> started.fail(ar.cause()));
      } else {
        started.fail(ar.cause());
      }
    });
    return started.future();
  }

  public Vertx vertx() {
    return vertx;
  }

  public GatewayVerticle gateway() {
    return gateway;
  }

  public GatewayMetrics metrics() {
    return gateway.metrics();
  }

  public LinkgateConfig config() {
    return gateway.linkgateConfig();
  }

  /** MQTT listener id (e.g. {@code tcp:default}) → bound port. */
  public Map<String, Integer> mqttPorts() {
    return gateway.broker().boundPorts();
  }

  public int mqttPort(String listenerId) {
    Integer port = mqttPorts().get(listenerId);
    if (port == null) {
      throw new IllegalArgumentException("no listener " + listenerId + "; have " + mqttPorts().keySet());
    }
    return port;
  }

  /** The REST API's port, or -1 when the API is disabled. */
  public int apiPort() {
    return gateway.apiPort();
  }

  /** Re-reads the config file and applies it (SIGHUP); the report says what changed or why it was refused. */
  public Future<ReloadReport> reloadConfig(String trigger) {
    return gateway.configs().reload(trigger);
  }

  public Future<Void> stop() {
    return ownsVertx ? vertx.close() : vertx.undeploy(gateway.deploymentID());
  }
}
