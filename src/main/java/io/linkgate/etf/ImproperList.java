package io.linkgate.etf;

import java.util.List;
import java.util.Objects;

/**
 * A list whose tail is not {@code []}, e.g. {@code [a, b | c]}. OTP never builds one for the
 * Cluster Linking payloads; it is represented (not rejected) so that an odd header value cannot
 * make a whole message undecodable. Kept normalised: the tail is never itself a list.
 */
public record ImproperList(List<Object> head, Object tail) {
  public ImproperList {
    head = List.copyOf(head);
    Objects.requireNonNull(tail, "tail");
    if (head.isEmpty()) {
      throw new IllegalArgumentException("improper list needs at least one head element");
    }
    if (tail instanceof List || tail instanceof ImproperList) {
      throw new IllegalArgumentException("tail is a list: flatten it into the head");
    }
  }

  @Override
  public String toString() {
    return TermFormatter.format(this);
  }
}
