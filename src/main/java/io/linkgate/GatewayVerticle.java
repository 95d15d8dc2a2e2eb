package io.linkgate;

import io.linkgate.acl.AclPlugin;
import io.linkgate.alarm.AlarmRegistry;
import io.linkgate.api.ApiAuth;
import io.linkgate.api.ApiVerticle;
import io.linkgate.api.LinkAdmin;
import io.linkgate.api.NodeMonitor;
import io.linkgate.authn.PasswordChecker;
import io.linkgate.authn.UserDatabase;
import io.linkgate.broker.BrokerLimits;
import io.linkgate.broker.BrokerMetrics;
import io.linkgate.broker.BrokerVerticle;
import io.linkgate.config.AuthenticationOptions;
import io.linkgate.config.HostPort;
import io.linkgate.config.LinkgateConfig;
import io.linkgate.lifecycle.ConfigFileWatcher;
import io.linkgate.lifecycle.ConfigManager;
import io.linkgate.lifecycle.ConfigSource;
import io.linkgate.lifecycle.ListenerSpecs;
import io.linkgate.link.DurableBuffers;
import io.linkgate.link.LinkManager;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.RouteSync;
import io.linkgate.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import java.util.List;
import java.util.Objects;

/**
 * The supervisor: deploys the children in dependency order (broker first, then what leans on it) and fails its own
 * deployment, with the reason, if any child fails. Children are undeployed with it.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GatewayVerticle.class);
  private final LinkgateConfig config;
  private final ConfigSource configSource;
  private final LinkTimings linkTimings;
  private final GatewayMetrics metrics;
  private final BrokerMetrics brokerMetrics = new BrokerMetrics();
  private final AlarmRegistry alarms = new AlarmRegistry();
  private BrokerVerticle broker;
  private final long startedAt = System.currentTimeMillis();
  private RouteSync routeSync;
  private LinkManager links;
  private ConfigManager configs;
  private ConfigFileWatcher watcher;
  private ApiVerticle api;
  private PasswordChecker passwordChecker;
  private volatile boolean ready;

  /**
   * @param configSource the file {@code config} was read from: watched, and where API changes are written
   * @param metrics started once the children run, stopped with this verticle
   */
  public GatewayVerticle(LinkgateConfig config, ConfigSource configSource, LinkTimings linkTimings,
                         GatewayMetrics metrics) {
    this.config = config;
    this.configSource = Objects.requireNonNull(configSource, "configSource");
    this.linkTimings = linkTimings;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** This node's metrics ({@link GatewayMetrics#NOOP} when not enabled); the API mounts its scrape handler. */
  public GatewayMetrics metrics() {
    return metrics;
  }

  public AlarmRegistry alarms() {
    return alarms;
  }

  public LinkManager links() {
    return links;
  }

  public RouteSync routeSync() {
    return routeSync;
  }

  public BrokerVerticle broker() {
    return broker;
  }

  /** The config that runs now: the start-up one as changed by reloads and the API. */
  public LinkgateConfig linkgateConfig() {
    return configs == null ? config : configs.running();
  }

  /** Owner of the running config: reloads and REST changes go through it. */
  public ConfigManager configs() {
    return configs;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx);
    DurableBuffers durable = new DurableBuffers(java.nio.file.Path.of(config.node().dataDir()));
    routeSync = new RouteSync(config.cluster(), linkTimings, durable);
    links = new LinkManager(vertx, config.cluster(), config.node().name(), linkTimings, alarms, durable);
    return startPasswordChecker().compose(checker -> {
        broker = new BrokerVerticle(BrokerLimits.from(config.mqtt()), ListenerSpecs.of(config), brokerMetrics,
          List.of(new AclPlugin(config.authorization()), routeSync)).passwords(checker);
        configs = new ConfigManager(vertx, context, config, configSource, broker, links, alarms);
        return vertx.deployVerticle(broker);
      })
      .compose(id -> links.start())
      .compose(v -> configs.start())
      .onSuccess(v -> {
        watchConfigFile();
        warnIfLinkTopicsOpen();
      })
      .compose(v -> metrics.start(vertx, broker, brokerMetrics, links))
      .compose(v -> config.api().enable() ? startApi() : Future.succeededFuture())
      .onSuccess(v -> ready = true);
  }

  /** The built-in rules trust link clients by client id alone: say so while nothing else checks who connects. */
  private void warnIfLinkTopicsOpen() {
    if (config.authorization().sources() == null && config.authentication().active() == null) {
      log.warn("$LINK/ topics are guarded by the built-in ACL rules, which recognise cluster-link clients by their "
        + "client id alone, and MQTT authentication is off: on a network with untrusted clients, configure "
        + "authentication and name the peers in an ACL file (README, \"Authorization\")");
    }
  }

  private void watchConfigFile() {
    if (configSource.file() != null) {
      watcher = new ConfigFileWatcher(vertx, configs);
      watcher.start(configSource.file());
    }
  }

  /** The MQTT password checker when {@code authentication} is configured (users file read off the loop), else null. */
  private Future<PasswordChecker> startPasswordChecker() {
    AuthenticationOptions.Authenticator authenticator = config.authentication().active();
    if (authenticator == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> UserDatabase.load(authenticator, Path.of(config.node().dataDir())))
      .map(users -> {
        log.info("MQTT authentication on [users: {}]", users.size());
        passwordChecker = new PasswordChecker(vertx, users);
        return passwordChecker;
      });
  }

  private Future<?> startApi() {
    Path dataDir = Path.of(config.node().dataDir());
    return vertx.executeBlocking(() -> {
      checkApiPortFree();
      return ApiAuth.load(vertx, config.api(), dataDir);
    }).compose(auth -> {
      auth.onLockout(() -> brokerMetrics.countLimit(BrokerMetrics.Limit.API_LOGIN_ATTEMPTS));
      LinkAdmin admin = new LinkAdmin(vertx, configs, links, config.node().name(), config.node().dataDir());
      api = new ApiVerticle(config.api(), auth, admin, configs, alarms, this::nodeInfo, () -> ready,
        List.of(metrics.routes(), new NodeMonitor(broker, brokerMetrics, config.node().name())));
      return vertx.deployVerticle(api);
    });
  }

  /**
   * Fails the start before {@link ApiAuth#load} makes (and prints) a first admin password, when the API's port is
   * taken: a start that fails must not leave behind a password nobody saw twice. A probe, not a reservation; the
   * API's own bind still reports a port taken in between.
   */
  private void checkApiPortFree() {
    HostPort bind = config.api().bind();
    if (bind.port() == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(bind.host(), bind.port()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the API on " + bind + ": " + e.getMessage(), e);
    }
  }

  /** This node as {@code GET /api/v5/nodes} shows it. */
  private Future<JsonObject> nodeInfo() {
    return broker.onBroker(b -> new JsonObject()
      .put("node", config.node().name())
      .put("cluster", config.cluster().name())
      .put("version", Version.current())
      .put("uptime", System.currentTimeMillis() - startedAt)
      .put("connections", b.connectionCount())
      .put("sessions", b.sessionCount())
      .put("subscriptions", b.subscriptionCount())
      .put("retained", b.retainedCount())
      .put("node_status", "running"));
  }

  /** The API verticle, or null when {@code api.enable = false}. */
  public ApiVerticle api() {
    return api;
  }

  /** The REST API's port once started, or -1 when {@code api.enable = false}. */
  public int apiPort() {
    return api == null ? -1 : api.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (watcher != null) {
      watcher.stop();
    }
    if (passwordChecker != null) {
      passwordChecker.close();
    }
    // an ordered no-op on this context's worker queue waits for the blocking work queued before it (a config scan
    // in flight): finishing after the event loops close, it would fail to report back (RejectedExecutionException)
    return vertx.executeBlocking(() -> null).transform(ignored -> metrics.stop());
  }
}
