package io.linkgate.link;

import java.time.Instant;

/**
 * What one link verticle reports about itself on this node.
 *
 * @param status            {@code running} (route replication online, every forwarding client connected and making
 *                          progress, the peer linking back), {@code degraded} (connected but stalled, or the peer no
 *                          longer links back: see {@code reason}), {@code connecting} (still coming up, bootstrapping,
 *                          or some clients down) or {@code disconnected}
 * @param routeSyncState    the route-replication state machine's state, lower case
 * @param reason            why the link is not running, else null
 * @param pendingRouteOps   route ops waiting to be replicated
 * @param server            the address of the peer the route actor uses (or tries next), {@code host:port}
 * @param lastFailureReason the last reason the link was not running, kept after it recovers; null if it never failed
 * @param lastFailureAt     when that failure was first seen; null if it never failed
 */
public record LinkStatus(String link, String status, String routeSyncState, int poolConnected, int poolSize,
                         String reason, long routeSyncConnects, int pendingRouteOps, ForwardingMetrics forwarding,
                         String server, String lastFailureReason, Instant lastFailureAt) {
}
