package io.linkgate.etf;

import java.util.Objects;

/**
 * A term Linkgate never interprets, kept as its raw encoding (tag plus body) so it can be re-encoded byte-for-byte:
 * a pid, port or reference, a fun ({@code fun() -> ... end} or {@code fun M:F/A}), or a bitstring that is not a
 * whole number of bytes. EMQX may put any of them in a message's headers or {@code extra} (a tracing context, a
 * callback); they must decode so the message around them can be delivered.
 */
public record OpaqueTerm(int tag, Binary body) {
  public OpaqueTerm {
    Objects.requireNonNull(body, "body");
    if (tag != Tags.NEW_PID && tag != Tags.NEW_PORT && tag != Tags.V4_PORT && tag != Tags.NEWER_REFERENCE
        && tag != Tags.NEW_FUN && tag != Tags.EXPORT && tag != Tags.BIT_BINARY) {
      throw new IllegalArgumentException("not a pid/port/reference/fun/bitstring tag: " + tag);
    }
  }

  /** {@code "pid"}, {@code "port"}, {@code "reference"}, {@code "fun"} or {@code "bitstring"}. */
  public String kind() {
    return switch (tag) {
      case Tags.NEW_PID -> "pid";
      case Tags.NEWER_REFERENCE -> "reference";
      case Tags.NEW_FUN, Tags.EXPORT -> "fun";
      case Tags.BIT_BINARY -> "bitstring";
      default -> "port";
    };
  }

  @Override
  public String toString() {
    return TermFormatter.format(this);
  }
}
