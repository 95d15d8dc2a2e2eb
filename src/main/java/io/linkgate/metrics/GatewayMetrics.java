package io.linkgate.metrics;

import io.linkgate.broker.BrokerMetrics;
import io.linkgate.broker.BrokerVerticle;
import io.linkgate.link.LinkManager;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * A node's metrics: {@link LinkgateMetrics} (Micrometer, Prometheus) or {@link #NOOP}. The gateway starts it once its
 * children run and stops it with itself; the REST API mounts {@link #routes()} (or {@link #scrapeHandler()}).
 * Collection never touches the publish path: broker counters are plain fields the broker thread writes, and
 * everything else is read periodically and on each scrape.
 */
public interface GatewayMetrics {

  /** The Prometheus scrape paths: EMQX's and the conventional one. */
  String PATH_EMQX = "/api/v5/prometheus/stats";
  String PATH_METRICS = "/metrics";

  /** Collects nothing; its scrape handler fails the request with 404. */
  GatewayMetrics NOOP = new GatewayMetrics() {
    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public Future<Void> start(Vertx vertx, BrokerVerticle broker, BrokerMetrics counters, LinkManager links) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> stop() {
      return Future.succeededFuture();
    }

    @Override
    public Handler<RoutingContext> scrapeHandler() {
      return ctx -> ctx.fail(new HttpException(404, "metrics are not enabled on this node"));
    }
  };

  boolean enabled();

  /**
   * Starts collecting. Call it on the gateway verticle's context (the owner of {@code links}) once the broker and the
   * link manager run.
   */
  Future<Void> start(Vertx vertx, BrokerVerticle broker, BrokerMetrics counters, LinkManager links);

  /** Stops collecting and removes the Linkgate meters; the registry and Vert.x's own meters stay. */
  Future<Void> stop();

  /** Answers GET with the Prometheus text format ({@code text/plain; version=0.0.4; charset=utf-8}). */
  Handler<RoutingContext> scrapeHandler();

  /** Mounts {@link #scrapeHandler()} on GET {@value #PATH_EMQX} and {@value #PATH_METRICS}. */
  default Handler<Router> routes() {
    return router -> {
      Handler<RoutingContext> scrape = scrapeHandler();
      router.get(PATH_EMQX).handler(scrape);
      router.get(PATH_METRICS).handler(scrape);
    };
  }
}
