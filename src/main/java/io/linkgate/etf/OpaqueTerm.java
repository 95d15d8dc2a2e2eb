package io.linkgate.etf;

import java.util.Objects;

/**
 * A pid, port or reference, kept as its raw encoding (tag plus body) so it can be re-encoded
 * byte-for-byte. Linkgate never interprets these; EMQX may put them in message headers.
 */
public record OpaqueTerm(int tag, Binary body) {
  public OpaqueTerm {
    Objects.requireNonNull(body, "body");
    if (tag != Tags.NEW_PID && tag != Tags.NEW_PORT && tag != Tags.V4_PORT
        && tag != Tags.NEWER_REFERENCE) {
      throw new IllegalArgumentException("not a pid/port/reference tag: " + tag);
    }
  }

  /** {@code "pid"}, {@code "port"} or {@code "reference"}. */
  public String kind() {
    return switch (tag) {
      case Tags.NEW_PID -> "pid";
      case Tags.NEWER_REFERENCE -> "reference";
      default -> "port";
    };
  }

  @Override
  public String toString() {
    return TermFormatter.format(this);
  }
}
