package io.linkgate.broker;

import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** A broker verticle on ephemeral ports in its own Vert.x instance, for tests that talk to it over real sockets. */
public final class BrokerFixture implements AutoCloseable {
  public final Vertx vertx;
  public final BrokerVerticle verticle;
  public final BrokerMetrics metrics = new BrokerMetrics();

  public BrokerFixture() throws Exception {
    this(BrokerLimits.defaults());
  }

  public BrokerFixture(BrokerLimits limits) throws Exception {
    this(limits, List.of(
      new ListenerSpec("tcp:default", ListenerSpec.Type.TCP, "127.0.0.1", 0, 0),
      new ListenerSpec("ws:default", ListenerSpec.Type.WS, "127.0.0.1", 0, 0)));
  }

  /** With these listeners (all on port 0); {@link #tcpPort()} needs one named {@code tcp:default}. */
  public BrokerFixture(BrokerLimits limits, List<ListenerSpec> listeners) throws Exception {
    vertx = Vertx.vertx();
    verticle = new BrokerVerticle(limits, listeners, metrics);
    vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  public int tcpPort() {
    return verticle.boundPorts().get("tcp:default");
  }

  public int wsPort() {
    return verticle.boundPorts().get("ws:default");
  }

  public String tcpUri() {
    return "tcp://127.0.0.1:" + tcpPort();
  }

  /**
   * Runs a read of broker state on the broker's event loop and waits for it. The bound catches a hang, not a slow
   * loop: after a flood (FuzzTest) a shared CI machine may take many seconds to reach the read.
   */
  public <T> T onBroker(java.util.function.Function<Broker, T> read) throws Exception {
    return verticle.onBroker(read).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
