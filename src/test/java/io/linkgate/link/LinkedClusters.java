package io.linkgate.link;

import io.linkgate.Linkgate;
import io.linkgate.config.ConfigLoader;
import io.linkgate.config.LinkgateConfig;
import io.linkgate.testutil.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Several one-node Linkgate clusters in this JVM, each on its own Vert.x and its own ports, linked as configured.
 * The MQTT ports are picked up front because each side's link names the other's listener.
 */
public final class LinkedClusters implements AutoCloseable {
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, JsonArray> links = new LinkedHashMap<>();
  private final Map<String, Linkgate> nodes = new LinkedHashMap<>();
  private final LinkTimings timings;
  /** Each instance gets its own data directories, so state from an earlier run never leaks in. */
  private final java.nio.file.Path dataRoot;
  private boolean metrics;
  private boolean small;

  public LinkedClusters(LinkTimings timings, String... clusters) {
    this.timings = timings;
    try {
      this.dataRoot = java.nio.file.Files.createTempDirectory("linkgate-test");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    for (String c : clusters) {
      ports.put(c, Ports.free());
      links.put(c, new JsonArray());
    }
  }

  /** Starts the nodes with metrics ({@code Linkgate.start(config, timings)}: a metrics-enabled Vert.x each). */
  public LinkedClusters withMetrics() {
    this.metrics = true;
    return this;
  }

  /**
   * Gives each node a Vert.x with one event loop and small worker pools, for tests with a hundred nodes. (Nodes
   * cannot share a Vert.x: each one's verticles listen on the same event-bus addresses.)
   */
  public LinkedClusters small() {
    this.small = true;
    return this;
  }

  private Vertx newVertx() {
    return small ? Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)
      .setInternalBlockingPoolSize(2)) : Vertx.vertx();
  }

  /** Configures {@code from}'s link to {@code to}, receiving {@code topics} from it. */
  public LinkedClusters link(String from, String to, String... topics) {
    return linkVia(from, to, ports.get(to), topics);
  }

  /** Like {@link #link}, but connecting to {@code port} (a proxy in front of {@code to}). */
  public LinkedClusters linkVia(String from, String to, int port, String... topics) {
    links.get(from).add(new JsonObject().put("name", to).put("server", "127.0.0.1:" + port)
      .put("topics", new JsonArray(List.of((Object[]) topics))).put("pool_size", 2));
    return this;
  }

  public LinkgateConfig config(String cluster) {
    return ConfigLoader.fromJson(configJson(cluster));
  }

  /** The config of a cluster as JSON, for tests that bend it (wrong names, disabled links). */
  public JsonObject configJson(String cluster) {
    return new JsonObject()
      .put("node", new JsonObject().put("name", cluster + "@127.0.0.1").put("data_dir", dataRoot.resolve(cluster).toString()))
      .put("cluster", new JsonObject().put("name", cluster).put("links", links.get(cluster).copy()))
      .put("listeners", new JsonObject()
        .put("tcp", new JsonObject().put("default", new JsonObject().put("bind", "127.0.0.1:" + ports.get(cluster))))
        .put("ws", new JsonObject().put("default", new JsonObject().put("enable", false))))
      .put("api", new JsonObject().put("enable", false));
  }

  public Linkgate start(String cluster) throws Exception {
    return start(cluster, config(cluster));
  }

  public Linkgate start(String cluster, LinkgateConfig config) throws Exception {
    Linkgate node = (metrics ? Linkgate.start(config, timings) : Linkgate.start(newVertx(), config, timings, true))
      .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    nodes.put(cluster, node);
    return node;
  }

  /**
   * Starts a cluster from a config file, as {@code java -jar linkgate.jar -c file} does: the file is watched and
   * REST changes are written into it.
   */
  public Linkgate startFromFile(String cluster, java.nio.file.Path file) throws Exception {
    LinkgateConfig config = ConfigLoader.load(file, Map.of());
    Linkgate node = Linkgate.start(Vertx.vertx(), config, io.linkgate.lifecycle.ConfigSource.of(file, Map.of()),
        timings, true, io.linkgate.metrics.GatewayMetrics.NOOP)
      .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    nodes.put(cluster, node);
    return node;
  }

  public void stop(String cluster) throws Exception {
    Linkgate node = nodes.remove(cluster);
    if (node != null) {
      node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  public Linkgate node(String cluster) {
    return nodes.get(cluster);
  }

  public int port(String cluster) {
    return ports.get(cluster);
  }

  public String uri(String cluster) {
    return "tcp://127.0.0.1:" + ports.get(cluster);
  }

  /** The link verticle's status on that cluster. */
  public LinkStatus status(String cluster, String link) throws Exception {
    return node(cluster).gateway().links().status(link).toCompletionStage().toCompletableFuture()
      .get(5, TimeUnit.SECONDS);
  }

  /**
   * Whether that cluster runs a verticle for the link, asked of the verticle itself over the event bus (the link
   * manager's own map belongs to the gateway's context).
   */
  public boolean runs(String cluster, String link) throws Exception {
    try {
      status(cluster, link);
      return true;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof io.vertx.core.eventbus.ReplyException r
        && r.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS) {
        return false;
      }
      throw e;
    }
  }

  /** Replaces the cluster's config through its config manager, queued like any other change. */
  public void apply(String cluster, LinkgateConfig config) throws Exception {
    node(cluster).gateway().configs().replace(config, "test").toCompletionStage().toCompletableFuture()
      .get(10, TimeUnit.SECONDS);
  }

  /** What that cluster received from a peer, counted by its route sync. */
  public InboundLinkStats inbound(String cluster, String peer) throws Exception {
    return node(cluster).vertx().eventBus().<InboundLinkStats>request(io.linkgate.Addresses.INBOUND_STATS, peer,
        io.linkgate.LocalCodec.LOCAL).map(io.vertx.core.eventbus.Message::body)
      .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    for (String c : new ArrayList<>(nodes.keySet())) {
      stop(c);
    }
  }
}
