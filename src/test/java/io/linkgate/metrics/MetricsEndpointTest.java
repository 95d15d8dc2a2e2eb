package io.linkgate.metrics;

import io.linkgate.Linkgate;
import io.linkgate.config.ConfigLoader;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two linked clusters, each on a metrics-enabled Vert.x; the scrape handler is mounted on a test router, real MQTT
 * traffic crosses the link and the Prometheus text is read back.
 */
class MetricsEndpointTest {
  static final int MESSAGES = 20;

  LinkedClusters clusters;
  final List<HttpServer> servers = new ArrayList<>();
  final List<MqttClient> mqtt = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (MqttClient c : mqtt) {
      if (c.isConnected()) {
        c.disconnect();
      }
      c.close();
    }
    for (HttpServer s : servers) {
      get(s.close());
    }
    if (clusters != null) {
      clusters.close();
    }
  }

  static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  MqttClient client(String uri, String id, MqttCallback callback) throws Exception {
    MqttClient c = new MqttClient(uri, id, new MemoryPersistence());
    if (callback != null) {
      c.setCallback(callback);
    }
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setMaxInflight(1000);
    c.connect(o);
    mqtt.add(c);
    return c;
  }

  /** The node's scrape routes on a router of the test's own HTTP server; returns its port. */
  int serveMetrics(Linkgate node) throws Exception {
    Router router = Router.router(node.vertx());
    node.metrics().routes().handle(router);
    HttpServer server = get(node.vertx().createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    servers.add(server);
    return server.actualPort();
  }

  static HttpResponse<Buffer> fetch(Vertx vertx, int port, String path) throws Exception {
    WebClient client = WebClient.create(vertx);
    try {
      return get(client.get(port, "127.0.0.1", path).send());
    } finally {
      client.close();
    }
  }

  static PrometheusText scrape(Vertx vertx, int port) throws Exception {
    HttpResponse<Buffer> r = fetch(vertx, port, GatewayMetrics.PATH_METRICS);
    assertThat(r.statusCode()).isEqualTo(200);
    return PrometheusText.parse(r.bodyAsString());
  }

  void awaitRunning(String cluster, String link) {
    await().atMost(15, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status(cluster, link).status()));
  }

  @Test
  void scrapeShowsBrokerLinkJvmAndVertxMetricsOfRealTraffic() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").withMetrics().link("A", "B", "#").link("B", "A");
    Linkgate a = clusters.start("A");
    Linkgate b = clusters.start("B");
    assertThat(a.metrics().enabled()).isTrue();
    int portA = serveMetrics(a);
    int portB = serveMetrics(b);

    AtomicInteger arrived = new AtomicInteger();
    MqttClient sub = client(clusters.uri("A"), "metrics-sub-a", new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        arrived.incrementAndGet();
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {
      }
    });
    sub.subscribe("metrics/+", 1);
    sub.subscribe("metrics/#", 1);
    awaitRunning("A", "B");
    awaitRunning("B", "A");
    await().atMost(10, TimeUnit.SECONDS).until(() -> clusters.inbound("B", "A").routes() == 2);

    PrometheusText before = scrape(b.vertx(), portB);
    double receivedBefore = before.value("linkgate_messages_received_total");

    MqttClient pub = client(clusters.uri("B"), "metrics-pub-b", null);
    for (int i = 0; i < MESSAGES; i++) {
      pub.publish("metrics/x", ("m" + i).getBytes(), 1, false);
    }
    await().atMost(10, TimeUnit.SECONDS).until(() -> arrived.get() == MESSAGES); // one per session
    // the peer's PUBACK may reach B's link after A's subscriber has the message
    await().atMost(10, TimeUnit.SECONDS).until(() -> scrape(b.vertx(), portB)
      .value("linkgate_link_messages_forwarded_total", "link", "A", "outcome", "success") == MESSAGES);

    HttpResponse<Buffer> raw = fetch(b.vertx(), portB, GatewayMetrics.PATH_EMQX);
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.getHeader("content-type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    PrometheusText pb = PrometheusText.parse(raw.bodyAsString());

    // B: the publishing side
    assertThat(pb.value("linkgate_messages_received_total") - receivedBefore).isGreaterThanOrEqualTo(MESSAGES);
    assertThat(pb.value("linkgate_messages_no_subscribers_total")).isGreaterThanOrEqualTo(MESSAGES);
    assertThat(pb.value("linkgate_payload_received_bytes_total")).isGreaterThanOrEqualTo(2 * MESSAGES);
    assertThat(pb.value("linkgate_broker_connections")).isGreaterThanOrEqualTo(1);
    assertThat(pb.value("linkgate_broker_connections_opened_total")).isGreaterThanOrEqualTo(1);
    assertThat(pb.value("linkgate_link_routes", "link", "A")).isEqualTo(clusters.inbound("B", "A").routes())
      .isEqualTo(2);
    assertThat(pb.value("linkgate_link_actors", "link", "A")).isGreaterThanOrEqualTo(1);
    assertThat(pb.value("linkgate_link_messages_forwarded_total", "link", "A", "outcome", "matched"))
      .isEqualTo(MESSAGES);
    assertThat(pb.value("linkgate_link_messages_forwarded_total", "link", "A", "outcome", "failed")).isZero();
    assertThat(pb.value("linkgate_link_messages_forwarded_total", "link", "A", "outcome", "dropped")).isZero();
    assertThat(pb.value("linkgate_link_queuing", "link", "A")).isZero();
    assertThat(pb.value("linkgate_link_inflight", "link", "A")).isZero();
    assertThat(pb.value("linkgate_link_status", "link", "A", "status", "running")).isEqualTo(1);
    assertThat(pb.value("linkgate_link_status", "link", "A", "status", "connecting")).isZero();
    assertThat(pb.value("linkgate_link_status", "link", "A", "status", "disconnected")).isZero();
    for (var reason : io.linkgate.broker.BrokerMetrics.DropReason.values()) {
      assertThat(pb.has("linkgate_messages_dropped_total", "reason", reason.tag)).as(reason.tag).isTrue();
    }

    // A: the subscribing side
    PrometheusText pa = scrape(a.vertx(), portA);
    assertThat(pa.value("linkgate_link_messages_received_total", "link", "B", "outcome", "accepted"))
      .isEqualTo(MESSAGES);
    assertThat(pa.value("linkgate_link_messages_received_total", "link", "B", "outcome", "dropped")).isZero();
    assertThat(pa.value("linkgate_messages_received_total")).isGreaterThanOrEqualTo(MESSAGES);
    assertThat(pa.value("linkgate_messages_delivered_total")).isGreaterThanOrEqualTo(MESSAGES);
    assertThat(pa.value("linkgate_payload_sent_bytes_total")).isGreaterThanOrEqualTo(2 * MESSAGES);
    assertThat(pa.value("linkgate_broker_subscriptions")).isGreaterThanOrEqualTo(2);
    assertThat(pa.value("linkgate_broker_sessions")).isGreaterThanOrEqualTo(1);

    for (PrometheusText p : List.of(pa, pb)) {
      // JVM
      assertThat(p.has("jvm_memory_used_bytes", "area", "heap")).isTrue();
      assertThat(p.has("jvm_threads_live_threads")).isTrue();
      assertThat(p.has("jvm_classes_loaded_classes")).isTrue();
      assertThat(p.has("jvm_gc_memory_allocated_bytes_total")).isTrue();
      assertThat(p.has("system_cpu_count")).isTrue();
      assertThat(p.has("process_uptime_seconds")).isTrue();
      // Vert.x's own meters: the MQTT listener is a Vert.x NetServer, the link clients NetClients
      assertThat(p.has("vertx_net_server_active_connections")).isTrue();
      assertThat(p.has("vertx_net_client_active_connections")).isTrue();
      assertThat(p.has("vertx_eventbus_handlers")).isTrue();
      // event-loop lag, one gauge per loop that has run a probe
      assertThat(p.find("linkgate_eventloop_lag_seconds")).isNotEmpty()
        .allSatisfy(s -> assertThat(s.labels()).containsKey("thread"));
      // bounded cardinality: no client id or topic, as a label or as a label value
      for (PrometheusText.Sample s : p.samples()) {
        assertThat(s.labels().keySet()).as(s.name()).doesNotContain("clientid", "client_id", "clientId", "topic");
        assertThat(s.labels().values()).as(s.name())
          .doesNotContain("metrics-sub-a", "metrics-pub-b", "metrics/x", "metrics/+", "metrics/#");
      }
    }
    assertThat(pb.value("vertx_net_server_active_connections")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void metersOfALinkThatStopsAreRemovedAndStoppingTheNodeRemovesLinkgateMeters() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").withMetrics().link("A", "B", "#").link("B", "A");
    clusters.start("A");
    Linkgate b = clusters.start("B");
    int portB = serveMetrics(b);
    awaitRunning("B", "A");
    await().atMost(10, TimeUnit.SECONDS).until(() -> scrape(b.vertx(), portB)
      .valueOrNaN("linkgate_link_status", "link", "A", "status", "running") == 1);

    JsonObject json = clusters.configJson("B");
    json.getJsonObject("cluster").getJsonArray("links").getJsonObject(0).put("enable", false);
    get(b.gateway().configs().replace(ConfigLoader.fromJson(json), "test"));

    PrometheusText after = scrape(b.vertx(), portB);
    assertThat(after.samples()).noneMatch(s -> "A".equals(s.labels().get("link")));
    assertThat(after.has("linkgate_messages_received_total")).isTrue();

    LinkgateMetrics metrics = (LinkgateMetrics) b.metrics();
    for (HttpServer s : servers) {
      get(s.close());
    }
    servers.clear();
    clusters.stop("B");
    assertThat(metrics.registry().getMeters()).noneMatch(m -> m.getId().getName().startsWith("linkgate."));
  }

  @Test
  void aNodeWithoutMetricsAnswersTheScrapeWith404() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A");
    Linkgate a = clusters.start("A");
    assertThat(a.metrics()).isSameAs(GatewayMetrics.NOOP);
    assertThat(a.metrics().enabled()).isFalse();
    int port = serveMetrics(a);
    assertThat(fetch(a.vertx(), port, GatewayMetrics.PATH_METRICS).statusCode()).isEqualTo(404);
    assertThat(fetch(a.vertx(), port, GatewayMetrics.PATH_EMQX).statusCode()).isEqualTo(404);
  }

  @Test
  void metricsOnAVertxBuiltElsewhereHaveLinkgateAndJvmMetersButNoVertxOnes() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A");
    LinkgateMetrics metrics = new LinkgateMetrics();
    Linkgate a = get(Linkgate.start(Vertx.vertx(), clusters.config("A"), LinkTimings.fast(), true, metrics));
    try {
      MqttClient c = client("tcp://127.0.0.1:" + a.mqttPort("tcp:default"), "plain-vertx", null);
      c.publish("nobody/here", "x".getBytes(), 1, false);
      get(metrics.refresh());
      PrometheusText p = PrometheusText.parse(metrics.scrape());
      assertThat(p.value("linkgate_broker_connections")).isEqualTo(1);
      assertThat(p.value("linkgate_messages_received_total")).isEqualTo(1);
      assertThat(p.value("linkgate_messages_no_subscribers_total")).isEqualTo(1);
      assertThat(p.has("jvm_memory_used_bytes")).isTrue();
      assertThat(p.samples()).noneMatch(s -> s.name().startsWith("vertx_"));
      assertThat(Set.copyOf(p.samples().stream().map(PrometheusText.Sample::name).toList()))
        .doesNotContain("linkgate_link_routes"); // no links configured
    } finally {
      get(a.stop());
    }
    assertThat(metrics.registry().getMeters()).noneMatch(m -> m.getId().getName().startsWith("linkgate."));
  }
}
