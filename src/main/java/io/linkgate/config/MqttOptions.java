package io.linkgate.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code mqtt { ... }}: protocol limits and behaviour, with EMQX's key names and defaults.
 *
 * <p>Durations take a string ({@code "15s"}); a plain integer means <b>milliseconds</b> as in EMQX
 * ({@code session_expiry_interval}, {@code retry_interval}, {@code await_rel_timeout}, {@code idle_timeout}), except
 * {@code server_keepalive}, which is an integer number of seconds or {@code "disabled"}. Limits that accept
 * {@code "infinity"} hold {@link Values#INFINITY} for it.
 *
 * @param maxPacketSize bytes, at most 256MB
 * @param maxClientidLen 23..65535
 * @param maxTopicLevels levels allowed in a topic name or filter
 * @param maxTopicAlias MQTT 5 Topic Alias Maximum sent in CONNACK (0 disables aliases)
 * @param maxInflight QoS 1/2 messages in flight per client, 1..65535
 * @param maxMqueueLen messages queued per client while the inflight window is full, or INFINITY
 * @param mqueueStoreQos0 whether QoS 0 messages are queued too
 * @param maxSubscriptions per client, or INFINITY
 * @param sessionExpiryInterval upper bound of the session expiry a client may ask for (MQTT 3.1.1: used as is)
 * @param serverKeepalive seconds forced on MQTT 5 clients in CONNACK, 0 when "disabled"
 * @param idleTimeout time allowed between TCP accept and CONNECT, or {@link Values#FOREVER}
 * @param maxOutboundBytes bytes of PUBLISH packets that may wait to be written to one client (not an EMQX key:
 *     EMQX's nearest is the listener's {@code tcp_options.high_watermark}); beyond it QoS 0 is dropped and QoS 1/2
 *     wait in the session queue
 */
public record MqttOptions(
    int maxPacketSize,
    int maxClientidLen,
    int maxTopicLevels,
    int maxTopicAlias,
    int maxInflight,
    int maxMqueueLen,
    boolean mqueueStoreQos0,
    int maxSubscriptions,
    Duration sessionExpiryInterval,
    boolean retainAvailable,
    boolean sharedSubscription,
    boolean wildcardSubscription,
    int maxQosAllowed,
    double keepaliveMultiplier,
    int serverKeepalive,
    Duration retryInterval,
    int maxAwaitingRel,
    Duration awaitRelTimeout,
    Duration idleTimeout,
    int maxOutboundBytes) {

  public static final int MAX_PACKET_SIZE_LIMIT = 256 * 1024 * 1024;
  public static final String DISABLED = "disabled";

  public static final MqttOptions DEFAULT = new MqttOptions(1024 * 1024, 65_535, 128, 65_535, 32, 1000, true,
      Values.INFINITY, Duration.ofHours(2), true, true, true, 2, 1.5, 0, Duration.ofSeconds(30), 100,
      Duration.ofSeconds(300), Duration.ofSeconds(15), 4 * 1024 * 1024);
  /** The smallest {@code max_outbound_bytes}: a lower budget would drop QoS 0 on any burst. */
  public static final int MIN_OUTBOUND_BYTES = 64 * 1024;

  /** These limits with another {@code max_packet_size} (a reload keeps the running one: it needs a restart). */
  public MqttOptions withMaxPacketSize(int size) {
    return new MqttOptions(size, maxClientidLen, maxTopicLevels, maxTopicAlias, maxInflight, maxMqueueLen,
        mqueueStoreQos0, maxSubscriptions, sessionExpiryInterval, retainAvailable, sharedSubscription,
        wildcardSubscription, maxQosAllowed, keepaliveMultiplier, serverKeepalive, retryInterval, maxAwaitingRel,
        awaitRelTimeout, idleTimeout, maxOutboundBytes);
  }

  public MqttOptions {
    Objects.requireNonNull(sessionExpiryInterval, "sessionExpiryInterval");
    Objects.requireNonNull(retryInterval, "retryInterval");
    Objects.requireNonNull(awaitRelTimeout, "awaitRelTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
  }

  /** True unless {@code server_keepalive = disabled}. */
  public boolean serverKeepaliveEnabled() {
    return serverKeepalive > 0;
  }

  public static MqttOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    MqttOptions d = DEFAULT;
    Fields f = new Fields(json, path, errors);
    int maxPacketSize = (int) f.size("max_packet_size", d.maxPacketSize, 1, MAX_PACKET_SIZE_LIMIT);
    int maxClientidLen = f.integer("max_clientid_len", d.maxClientidLen, 23, 65_535);
    int maxTopicLevels = f.integer("max_topic_levels", d.maxTopicLevels, 1, 65_535);
    int maxTopicAlias = f.integer("max_topic_alias", d.maxTopicAlias, 0, 65_535);
    int maxInflight = f.integer("max_inflight", d.maxInflight, 1, 65_535);
    int maxMqueueLen = f.intOrInfinity("max_mqueue_len", d.maxMqueueLen, 0, Integer.MAX_VALUE);
    boolean mqueueStoreQos0 = f.bool("mqueue_store_qos0", d.mqueueStoreQos0);
    int maxSubscriptions = f.intOrInfinity("max_subscriptions", d.maxSubscriptions, 1, Integer.MAX_VALUE);
    Duration sessionExpiry = f.duration("session_expiry_interval", d.sessionExpiryInterval, 1,
        Duration.ZERO, Duration.ofSeconds(0xFFFF_FFFFL));
    boolean retainAvailable = f.bool("retain_available", d.retainAvailable);
    boolean sharedSubscription = f.bool("shared_subscription", d.sharedSubscription);
    boolean wildcardSubscription = f.bool("wildcard_subscription", d.wildcardSubscription);
    int maxQosAllowed = f.integer("max_qos_allowed", d.maxQosAllowed, 0, 2);
    double keepaliveMultiplier = f.number("keepalive_multiplier", d.keepaliveMultiplier, 0);
    int serverKeepalive = f.intOr("server_keepalive", d.serverKeepalive, 1, 65_535, DISABLED, 0);
    Duration retryInterval = f.duration("retry_interval", d.retryInterval, 1, Duration.ofMillis(1),
        Values.FOREVER);
    int maxAwaitingRel = f.intOrInfinity("max_awaiting_rel", d.maxAwaitingRel, 0, Integer.MAX_VALUE);
    Duration awaitRelTimeout = f.duration("await_rel_timeout", d.awaitRelTimeout, 1, Duration.ofMillis(1),
        Values.FOREVER);
    Duration idleTimeout = f.durationOrInfinity("idle_timeout", d.idleTimeout, 1, Duration.ofMillis(1));
    int maxOutboundBytes = (int) f.size("max_outbound_bytes", d.maxOutboundBytes, MIN_OUTBOUND_BYTES,
        Integer.MAX_VALUE);
    return f.result(() -> new MqttOptions(maxPacketSize, maxClientidLen, maxTopicLevels, maxTopicAlias,
        maxInflight, maxMqueueLen, mqueueStoreQos0, maxSubscriptions, sessionExpiry, retainAvailable,
        sharedSubscription, wildcardSubscription, maxQosAllowed, keepaliveMultiplier, serverKeepalive,
        retryInterval, maxAwaitingRel, awaitRelTimeout, idleTimeout, maxOutboundBytes));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("max_packet_size", Values.formatSize(maxPacketSize))
        .put("max_clientid_len", maxClientidLen)
        .put("max_topic_levels", maxTopicLevels)
        .put("max_topic_alias", maxTopicAlias)
        .put("max_inflight", maxInflight)
        .put("max_mqueue_len", Values.intOrInfinity(maxMqueueLen))
        .put("mqueue_store_qos0", mqueueStoreQos0)
        .put("max_subscriptions", Values.intOrInfinity(maxSubscriptions))
        .put("session_expiry_interval", Values.formatDuration(sessionExpiryInterval))
        .put("retain_available", retainAvailable)
        .put("shared_subscription", sharedSubscription)
        .put("wildcard_subscription", wildcardSubscription)
        .put("max_qos_allowed", maxQosAllowed)
        .put("keepalive_multiplier", keepaliveMultiplier)
        .put("server_keepalive", serverKeepalive == 0 ? DISABLED : serverKeepalive)
        .put("retry_interval", Values.formatDuration(retryInterval))
        .put("max_awaiting_rel", Values.intOrInfinity(maxAwaitingRel))
        .put("await_rel_timeout", Values.formatDuration(awaitRelTimeout))
        .put("idle_timeout", Values.formatDuration(idleTimeout))
        .put("max_outbound_bytes", Values.formatSize(maxOutboundBytes));
  }
}
