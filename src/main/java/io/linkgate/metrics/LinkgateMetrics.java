package io.linkgate.metrics;

import io.linkgate.Addresses;
import io.linkgate.LocalCodec;
import io.linkgate.authn.AuthnOutcome;
import io.linkgate.broker.BrokerMetrics;
import io.linkgate.broker.BrokerMetrics.DropReason;
import io.linkgate.broker.BrokerVerticle;
import io.linkgate.link.InboundLinkStats;
import io.linkgate.link.LinkManager;
import io.linkgate.link.LinkStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * Linkgate's metrics on Micrometer with a Prometheus registry.
 *
 * <ul>
 *   <li>{@link #newVertx(VertxOptions)} builds a Vert.x whose own metrics (net servers and clients, event bus, pools,
 *   HTTP) land in the same registry. A node started on another Vert.x still gets every Linkgate and JVM meter.</li>
 *   <li>Broker counters are {@link FunctionCounter}s over {@link BrokerMetrics}, whose plain fields the broker
 *   thread writes: nothing is added to the publish path. Broker gauges (connections, sessions, subscriptions,
 *   retained) may only be read on the broker thread, so they show a snapshot taken there.</li>
 *   <li>Link meters come from each running link's {@link LinkStatus} and the route sync's {@link InboundLinkStats},
 *   asked over the event bus; meters of links that stopped are removed.</li>
 *   <li>Snapshots are refreshed every {@code refreshInterval} and before each scrape, so a scrape is current.</li>
 *   <li>JVM meters and an event-loop lag gauge per Vert.x event loop ({@link EventLoopLag}).</li>
 * </ul>
 *
 * <p>Runs on the gateway verticle's context: {@link #start} is called there, the refresh timer and the link meter
 * table belong to it. {@link #refresh()} and the scrape handler may be called from any context.
 */
public final class LinkgateMetrics implements GatewayMetrics {
  private static final Logger log = LoggerFactory.getLogger(LinkgateMetrics.class);
  private static final AtomicInteger REGISTRY_SEQ = new AtomicInteger();

  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_LAG_INTERVAL = Duration.ofSeconds(1);
  /** How long a refresh waits for the broker thread and each link before keeping the previous sample. */
  public static final Duration REFRESH_TIMEOUT = Duration.ofSeconds(2);
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private record BrokerSnapshot(int connections, int sessions, int subscriptions, int retained) {
    static final BrokerSnapshot EMPTY = new BrokerSnapshot(0, 0, 0, 0);
  }

  private final PrometheusMeterRegistry registry;
  private final Duration refreshInterval;
  private final String vertxRegistryName = "linkgate-" + REGISTRY_SEQ.incrementAndGet();
  private final EventLoopLag lag;
  private final List<Meter> brokerMeters = new ArrayList<>();
  private final List<MeterBinder> jvmBinders = new ArrayList<>();
  private final Map<String, LinkMeters> links = new HashMap<>();
  private volatile BrokerSnapshot broker = BrokerSnapshot.EMPTY;

  // set by start, on the gateway context
  private Vertx vertx;
  private Context context;
  private BrokerVerticle brokerVerticle;
  private LinkManager linkManager;
  private long timerId = -1;
  private Future<Void> refreshing;
  private volatile boolean started;

  /** A new Prometheus registry, refreshed every {@link #DEFAULT_REFRESH_INTERVAL}. */
  public LinkgateMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), DEFAULT_REFRESH_INTERVAL, DEFAULT_LAG_INTERVAL);
  }

  public LinkgateMetrics(PrometheusMeterRegistry registry, Duration refreshInterval, Duration lagInterval) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
    this.lag = new EventLoopLag(registry, Objects.requireNonNull(lagInterval, "lagInterval"));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * A Vert.x builder whose Vert.x metrics go to this registry ({@code vertx_*} meters). Each instance gets its own
   * registry name, since vertx-micrometer-metrics keeps backends by name in a JVM-wide table.
   */
  public VertxBuilder vertxBuilder(VertxOptions options) {
    VertxOptions copy = new VertxOptions(options).setMetricsOptions(new MicrometerMetricsOptions()
      .setEnabled(true)
      .setRegistryName(vertxRegistryName)
      .setJvmMetricsEnabled(false)); // bound by start(), also on a Vert.x built elsewhere
    return Vertx.builder().with(copy).withMetrics(new MicrometerMetricsFactory(registry));
  }

  public Vertx newVertx(VertxOptions options) {
    return vertxBuilder(options).build();
  }

  public Vertx newVertx() {
    return newVertx(new VertxOptions());
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public Future<Void> start(Vertx vertx, BrokerVerticle broker, BrokerMetrics counters, LinkManager links) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(counters, "counters");
    Objects.requireNonNull(links, "links");
    if (started) {
      return Future.failedFuture(new IllegalStateException("metrics already started"));
    }
    started = true;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.brokerVerticle = broker;
    this.linkManager = links;
    registerBrokerMeters(counters);
    bindJvmMeters();
    lag.start(vertx);
    timerId = vertx.setPeriodic(refreshInterval.toMillis(), id -> refreshHere());
    return refreshHere();
  }

  @Override
  public Future<Void> stop() {
    if (!started) {
      return Future.succeededFuture();
    }
    started = false;
    vertx.cancelTimer(timerId);
    lag.stop();
    for (MeterBinder b : jvmBinders) {
      if (b instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          log.debug("closing a JVM meter binder failed [binder: {}, reason: {}]", b.getClass().getSimpleName(),
            e.toString());
        }
      }
    }
    jvmBinders.clear(); // their meters stay: they read JVM-wide values, and binding again reuses them
    brokerMeters.forEach(registry::remove);
    brokerMeters.clear();
    links.values().forEach(LinkMeters::remove);
    links.clear();
    broker = BrokerSnapshot.EMPTY;
    return Future.succeededFuture();
  }

  /** Takes fresh broker and link samples; completes when they are in (or timed out). Any thread. */
  public Future<Void> refresh() {
    if (!started) {
      return Future.succeededFuture();
    }
    Context ctx = context; // written before started (volatile)
    Promise<Void> done = Promise.promise();
    ctx.runOnContext(v -> refreshHere().onComplete(done));
    return done.future();
  }

  /** The Prometheus text of the registry as it is now (no refresh). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public Handler<RoutingContext> scrapeHandler() {
    return rc -> {
      Context caller = Vertx.currentContext();
      refresh().onComplete(ar -> {
        if (caller == null) {
          reply(rc);
        } else {
          caller.runOnContext(v -> reply(rc));
        }
      });
    };
  }

  private void reply(RoutingContext rc) {
    String body;
    try {
      body = registry.scrape();
    } catch (RuntimeException e) {
      rc.fail(e);
      return;
    }
    rc.response().putHeader("content-type", CONTENT_TYPE).end(body);
  }

  // ---- meters ----

  private void registerBrokerMeters(BrokerMetrics c) {
    gauge(MetricNames.BROKER_CONNECTIONS, s -> s.connections, "MQTT connections open now");
    gauge(MetricNames.BROKER_SESSIONS, s -> s.sessions, "Sessions, connected or persistent and away");
    gauge(MetricNames.BROKER_SUBSCRIPTIONS, s -> s.subscriptions, "Subscriptions");
    gauge(MetricNames.BROKER_RETAINED, s -> s.retained, "Retained messages stored");
    counter(MetricNames.BROKER_CONNECTIONS_OPENED, c, BrokerMetrics::connectionsTotal, null,
      "MQTT connections accepted");
    counter(MetricNames.MESSAGES_RECEIVED, c, BrokerMetrics::messagesReceived, null,
      "Messages published into the broker, by local clients and peer clusters");
    counter(MetricNames.MESSAGES_DELIVERED, c, BrokerMetrics::messagesDelivered, null,
      "PUBLISH packets written to subscribers");
    counter(MetricNames.MESSAGES_NO_SUBSCRIBERS, c, BrokerMetrics::messagesNoSubscribers, null,
      "Published messages that matched no local subscription");
    counter(MetricNames.PAYLOAD_RECEIVED, c, BrokerMetrics::bytesReceived, BaseUnits.BYTES,
      "PUBLISH payload bytes received from clients");
    counter(MetricNames.PAYLOAD_SENT, c, BrokerMetrics::bytesSent, BaseUnits.BYTES,
      "PUBLISH payload bytes written to subscribers");
    counter(MetricNames.PUBLISH_DENIED, c, BrokerMetrics::publishDenied, null,
      "PUBLISH packets refused by authorization");
    counter(MetricNames.LINK_PUBLISH_DENIED, c, BrokerMetrics::linkPublishDenied, null,
      "PUBLISH packets to $LINK/ refused by authorization");
    counter(MetricNames.SUBSCRIBE_DENIED, c, BrokerMetrics::subscribeDenied, null,
      "Topic filters refused by authorization");
    for (BrokerMetrics.Limit l : BrokerMetrics.Limit.values()) {
      brokerMeters.add(FunctionCounter.builder(MetricNames.LIMITS_EXCEEDED, c, m -> m.limitExceeded(l))
        .tag(MetricNames.TAG_LIMIT, l.tag).description("Requests refused because a configured limit was reached")
        .register(registry));
    }
    for (AuthnOutcome o : AuthnOutcome.values()) {
      brokerMeters.add(FunctionCounter.builder(MetricNames.AUTHENTICATIONS, c, m -> m.authentications(o))
        .tag(MetricNames.TAG_OUTCOME, o.tag).description("MQTT CONNECTs by authentication outcome")
        .register(registry));
    }
    for (DropReason r : DropReason.values()) {
      brokerMeters.add(FunctionCounter.builder(MetricNames.MESSAGES_DROPPED, c, m -> m.dropped(r))
        .tag(MetricNames.TAG_REASON, r.tag).description("Deliveries to a session given up, by reason")
        .register(registry));
    }
  }

  private void gauge(String name, ToDoubleFunction<BrokerSnapshot> read, String description) {
    brokerMeters.add(Gauge.builder(name, this, m -> read.applyAsDouble(m.broker)).description(description)
      .register(registry));
  }

  private void counter(String name, BrokerMetrics c, ToDoubleFunction<BrokerMetrics> read, String unit,
                       String description) {
    brokerMeters.add(FunctionCounter.builder(name, c, read).baseUnit(unit).description(description)
      .register(registry));
  }

  private void bindJvmMeters() {
    jvmBinders.addAll(List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(),
      new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics()));
    jvmBinders.forEach(b -> b.bindTo(registry));
  }

  // ---- refresh (gateway context) ----

  private Future<Void> refreshHere() {
    if (!started) {
      return Future.succeededFuture();
    }
    if (refreshing != null) {
      return refreshing; // one at a time; concurrent scrapes share it
    }
    List<Future<?>> parts = new ArrayList<>();
    parts.add(withTimeout(brokerVerticle.onBroker(b -> new BrokerSnapshot(b.connectionCount(), b.sessionCount(),
      b.subscriptionCount(), b.retainedCount()))).onSuccess(s -> broker = s));
    Set<String> running = new HashSet<>(linkManager.runningLinks());
    links.values().removeIf(m -> {
      if (running.contains(m.link())) {
        return false;
      }
      m.remove();
      return true;
    });
    DeliveryOptions ask = new DeliveryOptions(LocalCodec.LOCAL).setSendTimeout(REFRESH_TIMEOUT.toMillis());
    for (String name : running) {
      LinkMeters meters = links.computeIfAbsent(name, n -> new LinkMeters(registry, n));
      parts.add(vertx.eventBus().<LinkStatus>request(Addresses.linkStatus(name), "status", ask)
        .map(Message::body).onSuccess(s -> ifCurrent(meters, () -> meters.update(s))));
      parts.add(vertx.eventBus().<InboundLinkStats>request(Addresses.INBOUND_STATS, name, ask)
        .map(Message::body).onSuccess(s -> ifCurrent(meters, () -> meters.update(s))));
    }
    Future<Void> all = Future.join(parts).transform(ar -> {
      refreshing = null;
      if (ar.failed()) {
        log.debug("metrics refresh incomplete, previous samples kept [reason: {}]", ar.cause().toString());
      }
      return Future.<Void>succeededFuture();
    });
    if (!all.isComplete()) {
      refreshing = all;
    }
    return all;
  }

  /** Applies a sample only if the link's meters are still the ones in the table (not removed meanwhile). */
  private void ifCurrent(LinkMeters meters, Runnable update) {
    if (started && links.get(meters.link()) == meters) {
      update.run();
    }
  }

  /** {@code f}'s outcome, or a failure after {@link #REFRESH_TIMEOUT}; completed on the gateway context. */
  private <T> Future<T> withTimeout(Future<T> f) {
    Promise<T> p = Promise.promise();
    long timer = vertx.setTimer(REFRESH_TIMEOUT.toMillis(),
      id -> p.tryFail("no answer within " + REFRESH_TIMEOUT.toMillis() + " ms"));
    f.onComplete(ar -> context.runOnContext(v -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        p.tryComplete(ar.result());
      } else {
        p.tryFail(ar.cause());
      }
    }));
    return p.future();
  }
}
