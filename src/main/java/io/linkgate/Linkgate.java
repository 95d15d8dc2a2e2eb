package io.linkgate;

import io.linkgate.config.LinkgateConfig;
import io.linkgate.link.LinkTimings;
import io.vertx.core.Future;
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

  /** Starts a node on its own Vert.x instance. */
  public static Future<Linkgate> start(LinkgateConfig config) {
    return start(Vertx.vertx(), config, LinkTimings.DEFAULT, true);
  }

  /** Starts a node; tests pass {@link LinkTimings#fast()} and may share one Vert.x between nodes. */
  public static Future<Linkgate> start(Vertx vertx, LinkgateConfig config, LinkTimings timings, boolean ownsVertx) {
    GatewayVerticle gateway = new GatewayVerticle(config, timings);
    return vertx.deployVerticle(gateway)
      .map(id -> new Linkgate(vertx, gateway, ownsVertx))
      .recover(err -> (ownsVertx ? vertx.close() : Future.<Void>succeededFuture())
        .transform(ignored -> Future.failedFuture(err)));
  }

  public Vertx vertx() {
    return vertx;
  }

  public GatewayVerticle gateway() {
    return gateway;
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

  public Future<Void> stop() {
    return ownsVertx ? vertx.close() : vertx.undeploy(gateway.deploymentID());
  }
}
