package io.linkgate.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * The disk log of a link in {@code buffer_mode = durable} ({@code cluster.links[i].resource_opts.durable}).
 *
 * @param fsync {@code always}: every append is fsynced (group commit) before the publisher is acknowledged, survives
 *     a power loss; {@code interval}: fsync every {@code fsyncInterval}, survives a process crash, a power loss may
 *     lose the last interval; {@code never}: the OS decides, survives a process crash only
 * @param overflow at {@code max_buffer_bytes}: {@code drop_oldest} drops the oldest unacknowledged message,
 *     {@code reject_new} refuses the new one (MQTT 5 publishers get PUBACK/PUBREC 0x97 Quota exceeded)
 */
public record DurableBufferOptions(String fsync, Duration fsyncInterval, String overflow) {

  public static final List<String> FSYNC_POLICIES = List.of("always", "interval", "never");
  public static final List<String> OVERFLOW_POLICIES = List.of("drop_oldest", "reject_new");
  public static final DurableBufferOptions DEFAULT = new DurableBufferOptions("interval", Duration.ofMillis(100),
      "drop_oldest");

  public static DurableBufferOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    DurableBufferOptions d = DEFAULT;
    Fields f = new Fields(json, path, errors);
    String fsync = f.oneOf("fsync", d.fsync, FSYNC_POLICIES);
    Duration interval = f.duration("fsync_interval", d.fsyncInterval, 1, Duration.ofMillis(1), Duration.ofMinutes(1));
    String overflow = f.oneOf("overflow", d.overflow, OVERFLOW_POLICIES);
    return f.result(() -> new DurableBufferOptions(fsync, interval, overflow));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("fsync", fsync)
        .put("fsync_interval", Values.formatDuration(fsyncInterval))
        .put("overflow", overflow);
  }
}
