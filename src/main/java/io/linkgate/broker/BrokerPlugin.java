package io.linkgate.broker;

import io.vertx.core.Vertx;

/**
 * Code that must run on the broker's event loop next to its state, e.g. cluster-link route sync, which reads its
 * external route table on every publish. Installed by {@link BrokerVerticle} before its listeners open.
 */
public interface BrokerPlugin {

  /** Called on the broker's event loop; event-bus consumers registered here run there too. */
  void install(Broker broker, Vertx vertx);

  /** Called on the broker's event loop when the broker stops. */
  default void uninstall() {
  }
}
