package io.linkgate.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Buffering and health checking of a link's message-forwarding pool ({@code cluster.links[i].resource_opts}), as
 * EMQX's resource options. Integer durations are milliseconds, as in EMQX.
 *
 * @param dispatchStrategy {@code per_clientid}: a publisher's messages always use the same worker and connection
 *     (per-publisher order kept); {@code random}: spread without ordering
 * @param requestTtl how long a message may wait in the buffer, {@link Values#FOREVER} for "infinity"
 * @param maxBufferBytes buffered bytes per worker before the oldest messages are dropped
 * @param bufferMode {@code memory_only} (EMQX's value): the buffer is lost with the process; {@code durable}: QoS ≥ 1
 *     messages for the peer are written to a log under {@code node.data_dir} before the publisher is acknowledged and
 *     replayed after a restart
 * @param drainRate most messages per second sent to the peer (paces the replay after an outage), 0 = unlimited
 */
public record ResourceOptions(
    int workerPoolSize,
    String dispatchStrategy,
    Duration healthCheckInterval,
    Duration healthCheckIntervalJitter,
    Duration healthCheckTimeout,
    Duration startTimeout,
    Duration requestTtl,
    int inflightWindow,
    long maxBufferBytes,
    String bufferMode,
    DurableBufferOptions durable,
    int drainRate) {

  public static final String PER_CLIENTID = "per_clientid";
  public static final String RANDOM = "random";
  public static final List<String> DISPATCH_STRATEGIES = List.of(PER_CLIENTID, RANDOM);
  public static final String MEMORY_ONLY = "memory_only";
  public static final String DURABLE = "durable";
  public static final List<String> BUFFER_MODES = List.of(MEMORY_ONLY, DURABLE);

  public static final ResourceOptions DEFAULT = new ResourceOptions(16, PER_CLIENTID, Duration.ofSeconds(15),
      Duration.ZERO, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(45), 100,
      256L * 1024 * 1024, MEMORY_ONLY, DurableBufferOptions.DEFAULT, 0);

  public ResourceOptions {
    Objects.requireNonNull(dispatchStrategy, "dispatchStrategy");
    Objects.requireNonNull(healthCheckInterval, "healthCheckInterval");
    Objects.requireNonNull(healthCheckIntervalJitter, "healthCheckIntervalJitter");
    Objects.requireNonNull(healthCheckTimeout, "healthCheckTimeout");
    Objects.requireNonNull(startTimeout, "startTimeout");
    Objects.requireNonNull(requestTtl, "requestTtl");
    Objects.requireNonNull(bufferMode, "bufferMode");
    Objects.requireNonNull(durable, "durable");
  }

  public static ResourceOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    ResourceOptions d = DEFAULT;
    Fields f = new Fields(json, path, errors);
    Duration oneMs = Duration.ofMillis(1);
    Duration day = Duration.ofDays(1);
    int workerPoolSize = f.integer("worker_pool_size", d.workerPoolSize, 1, 1024);
    String dispatch = f.oneOf("dispatch_strategy", d.dispatchStrategy, DISPATCH_STRATEGIES);
    Duration hcInterval = f.duration("health_check_interval", d.healthCheckInterval, 1, oneMs, day);
    Duration hcJitter = f.duration("health_check_interval_jitter", d.healthCheckIntervalJitter, 1,
        Duration.ZERO, day);
    Duration hcTimeout = f.duration("health_check_timeout", d.healthCheckTimeout, 1, oneMs, day);
    Duration startTimeout = f.duration("start_timeout", d.startTimeout, 1, oneMs, day);
    Duration requestTtl = f.durationOrInfinity("request_ttl", d.requestTtl, 1, oneMs);
    int inflightWindow = f.integer("inflight_window", d.inflightWindow, 1, 65_535);
    long maxBufferBytes = f.size("max_buffer_bytes", d.maxBufferBytes, 1, Long.MAX_VALUE);
    String bufferMode = f.oneOf("buffer_mode", d.bufferMode, BUFFER_MODES);
    DurableBufferOptions durable = f.object("durable", DurableBufferOptions::fromJson);
    int drainRate = f.intOr("drain_rate", d.drainRate, 1, 10_000_000, "unlimited", 0);
    return f.result(() -> new ResourceOptions(workerPoolSize, dispatch, hcInterval, hcJitter, hcTimeout,
        startTimeout, requestTtl, inflightWindow, maxBufferBytes, bufferMode, durable, drainRate));
  }

  public boolean isDurable() {
    return DURABLE.equals(bufferMode);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("worker_pool_size", workerPoolSize)
        .put("dispatch_strategy", dispatchStrategy)
        .put("health_check_interval", Values.formatDuration(healthCheckInterval))
        .put("health_check_interval_jitter", Values.formatDuration(healthCheckIntervalJitter))
        .put("health_check_timeout", Values.formatDuration(healthCheckTimeout))
        .put("start_timeout", Values.formatDuration(startTimeout))
        .put("request_ttl", Values.formatDuration(requestTtl))
        .put("inflight_window", inflightWindow)
        .put("max_buffer_bytes", Values.formatSize(maxBufferBytes))
        .put("buffer_mode", bufferMode)
        .put("durable", durable.toJson())
        .put("drain_rate", drainRate == 0 ? (Object) "unlimited" : (Object) drainRate);
  }
}
