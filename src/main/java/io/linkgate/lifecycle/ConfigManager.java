package io.linkgate.lifecycle;

import io.linkgate.Contexts;
import io.linkgate.acl.AclPlugin;
import io.linkgate.alarm.AlarmRegistry;
import io.linkgate.broker.BrokerLimits;
import io.linkgate.broker.BrokerVerticle;
import io.linkgate.broker.ListenerBindException;
import io.linkgate.broker.ListenerSpec;
import io.linkgate.config.ClusterOptions;
import io.linkgate.config.ConfigException;
import io.linkgate.config.ConfigLoader;
import io.linkgate.config.LinkOptions;
import io.linkgate.config.LinkgateConfig;
import io.linkgate.config.ValidationError;
import io.linkgate.link.LinkManager;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Owns the running config and the config file. Every change (a file reload, a REST edit) runs here, one after
 * another on the gateway's context: parse → validate → diff → apply, all or nothing. The file is the one source of
 * truth: a REST change edits the keys it changes in that same file (atomically) before it is applied, and is
 * refused when the file on disk is not the version that runs, so that neither side overwrites the other unseen.
 */
public final class ConfigManager {
  private static final Logger log = LoggerFactory.getLogger(ConfigManager.class);

  /** Raised while the file on disk cannot be loaded; the message and details carry every error with its path. */
  public static final String ALARM_INVALID = "config_reload_failed";
  /** Raised while the file holds changes of keys that only a restart applies. */
  public static final String ALARM_RESTART = "config_needs_restart";

  private final Vertx vertx;
  private final Context context;
  private final ConfigSource source;
  private final ConfigFile file;
  private final BrokerVerticle broker;
  private final LinkManager links;
  private final AlarmRegistry alarms;
  private final Map<ReloadReport.Result, Integer> counts = new LinkedHashMap<>();
  private volatile LinkgateConfig running;
  /** Hash of the file version the running config came from (or that we wrote); null when there is no file. */
  private volatile String loadedSha256;
  private String lastSeenSha256;
  private ReloadReport last;
  private List<String> needsRestart = List.of();
  private Future<?> tail = Future.succeededFuture();

  public ConfigManager(Vertx vertx, Context context, LinkgateConfig initial, ConfigSource source,
                       BrokerVerticle broker, LinkManager links, AlarmRegistry alarms) {
    this(vertx, context, initial, source, broker, links, alarms, new AtomicFileWriter());
  }

  ConfigManager(Vertx vertx, Context context, LinkgateConfig initial, ConfigSource source, BrokerVerticle broker,
                LinkManager links, AlarmRegistry alarms, AtomicFileWriter writer) {
    this.vertx = vertx;
    this.context = context;
    this.running = initial;
    this.source = source;
    this.file = source.file() == null ? null : new ConfigFile(source.file(), writer);
    this.broker = broker;
    this.links = links;
    this.alarms = alarms;
    for (ReloadReport.Result r : ReloadReport.Result.values()) {
      counts.put(r, 0);
    }
  }

  /**
   * Reads the file once at start to learn which version runs. If it changed since the node read it, the change
   * is picked up as a reload.
   */
  public Future<Void> start() {
    if (file == null) {
      return Future.succeededFuture();
    }
    return serially(() -> read().compose(candidate -> {
      if (candidate.plan() != null && candidate.plan().unchanged()) {
        loadedSha256 = candidate.snapshot().sha256();
        lastSeenSha256 = loadedSha256;
        return Future.succeededFuture();
      }
      return decide("startup", candidate).mapEmpty();
    }));
  }

  /** The config that runs now (on the gateway context). */
  public LinkgateConfig running() {
    return running;
  }

