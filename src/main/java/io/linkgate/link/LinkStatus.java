package io.linkgate.link;

/**
 * What one link verticle reports about itself on this node.
 *
 * @param status         {@code running} (route replication online and every forwarding client connected),
 *                       {@code connecting} (still coming up, or some clients down) or {@code disconnected}
 * @param routeSyncState the route-replication state machine's state, lower case
 * @param reason         the last failure reason while not running, else null
 * @param pendingRouteOps route ops waiting to be replicated
 */
public record LinkStatus(String link, String status, String routeSyncState, int poolConnected, int poolSize,
                         String reason, long routeSyncConnects, int pendingRouteOps, ForwardingMetrics forwarding) {
}
