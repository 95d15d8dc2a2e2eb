package io.linkgate.topic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Filter algebra for cluster linking (EMQX {@code emqx_topic:intersection/union} semantics, see
 * docs/emqx-cluster-link-reference.md §2.1): which part of a local subscription a link's {@code topics} cover, and
 * which link topics are redundant. Pure functions on valid filters; safe on any thread.
 */
public final class TopicIntersection {

  private TopicIntersection() {
  }

  /**
   * The filter matching exactly the topics matched by both {@code a} and {@code b}, or {@code null} if none.
   * Word by word: {@code '#'} takes the other side's remainder, {@code '+'} against a word gives the word,
   * {@code '+'} against {@code '+'} gives {@code '+'}, different words give nothing; a {@code '$'} first word never
   * meets a wildcard at that level. Commutative. Unlike EMQX, an empty result (only the invalid empty topic) is
   * reported as no intersection.
   */
  public static String intersect(String a, String b) {
    String[] x = a.split("/", -1);
    String[] y = b.split("/", -1);
    if (dollarMeetsWildcard(x[0], y[0]) || dollarMeetsWildcard(y[0], x[0])) {
      return null;
    }
    StringBuilder out = new StringBuilder(Math.max(a.length(), b.length()));
    for (int i = 0; ; i++) {
      if (i < y.length && y[i].equals("#")) {
        return appendRest(out, x, i);
      }
      if (i < x.length && x[i].equals("#")) {
        return appendRest(out, y, i);
      }
      if (i == x.length || i == y.length) {
        return i == x.length && i == y.length ? out.toString() : null;
      }
      String word;
      if (x[i].equals(y[i]) || y[i].equals("+")) {
        word = x[i];
      } else if (x[i].equals("+")) {
        word = y[i];
      } else {
        return null;
      }
      if (i > 0) {
        out.append('/');
      }
      out.append(word);
    }
  }

  private static boolean dollarMeetsWildcard(String first, String other) {
    return first.startsWith("$") && (other.equals("+") || other.equals("#"));
  }

  private static String appendRest(StringBuilder out, String[] words, int from) {
    for (int i = from; i < words.length; i++) {
      if (i > 0) {
        out.append('/');
      }
      out.append(words[i]);
    }
    // "+" ^ "/#" would be "": it only covers the empty topic, which is not a valid name, so there is no overlap
    return out.length() == 0 ? null : out.toString();
  }

  /** True when every topic matched by {@code narrow} is matched by {@code wide}; same as {@link Topics#isSubset}. */
  public static boolean isSubset(String narrow, String wide) {
    return Topics.isSubset(narrow, wide);
  }

  /**
   * Drops every filter that is a subset of another one, keeping the first of equal duplicates; survivors keep their
   * order. This is how link {@code topics} are normalised before intersecting.
   */
  public static List<String> union(Collection<String> filters) {
    List<String> in = new ArrayList<>(filters);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      if (!covered(in, i)) {
        out.add(in.get(i));
      }
    }
    return out;
  }

  /**
   * The filters {@link #union} drops, in input order: what link-topic validation reports as redundant
   * ({@code [t/+, g/2, t/1, t/+/#, t]} gives {@code [t/+, t/1]}, {@code [t, t]} gives {@code [t]}).
   */
  public static List<String> redundant(List<String> filters) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < filters.size(); i++) {
      if (covered(filters, i)) {
        out.add(filters.get(i));
      }
    }
    return out;
  }

  /** Subset of another filter, or equal to an earlier one (subset both ways only happens for equal strings). */
  private static boolean covered(List<String> filters, int i) {
    String f = filters.get(i);
    for (int j = 0; j < filters.size(); j++) {
      String g = filters.get(j);
      if (j != i && Topics.isSubset(f, g) && (!f.equals(g) || j < i)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The routes to push for a local subscription filter over one link: its intersections with each link topic, with
   * intersections covered by another one dropped. The order follows EMQX (latest link topic first), e.g. local
   * {@code t/+/+} with link {@code [t/+/1/#, t/z, t/1/+]} gives {@code [t/1/+, t/+/1]}.
   */
  public static List<String> routeIntersections(String localFilter, List<String> linkTopics) {
    List<String> acc = new ArrayList<>();
    for (String linkTopic : linkTopics) {
      String i = intersect(localFilter, linkTopic);
      if (i == null) {
        continue;
      }
      acc.removeIf(f -> Topics.isSubset(f, i));
      boolean coveredByOther = false;
      for (String f : acc) {
        if (Topics.isSubset(i, f)) {
          coveredByOther = true;
          break;
        }
      }
      if (!coveredByOther) {
        acc.add(0, i);
      }
    }
    return acc;
  }
}
