package io.linkgate.broker;

/**
 * Told when a topic filter gets its first local subscriber or loses its last one: what cluster links replicate to
 * their peers as routes. Called on the broker thread; implementations must not block.
 */
public interface RouteListener {

  RouteListener NONE = new RouteListener() {
    @Override
    public void routeAdded(String filter, String routeId) {
    }

    @Override
    public void routeRemoved(String filter, String routeId) {
    }
  };

  /**
   * @param filter  the subscribed filter (the inner filter for shared subscriptions)
   * @param routeId the filter itself for regular subscriptions, {@code $s/<group>/<filter>} for shared ones
   */
  void routeAdded(String filter, String routeId);

  void routeRemoved(String filter, String routeId);

  static String sharedRouteId(String group, String filter) {
    return "$s/" + group + "/" + filter;
  }
}
