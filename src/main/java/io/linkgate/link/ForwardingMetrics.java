package io.linkgate.link;

import io.linkgate.store.LogStats;

import java.util.List;
import java.util.Map;

/**
 * Forwarding counters of one link on this node, named as EMQX's resource metrics.
 *
 * @param matched  messages handed to the link for forwarding
 * @param success  acknowledged by the peer (PUBACK 0x00 or 0x10) or, for QoS 0, written
 * @param failed   refused by the peer (PUBACK reason >= 0x80)
 * @param dropped  not sent: buffer full, older than {@code request_ttl}, expired (Message-Expiry-Interval) or larger
 *                 than the peer's Maximum Packet Size; {@code droppedByReason} splits it
 * @param retried  sent again after a connection loss (each may arrive twice: at-least-once)
 * @param queuing  waiting in the buffer now
 * @param inflight sent, not yet acknowledged, now
 * @param rate       matched messages per second over the last sample (5 s)
 * @param rateLast5m the same, averaged over about 5 minutes
 * @param rateMax    the highest {@code rate} since the last reset
 * @param droppedByReason {@code dropped} by reason: {@code buffer_full}, {@code ttl}, {@code expired},
 *                        {@code too_large} (each present, 0 included)
 * @param replayedAfterRestart messages a previous run left in the durable log, queued again at start
 * @param durable  the durable log's counters ({@code buffer_mode = durable}), null when memory only; they keep
 *                 {@code appended = acknowledged + dropped + backlog} ({@link LogStats#addsUp()})
 */
public record ForwardingMetrics(long matched, long success, long failed, long dropped, long retried, long queuing,
                                long inflight, double rate, double rateLast5m, double rateMax,
                                Map<String, Long> droppedByReason, long replayedAfterRestart, LogStats durable) {

  /** Why a message was not sent; the keys of {@code droppedByReason}. */
  public static final List<String> DROP_REASONS = List.of("buffer_full", "ttl", "expired", "too_large");

  public static final ForwardingMetrics ZERO = new ForwardingMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  public ForwardingMetrics {
    droppedByReason = droppedByReason == null ? Map.of()
      : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(droppedByReason));
  }

  /** Without the split of {@code dropped}, memory only. */
  public ForwardingMetrics(long matched, long success, long failed, long dropped, long retried, long queuing,
                           long inflight, double rate, double rateLast5m, double rateMax) {
    this(matched, success, failed, dropped, retried, queuing, inflight, rate, rateLast5m, rateMax, null, 0, null);
  }
}