  /**
   * Runs {@code op} on the gateway context after every earlier operation has completed, so that two changes
   * never interleave and each sees the state the previous one left.
   */
  public <T> Future<T> serially(Supplier<Future<T>> op) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      Future<T> result = tail.transform(ignored -> Contexts.run(context, op));
      tail = result.otherwiseEmpty();
      result.onComplete(promise);
    });
    return promise.future();
  }

  /** Re-reads the file and applies it, even if it looks unchanged (SIGHUP, {@code POST /configs/reload}). */
  public Future<ReloadReport> reload(String trigger) {
    if (file == null) {
      return Future.failedFuture(new ConfigConflictException(
        "this node was started without a config file: there is nothing to reload"));
    }
    return serially(() -> read().compose(candidate -> decide(trigger, candidate)));
  }

  /**
   * Re-reads the file and applies it if its bytes differ from the last version read (the file watcher). An empty
   * file is taken for a save in progress (an editor that truncates, then writes: the scan can fall in between) and
   * left alone; the write that follows is a change of its own. SIGHUP or {@code POST /configs/reload} applies a file
   * that is empty on purpose.
   */
  Future<ReloadReport> reloadIfChanged(String trigger) {
    return serially(() -> read().compose(candidate -> {
      ConfigFile.Snapshot snapshot = candidate.snapshot();
      if (snapshot != null && (snapshot.sha256().equals(lastSeenSha256) || snapshot.text().isBlank())) {
        return Future.succeededFuture();
      }
      return decide(trigger, candidate);
    }));
  }

  /**
   * Replaces the link list (REST link operations, which validate it): written into the file's
   * {@code cluster.links} first, then applied. Call it from within {@link #serially}.
   */
  public Future<Void> updateLinks(List<LinkOptions> next) {
    LinkgateConfig target = running.withCluster(new ClusterOptions(running.cluster().name(), next));
    return persist(Map.of("cluster.links", CompactJson.links(next)), target)
      .compose(v -> Contexts.resumeOn(context, links.apply(target.cluster())))
      .onSuccess(v -> running = target);
  }

  /**
   * Validates a whole config off the event loop (it reads the ACL and certificate files it names).
   *
   * @return a failed future with the {@link ConfigException} listing every error when it is invalid
   */
  public Future<LinkgateConfig> validate(JsonObject json) {
    return vertx.executeBlocking(() -> ConfigLoader.fromJson(json));
  }

  /**
   * Replaces the whole config ({@code PUT /api/v5/configs}): every section is written to the file, then the
   * difference is applied; keys that need a restart are written but not applied. If applying fails the file is
   * put back as it was.
   *
   * @throws ConfigException (as a failed future) when the config does not validate
   */
  public Future<ReloadReport> replace(LinkgateConfig candidate, String trigger) {
    return serially(() -> {
      ReloadPlan plan = ReloadPlan.of(running, candidate);
      if (!needsRestart.isEmpty()) {
        // the running config still holds the old values of these keys: writing it back would undo the operator's
        // edit that waits for a restart
        throw new ConfigConflictException("the config file has changes that apply at the next start " + needsRestart
          + ": restart first, or edit the file");
      }
      Map<String, Object> sections = new LinkedHashMap<>();
      candidate.toJson(false).forEach(e -> sections.put(e.getKey(), CompactJson.section(e.getKey(), e.getValue())));
      return snapshotForRollback().compose(before -> persist(sections, plan.target()).compose(sha -> apply(plan)
        .recover(err -> restore(before).transform(ignored -> Future.failedFuture(err)))
        .map(v -> accepted(trigger, sha, plan))));
    });
  }

  /** {@code GET /api/v5/configs/status}. */
  public Future<JsonObject> status() {
    return serially(() -> {
      JsonObject counters = new JsonObject();
      counts.forEach((r, n) -> counters.put(r.name().toLowerCase(java.util.Locale.ROOT), n));
      return Future.succeededFuture(new JsonObject()
        .put("file", file == null ? null : file.path().toString())
        .put("sha256", loadedSha256)
        .put("last_reload", last == null ? null : last.toJson())
        .put("reloads", counters)
        .put("needs_restart", new JsonArray(needsRestart)));
    });
  }

  // ---- internals (gateway context) ----

  /** A version of the file as read: its plan against the running config, or why it cannot run. */
  private record Candidate(ConfigFile.Snapshot snapshot, ReloadPlan plan, List<ValidationError> errors) {
  }

  /** Reads, parses, validates and plans on a worker: it reads files (the config, ACL and certificate files). */
  private Future<Candidate> read() {
    LinkgateConfig current = running;
    return vertx.executeBlocking(() -> {
      ConfigFile.Snapshot snapshot;
      try {
        snapshot = file.read();
      } catch (IOException e) {
        return new Candidate(null, null, List.of(new ValidationError(file.path().toString(),
          "cannot read the config file: " + e.getMessage())));
      }
      try {
        LinkgateConfig config = ConfigLoader.load(snapshot.text(), file.path(), source.env());
        return new Candidate(snapshot, ReloadPlan.of(current, config), List.of());
      } catch (ConfigException e) {
        return new Candidate(snapshot, null, e.errors());
      }
    });
  }

  private Future<ReloadReport> decide(String trigger, Candidate candidate) {
    String sha = candidate.snapshot() == null ? null : candidate.snapshot().sha256();
    lastSeenSha256 = sha;
    if (candidate.plan() == null) {
      return Future.succeededFuture(rejected(trigger, sha, candidate.errors()));
    }
    ReloadPlan plan = candidate.plan();
    return apply(plan).map(v -> accepted(trigger, sha, plan)).recover(err -> Future.succeededFuture(rejected(trigger,
      sha, err instanceof ConfigException e ? e.errors() : List.of(new ValidationError("", String.valueOf(err))))));
  }

  /** Listeners first (the one step that can fail, and undoes itself), then limits and rules, then links. */
  private Future<Void> apply(ReloadPlan plan) {
    LinkgateConfig target = plan.target();
    Future<Void> done = Future.succeededFuture();
    if (plan.listenersChanged()) {
      List<ListenerSpec> specs = ListenerSpecs.of(target);
      done = done.compose(v -> Contexts.resumeOn(context, broker.updateListeners(specs)
        .recover(err -> Future.failedFuture(err instanceof ListenerBindException e
          ? new ConfigException(e.configPath(), e.getMessage()) : err))));
    }
    if (plan.mqttChanged()) {
      done = done.compose(v -> Contexts.resumeOn(context, broker.onBroker(b -> {
        b.updateLimits(BrokerLimits.from(target.mqtt()));
        return null;
      }))).mapEmpty();
    }
    if (plan.authorizationChanged()) {
      done = done.compose(v -> Contexts.resumeOn(context, broker.onBroker(b -> {
        new AclPlugin(target.authorization()).install(b, vertx);
        return null;
      }))).mapEmpty();
    }
    if (plan.linksChanged()) {
      done = done.compose(v -> Contexts.resumeOn(context, links.apply(target.cluster())));
    }
    return done.onSuccess(v -> running = target);
  }

  private ReloadReport accepted(String trigger, String sha, ReloadPlan plan) {
    loadedSha256 = sha;
    lastSeenSha256 = sha;
    ReloadReport report = new ReloadReport(trigger, plan.unchanged() ? ReloadReport.Result.UNCHANGED
      : ReloadReport.Result.APPLIED, System.currentTimeMillis(), sha, plan.changes(), plan.needsRestart(), List.of());
    record(report);
    needsRestart = plan.needsRestart();
    alarms.deactivate(ALARM_INVALID);
    if (plan.needsRestart().isEmpty()) {
      alarms.deactivate(ALARM_RESTART);
    } else {
      Map<String, String> details = new LinkedHashMap<>();
      plan.needsRestart().forEach(p -> details.put(p, "changed in the file; applied at the next start"));
      alarms.activate(ALARM_RESTART, "config keys changed that apply only after a restart: " + plan.needsRestart(),
        details);
    }
    if (!plan.unchanged() || !plan.needsRestart().isEmpty() || !"file_watch".equals(trigger)) {
      log.info("config reloaded [trigger: {}, result: {}, sha256: {}, changes: {}, needs_restart: {}]", trigger,
        report.result().name().toLowerCase(java.util.Locale.ROOT), shortSha(sha), plan.changes(), plan.needsRestart());
    }
    return report;
  }

  private ReloadReport rejected(String trigger, String sha, List<ValidationError> errors) {
    ReloadReport report = ReloadReport.rejected(trigger, sha, errors);
    record(report);
    Map<String, String> details = new LinkedHashMap<>();
    errors.forEach(e -> details.merge(e.path(), e.message(), (a, b) -> a + "; " + b));
    String where = file == null ? "config" : file.path().toString();
    alarms.activate(ALARM_INVALID, where + " was not loaded (" + errors.size() + (errors.size() == 1 ? " error" :
      " errors") + "; the running config is unchanged): " + errors.get(0), details);
    for (ValidationError e : errors) {
      log.warn("config reload rejected [trigger: {}, file: {}, sha256: {}, error: {}]", trigger, where,
        shortSha(sha), e);
    }
    return report;
  }

  private void record(ReloadReport report) {
    last = report;
    counts.merge(report.result(), 1, Integer::sum);
  }

  /**
   * Writes {@code values} into the file (when there is one), refusing if the file is not the version that runs.
   * Completes with the new version's hash.
   */
  private Future<String> persist(Map<String, Object> values, LinkgateConfig expectedConfig) {
    if (file == null) {
      return Future.succeededFuture(null);
    }
    String expected = loadedSha256;
    ReloadReport lastReport = last;
    return vertx.executeBlocking(() -> {
      ConfigFile.Snapshot now = file.read();
      if (!now.sha256().equals(expected)) {
        boolean invalid = lastReport != null && lastReport.result() == ReloadReport.Result.REJECTED
          && now.sha256().equals(lastReport.sha256());
        throw new ConfigConflictException(file.path() + (invalid
          ? " holds an edit that could not be loaded (see GET /api/v5/configs/status); fix the file, then retry"
          : " was edited since it was loaded; the edit is being reloaded: retry in a few seconds"));
      }
      String text = file.edit(now.text(), values);
      // never leave a file behind that would not start, nor one that would run something else than what we are
      // about to apply (a LINKGATE__ override on an array index that moved, a key the environment overrides)
      LinkgateConfig reread = ConfigLoader.load(text, file.path(), source.env());
      ReloadPlan drift = ReloadPlan.of(expectedConfig, reread);
      if (!drift.unchanged()) {
        throw new ConfigConflictException("the edited file, loaded as this node loads it (with its LINKGATE__ "
          + "environment overrides and the files it names), would differ from the change requested in "
          + drift.changes() + ": an environment override or an unreloaded edit of a referenced file is in the way");
      }
      return file.write(text);
    }).onSuccess(sha -> {
      loadedSha256 = sha;
      lastSeenSha256 = sha;
      log.info("config file updated [file: {}, sha256: {}, keys: {}]", file.path(), shortSha(sha), values.keySet());
    });
  }

  private Future<ConfigFile.Snapshot> snapshotForRollback() {
    return file == null ? Future.succeededFuture(null) : vertx.executeBlocking(file::read);
  }

  private Future<Void> restore(ConfigFile.Snapshot before) {
    if (file == null || before == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> file.write(before.text())).onSuccess(sha -> {
      loadedSha256 = sha;
      lastSeenSha256 = sha;
    }).mapEmpty();
  }

  private static String shortSha(String sha) {
    return sha == null ? null : sha.substring(0, 12);
  }
}
