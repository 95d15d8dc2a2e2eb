package io.linkgate.link;

import io.linkgate.topic.TopicTrie;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The external route table: routes that peer clusters pushed to us, matched on every local publish to decide which
 * peers get one copy. Each peer cluster's replication streams ("actors", one per peer node) get a lane bit; a route
 * stays while any lane holds it, which makes route ops idempotent and order-insensitive across actors. Lanes are
 * not limited to 64 (EMQX has no such limit: a 100-node peer has 100 actors); {@link #MAX_ACTORS} only guards memory
 * against a peer that invents actor names.
 * Owned by the broker thread (it is read on the publish path); no locks.
 */
public final class ExternalRoutes {

  /** The outcome of {@link #actorInit}. */
  public enum InitResult { CREATED, REFRESHED, STALE_INCARNATION, NO_FREE_LANE }

  /** Actors per peer cluster: one per peer node plus one for durable sessions; far above any real cluster. */
  static final int MAX_ACTORS = 4096;

  static final class Actor {
    final String cluster;
    final String name;
    long incarnation;
    int lane;
    long until;

    Actor(String cluster, String name, long incarnation, int lane, long until) {
      this.cluster = cluster;
      this.name = name;
      this.incarnation = incarnation;
      this.lane = lane;
      this.until = until;
    }
  }

  /** One (filter, peer cluster, route id) entry with the lanes that hold it. */
  static final class Route {
    final String filter;
    final String cluster;
    final String routeId;
    /** Lanes 0–63 inline (the common case), further ones in {@code moreLanes}. */
    long lanes;
    BitSet moreLanes;

    Route(String filter, String cluster, String routeId) {
      this.filter = filter;
      this.cluster = cluster;
      this.routeId = routeId;
    }

    void setLane(int lane) {
      if (lane < 64) {
        lanes |= 1L << lane;
      } else {
        if (moreLanes == null) {
          moreLanes = new BitSet();
        }
        moreLanes.set(lane - 64);
      }
    }

    void clearLane(int lane) {
      if (lane < 64) {
        lanes &= ~(1L << lane);
      } else if (moreLanes != null) {
        moreLanes.clear(lane - 64);
        if (moreLanes.isEmpty()) {
          moreLanes = null;
        }
      }
    }

    boolean hasLanes() {
      return lanes != 0 || moreLanes != null;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Route r && r.cluster.equals(cluster) && r.routeId.equals(routeId) && r.filter.equals(filter);
    }

    @Override
    public int hashCode() {
      return Objects.hash(filter, cluster, routeId);
    }
  }

  private record RouteKey(String filter, String cluster, String routeId) {
  }

  private final Map<String, Map<String, Actor>> actors = new HashMap<>();
  private final Map<RouteKey, Route> routes = new HashMap<>();
  private final Map<String, Set<Route>> routesByCluster = new HashMap<>();
  // peers' filters are validated by the route handler before they get here
  private final TopicTrie<Route> trie = new TopicTrie<>(65_535);

  /** Creates or refreshes an actor following the incarnation rules of the protocol. */
  public InitResult actorInit(String cluster, String actorName, long incarnation, long until) {
    Map<String, Actor> ofCluster = actors.computeIfAbsent(cluster, c -> new HashMap<>());
    Actor existing = ofCluster.get(actorName);
    if (existing != null) {
      if (existing.incarnation == incarnation) {
        existing.until = until;
        return InitResult.REFRESHED;
      }
      if (existing.incarnation > incarnation) {
        return InitResult.STALE_INCARNATION;
      }
      removeActor(existing); // an older incarnation: its routes go, the new one re-bootstraps
    }
    int lane = freeLane(ofCluster);
    if (lane < 0) {
      return InitResult.NO_FREE_LANE;
    }
    ofCluster.put(actorName, new Actor(cluster, actorName, incarnation, lane, until));
    return InitResult.CREATED;
  }

  private static int freeLane(Map<String, Actor> ofCluster) {
    if (ofCluster.size() >= MAX_ACTORS) {
      return -1;
    }
    BitSet used = new BitSet();
    for (Actor a : ofCluster.values()) {
      used.set(a.lane);
    }
    return used.nextClearBit(0);
  }

  /** Extends the actor's lifetime; false if the actor is unknown or has another incarnation. */
  public boolean heartbeat(String cluster, String actorName, long incarnation, long until) {
    Actor a = actor(cluster, actorName);
    if (a == null || a.incarnation != incarnation) {
      return false;
    }
    a.until = until;
    return true;
  }

  /** Sets the actor's lane on the route; returns false if the actor is not current. */
  public boolean add(String cluster, String actorName, long incarnation, String filter, String routeId) {
    Actor a = actor(cluster, actorName);
    if (a == null || a.incarnation != incarnation) {
      return false;
    }
    RouteKey key = new RouteKey(filter, cluster, routeId);
    Route r = routes.get(key);
    if (r == null) {
      r = new Route(filter, cluster, routeId);
      routes.put(key, r);
      routesByCluster.computeIfAbsent(cluster, c -> new HashSet<>()).add(r);
      trie.add(filter, r);
    }
    r.setLane(a.lane);
    return true;
  }

  /** Clears the actor's lane on the route, deleting it when no lane is left; false if the actor is not current. */
  public boolean delete(String cluster, String actorName, long incarnation, String filter, String routeId) {
    Actor a = actor(cluster, actorName);
    if (a == null || a.incarnation != incarnation) {
      return false;
    }
    Route r = routes.get(new RouteKey(filter, cluster, routeId));
    if (r != null) {
      clearLane(r, a.lane);
    }
    return true;
  }

  private void clearLane(Route r, int lane) {
    r.clearLane(lane);
    if (!r.hasLanes()) {
      routes.remove(new RouteKey(r.filter, r.cluster, r.routeId));
      Set<Route> ofCluster = routesByCluster.get(r.cluster);
      if (ofCluster != null) {
        ofCluster.remove(r);
      }
      trie.remove(r.filter, r);
    }
  }

  /** Removes expired actors (and their lanes, only on their own cluster's routes); returns how many went. */
  public List<String> gc(long now) {
    List<Actor> expired = new ArrayList<>();
    for (Map<String, Actor> ofCluster : actors.values()) {
      for (Actor a : ofCluster.values()) {
        if (a.until < now) {
          expired.add(a);
        }
      }
    }
    List<String> removed = new ArrayList<>();
    for (Actor a : expired) {
      removeActor(a);
      removed.add(a.cluster + "/" + a.name);
    }
    return removed;
  }

  private void removeActor(Actor a) {
    Map<String, Actor> ofCluster = actors.get(a.cluster);
    if (ofCluster != null) {
      ofCluster.remove(a.name);
    }
    Set<Route> clusterRoutes = routesByCluster.get(a.cluster);
    if (clusterRoutes != null) {
      for (Iterator<Route> it = new ArrayList<>(clusterRoutes).iterator(); it.hasNext(); ) {
        clearLane(it.next(), a.lane);
      }
    }
  }

  private Actor actor(String cluster, String name) {
    Map<String, Actor> ofCluster = actors.get(cluster);
    return ofCluster == null ? null : ofCluster.get(name);
  }

  /** Visits each peer cluster with at least one route matching the topic, once per cluster. */
  public void matchClusters(String topic, Consumer<String> visitor) {
    if (routes.isEmpty()) {
      return;
    }
    Set<String> seen = new HashSet<>(4);
    trie.match(topic, r -> {
      if (seen.add(r.cluster)) {
        visitor.accept(r.cluster);
      }
    });
  }

  /** Entries (filter, route id) received from that peer cluster. */
  public int routeCount(String cluster) {
    Set<Route> ofCluster = routesByCluster.get(cluster);
    return ofCluster == null ? 0 : ofCluster.size();
  }

  public int actorCount(String cluster) {
    Map<String, Actor> ofCluster = actors.get(cluster);
    return ofCluster == null ? 0 : ofCluster.size();
  }

  /** Actors of that cluster whose lifetime has not run out (the GC may not have collected the others yet). */
  public int liveActorCount(String cluster, long now) {
    Map<String, Actor> ofCluster = actors.get(cluster);
    if (ofCluster == null) {
      return 0;
    }
    int n = 0;
    for (Actor a : ofCluster.values()) {
      if (a.until >= now) {
        n++;
      }
    }
    return n;
  }

  /** Whether any route of that cluster matches the filter exactly (for tests and diagnostics). */
  public boolean hasRoute(String cluster, String filter, String routeId) {
    return routes.containsKey(new RouteKey(filter, cluster, routeId));
  }
}
