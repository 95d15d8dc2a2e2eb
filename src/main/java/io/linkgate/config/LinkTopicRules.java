package io.linkgate.config;

import io.linkgate.topic.Topics;
import java.util.ArrayList;
import java.util.List;

/** The rules for a link's {@code topics} beyond single-filter syntax (EMQX {@code emqx_cluster_link_schema}). */
final class LinkTopicRules {

  /** Cluster linking's own control topics; link filters must stay clear of them. */
  static final String RESERVED = "$LINK/cluster/#";

  private LinkTopicRules() {
  }

  /**
   * True when {@code filter} could match a topic under {@code $LINK/cluster/}. EMQX only rejects filters that lie
   * inside that prefix; we also reject wider ones such as {@code $LINK/#}, which would cover the control topics too.
   */
  static boolean overlapsReserved(String filter) {
    return intersect(filter, RESERVED);
  }

  /**
   * The filters covered by another filter of the list, in list order: a filter is redundant when it is a subset of a
   * different filter, or equal to an earlier one. {@code [t/+, g/2, t/1, t/+/#, t]} gives {@code [t/+, t/1]};
   * {@code [t, t]} gives {@code [t]}. Filters must be valid.
   */
  static List<String> redundant(List<String> filters) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < filters.size(); i++) {
      String f = filters.get(i);
      for (int j = 0; j < filters.size(); j++) {
        String other = filters.get(j);
        boolean covered = f.equals(other) ? j < i : j != i && Topics.isSubset(f, other);
        if (covered) {
          out.add(f);
          break;
        }
      }
    }
    return out;
  }

  /** True when some topic name matches both filters (the '$' first-level rule applies). */
  static boolean intersect(String a, String b) {
    String[] x = a.split("/", -1);
    String[] y = b.split("/", -1);
    for (int i = 0; ; i++) {
      boolean xEnd = i >= x.length;
      boolean yEnd = i >= y.length;
      if (!xEnd && x[i].equals("#")) {
        return i > 0 || !dollarWord(y, i);
      }
      if (!yEnd && y[i].equals("#")) {
        return i > 0 || !dollarWord(x, i);
      }
      if (xEnd || yEnd) {
        return xEnd && yEnd;
      }
      if (x[i].equals("+") || y[i].equals("+")) {
        if (i == 0 && (dollarWord(x, 0) || dollarWord(y, 0))) {
          return false;
        }
        continue;
      }
      if (!x[i].equals(y[i])) {
        return false;
      }
    }
  }

  private static boolean dollarWord(String[] levels, int i) {
    return i < levels.length && levels[i].startsWith("$");
  }
}
