package io.linkgate.link.client;

import io.linkgate.broker.BrokerFixture;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Future;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The link's MQTT 5 client against the broker over real sockets. */
class MqttLinkClientTest {
  static BrokerFixture broker;

  @BeforeAll
  static void start() throws Exception {
    broker = new BrokerFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  static LinkClientOptions options(String id, int port, Duration connectTimeout) {
    return new LinkClientOptions("127.0.0.1", port, id, null, null, true, Duration.ofSeconds(30),
      Duration.ofSeconds(15), 32, connectTimeout, new NetClientOptions());
  }

  /** Runs client code on one event-loop context, as a link verticle would. */
  static <T> T onContext(Supplier<Future<T>> action) throws Exception {
    CompletableFuture<T> cf = new CompletableFuture<>();
    broker.vertx.getOrCreateContext().runOnContext(v -> action.get().onComplete(ar -> {
      if (ar.succeeded()) {
        cf.complete(ar.result());
      } else {
        cf.completeExceptionally(ar.cause());
      }
    }));
    return cf.get(10, TimeUnit.SECONDS);
  }

  @Test
  void publishesWithPropertiesAndReadsReasonCodes() throws Exception {
    CompletableFuture<MqttLinkClient.Incoming> got = new CompletableFuture<>();
    MqttLinkClient sub = new MqttLinkClient(broker.vertx, options("lc-sub", broker.tcpPort(), Duration.ofSeconds(5)));
    sub.messageHandler(got::complete);
    int[] codes = onContext(() -> sub.connect().compose(ack -> sub.subscribe("lc/#", 1)));
    assertThat(codes).containsExactly(1);

    MqttLinkClient pub = new MqttLinkClient(broker.vertx, options("lc-pub", broker.tcpPort(), Duration.ofSeconds(5)));
    MqttProperties props = new MqttProperties();
    props.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, "lc/resp"));
    props.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, new byte[] {7}));
    int matched = onContext(() -> pub.connect()
      .compose(ack -> pub.publish("lc/x", "hello".getBytes(StandardCharsets.UTF_8), 1, props)));
    assertThat(matched).isEqualTo(0x00);
    int unmatched = onContext(() -> pub.publish("nobody/x", new byte[] {1}, 1, null));
    assertThat(unmatched).isEqualTo(0x10);

    MqttLinkClient.Incoming in = got.get(5, TimeUnit.SECONDS);
    assertThat(new String(in.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(in.properties().getProperty(MqttProperties.RESPONSE_TOPIC).value()).isEqualTo("lc/resp");
    onContext(pub::disconnect);
    onContext(sub::disconnect);
  }

  @Test
  void stalledConnectTimesOutAndCloseIsImmediate() throws Exception {
    // a server that accepts TCP but never answers CONNECT
    NetServer silent = broker.vertx.createNetServer().connectHandler(so -> {
    });
    int port = silent.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)
      .actualPort();
    MqttLinkClient c = new MqttLinkClient(broker.vertx, options("lc-stall", port, Duration.ofMillis(300)));
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    broker.vertx.getOrCreateContext().runOnContext(v -> c.connect().onFailure(failure::complete));
    Throwable t = failure.get(5, TimeUnit.SECONDS);
    assertThat(t).isInstanceOf(LinkClientException.class);
    assertThat(((LinkClientException) t).causeToken()).isEqualTo("broker_connect_timeout");

    MqttLinkClient c2 = new MqttLinkClient(broker.vertx, options("lc-stall2", port, Duration.ofSeconds(30)));
    CompletableFuture<Throwable> failure2 = new CompletableFuture<>();
    long start = System.nanoTime();
    broker.vertx.getOrCreateContext().runOnContext(v -> {
      c2.connect().onFailure(failure2::complete);
      broker.vertx.setTimer(100, id -> c2.close(new LinkClientException("stopped", -1, "link stopped")));
    });
    failure2.get(5, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    silent.close();
  }

  @Test
  void refusedPortIsASocketError() throws Exception {
    MqttLinkClient c = new MqttLinkClient(broker.vertx, options("lc-refused", 1, Duration.ofSeconds(2)));
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    broker.vertx.getOrCreateContext().runOnContext(v -> c.connect().onFailure(failure::complete));
    assertThat(((LinkClientException) failure.get(5, TimeUnit.SECONDS)).causeToken()).isEqualTo("socket_error");
  }
}
