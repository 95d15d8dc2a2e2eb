package io.linkgate.broker;

/**
 * One subscription of a session. Equality is the session (and share group), so re-subscribing to a filter replaces
 * the options in the topic trie instead of adding a second entry.
 *
 * @param filter         the topic filter without any {@code $share/<group>/} prefix
 * @param shareGroup     the share group name, or {@code null} for a regular subscription
 * @param subscriptionId MQTT 5 subscription identifier, 0 when none
 */
public record Subscription(
  Session session,
  String filter,
  String shareGroup,
  int qos,
  boolean noLocal,
  boolean retainAsPublished,
  int retainHandling,
  int subscriptionId) {

  /** The key under which the session stores this subscription: the filter as the client wrote it. */
  public String key() {
    return shareGroup == null ? filter : "$share/" + shareGroup + "/" + filter;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Subscription other && other.session == session
      && java.util.Objects.equals(other.shareGroup, shareGroup);
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(session) * 31 + (shareGroup == null ? 0 : shareGroup.hashCode());
  }
}
