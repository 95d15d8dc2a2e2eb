package io.linkgate.broker;

import io.linkgate.topic.TopicTrie;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * All local subscriptions, regular and shared, in topic tries. Owned by the broker thread. Reports the first and
 * last subscriber of each filter (per share group for shared subscriptions) to a {@link RouteListener}.
 */
final class SubscriptionIndex {
  private static final int MAX_LEVELS = 65_535;
  // filters are validated against mqtt.max_topic_levels before they get here
  private final TopicTrie<Subscription> regular = new TopicTrie<>(MAX_LEVELS);
  private final TopicTrie<SharedGroup> shared = new TopicTrie<>(MAX_LEVELS);
  /** Share groups by their {@code $share/<group>/<filter>} key. */
  private final Map<String, SharedGroup> groups = new HashMap<>();
  private RouteListener routeListener = RouteListener.NONE;
  private int sharedMembers;

  void routeListener(RouteListener listener) {
    this.routeListener = listener;
  }

  /** Adds or replaces (same session, same key) a subscription. */
  void add(Subscription sub) {
    if (sub.shareGroup() == null) {
      if (regular.add(sub.filter(), sub)) {
        routeListener.routeAdded(sub.filter(), sub.filter());
      }
      return;
    }
    SharedGroup group = groups.get(sub.key());
    if (group == null) {
      group = new SharedGroup(sub.shareGroup(), sub.filter());
      groups.put(sub.key(), group);
      shared.add(sub.filter(), group);
      routeListener.routeAdded(sub.filter(), RouteListener.sharedRouteId(sub.shareGroup(), sub.filter()));
    }
    if (group.put(sub)) {
      sharedMembers++;
    }
  }

  void remove(Subscription sub) {
    if (sub.shareGroup() == null) {
      if (regular.remove(sub.filter(), sub)) {
        routeListener.routeRemoved(sub.filter(), sub.filter());
      }
      return;
    }
    SharedGroup group = groups.get(sub.key());
    if (group != null && group.remove(sub.session())) {
      sharedMembers--;
      if (group.isEmpty()) {
        groups.remove(sub.key());
        shared.remove(sub.filter(), group);
        routeListener.routeRemoved(sub.filter(), RouteListener.sharedRouteId(sub.shareGroup(), sub.filter()));
      }
    }
  }

  void match(String topic, Consumer<Subscription> regularVisitor, Consumer<SharedGroup> sharedVisitor) {
    regular.match(topic, regularVisitor);
    if (sharedMembers > 0) {
      shared.match(topic, sharedVisitor);
    }
  }

  /** Every current route as (filter, route id): the snapshot a link bootstraps its peer with. */
  void forEachRoute(BiConsumer<String, String> consumer) {
    regular.forEachFilter(filter -> consumer.accept(filter, filter));
    groups.values().forEach(g -> consumer.accept(g.filter, RouteListener.sharedRouteId(g.group, g.filter)));
  }

  int size() {
    return regular.size() + sharedMembers;
  }
}
