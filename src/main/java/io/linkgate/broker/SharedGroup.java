package io.linkgate.broker;

import java.util.ArrayList;
import java.util.List;

/**
 * The members of one {@code $share/<group>/<filter>}. Each message goes to one member, round robin, preferring
 * members that are connected. Equality is (group, filter) so the topic trie keeps one entry per group.
 */
final class SharedGroup {
  final String group;
  final String filter;
  private final List<Subscription> members = new ArrayList<>(2);
  private int next;

  SharedGroup(String group, String filter) {
    this.group = group;
    this.filter = filter;
  }

  /** Adds or replaces the member's subscription; returns true if the session was not a member before. */
  boolean put(Subscription sub) {
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).session() == sub.session()) {
        members.set(i, sub);
        return false;
      }
    }
    members.add(sub);
    return true;
  }

  boolean remove(Session session) {
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).session() == session) {
        members.remove(i);
        if (next > i) {
          next--;
        }
        return true;
      }
    }
    return false;
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  int size() {
    return members.size();
  }

  /**
   * Picks the next member round robin: the first connected one from the cursor, or, when nobody is connected, the
   * next one anyway (its session queues the message). {@code exclude} lets a leaving member hand its messages on.
   */
  Subscription pick(Session exclude) {
    int n = members.size();
    Subscription fallback = null;
    for (int i = 0; i < n; i++) {
      int idx = (next + i) % n;
      Subscription candidate = members.get(idx);
      if (candidate.session() == exclude) {
        continue;
      }
      if (candidate.session().isConnected()) {
        next = (idx + 1) % n;
        return candidate;
      }
      if (fallback == null) {
        fallback = candidate;
      }
    }
    if (fallback != null) {
      next = (members.indexOf(fallback) + 1) % n;
    }
    return fallback;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SharedGroup other && other.group.equals(group) && other.filter.equals(filter);
  }

  @Override
  public int hashCode() {
    return group.hashCode() * 31 + filter.hashCode();
  }
}
