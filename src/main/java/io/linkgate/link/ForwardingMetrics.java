package io.linkgate.link;

/**
 * Forwarding counters of one link on this node, named as EMQX's resource metrics.
 *
 * @param matched  messages handed to the link for forwarding
 * @param success  acknowledged by the peer (PUBACK 0x00 or 0x10) or, for QoS 0, written
 * @param failed   refused by the peer (PUBACK reason >= 0x80)
 * @param dropped  not sent: buffer full or older than {@code request_ttl}
 * @param retried  sent again after a connection loss (each may arrive twice: at-least-once)
 * @param queuing  waiting in the buffer now
 * @param inflight sent, not yet acknowledged, now
 * @param rate       matched messages per second over the last sample (5 s)
 * @param rateLast5m the same, averaged over about 5 minutes
 * @param rateMax    the highest {@code rate} since the last reset
 */
public record ForwardingMetrics(long matched, long success, long failed, long dropped, long retried, long queuing,
                                long inflight, double rate, double rateLast5m, double rateMax) {

  public static final ForwardingMetrics ZERO = new ForwardingMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
