package io.linkgate.link;

import java.time.Duration;

/**
 * The protocol's timers. EMQX hard-codes them (TTL 30 s, heartbeat TTL/3, reconnect 5 s); they are a record so that
 * tests can run the same state machines in seconds instead of minutes.
 *
 * @param actorTtl          how long a peer actor lives without a heartbeat
 * @param heartbeatInterval how often our actors heartbeat (TTL / 3)
 * @param gcInterval        how often expired peer actors are collected
 * @param reconnectDelay    route replication: no sooner than this after the previous connect attempt started
 * @param handshakeTimeout  time allowed for the peer's actor_init_ack
 * @param poolReconnectDelay forwarding clients reconnect after this
 * @param syncDelay         route ops are coalesced this long before a batch goes out
 * @param syncRetryDelay    wait before retrying a failed route batch
 */
public record LinkTimings(
  Duration actorTtl,
  Duration heartbeatInterval,
  Duration gcInterval,
  Duration reconnectDelay,
  Duration handshakeTimeout,
  Duration poolReconnectDelay,
  Duration syncDelay,
  Duration syncRetryDelay) {

  public static final LinkTimings DEFAULT = new LinkTimings(Duration.ofSeconds(30), Duration.ofSeconds(10),
    Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2),
    Duration.ofMillis(10), Duration.ofMillis(500));

  /** A scaled-down set for tests: TTL 3 s like EMQX's test builds, reconnects within a second. */
  public static LinkTimings fast() {
    return new LinkTimings(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(1),
      Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofMillis(10),
      Duration.ofMillis(200));
  }
}
