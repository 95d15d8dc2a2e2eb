package io.linkgate;

/**
 * Every event-bus address Linkgate uses, in one place. All traffic is local (one JVM) and carries immutable
 * objects through {@link LocalCodec}.
 */
public final class Addresses {
  private static final String PREFIX = "linkgate.";

  /** To the route-sync component (broker thread): a link name; replies the link's bootstrap route ops. */
  public static final String ROUTE_SNAPSHOT = PREFIX + "routes.snapshot";
  /** To the route-sync component: a new {@code ClusterOptions} to apply (links added, changed, removed). */
  public static final String LINKS_UPDATE = PREFIX + "routes.links-update";
  /** To the route-sync component: a link name; replies its receive-side stats ({@code InboundLinkStats}). */
  public static final String INBOUND_STATS = PREFIX + "routes.inbound-stats";
  /** To the route-sync component: a link name; zeroes its receive-side counters. */
  public static final String INBOUND_STATS_RESET = PREFIX + "routes.inbound-stats-reset";

  private Addresses() {
  }

  /** To one link verticle: a batch of route ops ({@code List<RouteOp>}) to replicate to the peer. */
  public static String linkRoutes(String link) {
    return PREFIX + "link." + link + ".routes";
  }

  /** To one link verticle: a local {@code Message} to forward to the peer. */
  public static String linkForward(String link) {
    return PREFIX + "link." + link + ".forward";
  }

  /** To one link verticle: new {@code LinkOptions} that change only forwarding settings; replies when applied. */
  public static String linkReconfigure(String link) {
    return PREFIX + "link." + link + ".reconfigure";
  }

  /** To one link verticle: request its status and forwarding metrics ({@code LinkStatus}). */
  public static String linkStatus(String link) {
    return PREFIX + "link." + link + ".status";
  }
}
