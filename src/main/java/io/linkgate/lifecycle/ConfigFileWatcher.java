package io.linkgate.lifecycle;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Notices edits of the config file and asks the {@link ConfigManager} to reload it once the edits have settled.
 *
 * <p>vertx-config's retriever scans the file; it reads it as raw text (format {@code raw}), not as HOCON, so that
 * a syntax error reaches our loader, which reports it with its line, instead of failing inside the retriever. The
 * retriever only says "something changed": it remembers the last text it read even when we rejected it, so what
 * to do is decided by the manager against the hash of the version that runs, never against the retriever's cache.
 * Edits are debounced: a burst of saves ends in one reload of the last content.
 */
public final class ConfigFileWatcher {
  private static final Logger log = LoggerFactory.getLogger(ConfigFileWatcher.class);

  public static final Duration SCAN_PERIOD = Duration.ofMillis(500);
  public static final Duration SETTLE = Duration.ofMillis(700);

  private final Vertx vertx;
  private final ConfigManager manager;
  private ConfigRetriever retriever;
  private long settleTimer = -1;

  public ConfigFileWatcher(Vertx vertx, ConfigManager manager) {
    this.vertx = vertx;
    this.manager = manager;
  }

  /** Starts watching {@code file}; call on the gateway context. */
  public void start(java.nio.file.Path file) {
    ConfigStoreOptions store = new ConfigStoreOptions().setType("file").setFormat("raw").setOptional(true)
      .setConfig(new JsonObject().put("path", file.toString()).put("raw.key", "text").put("raw.type", "string"));
    retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().addStore(store)
      .setScanPeriod(SCAN_PERIOD.toMillis()).setIncludeDefaultStores(false));
    retriever.listen(change -> settled());
    log.info("watching the config file [file: {}, scan_period: {}ms]", file, SCAN_PERIOD.toMillis());
  }

  /** Each change restarts the settle timer: only the last of a burst of saves triggers a reload. */
  private void settled() {
    if (settleTimer >= 0) {
      vertx.cancelTimer(settleTimer);
    }
    settleTimer = vertx.setTimer(SETTLE.toMillis(), id -> {
      settleTimer = -1;
      manager.reloadIfChanged("file_watch").onFailure(err -> log.error("config reload failed [trigger: file_watch]",
        err));
    });
  }

  public void stop() {
    if (settleTimer >= 0) {
      vertx.cancelTimer(settleTimer);
    }
    if (retriever != null) {
      retriever.close();
    }
  }
}
