package io.linkgate.etf;

import java.util.Objects;

/**
 * An Erlang atom. Java never interns these, so a hostile peer cannot exhaust anything by sending
 * many distinct atoms (unlike {@code binary_to_term} without {@code safe} on the Erlang side).
 */
public record Atom(String name) {
  /** OTP refuses atoms longer than 255 characters. */
  public static final int MAX_CHARS = 255;

  public static final Atom TRUE = new Atom("true");
  public static final Atom FALSE = new Atom("false");
  public static final Atom UNDEFINED = new Atom("undefined");
  public static final Atom OK = new Atom("ok");
  public static final Atom ERROR = new Atom("error");

  public Atom {
    Objects.requireNonNull(name, "name");
    if (name.codePointCount(0, name.length()) > MAX_CHARS) {
      throw new IllegalArgumentException("atom longer than " + MAX_CHARS + " characters");
    }
  }

  public static Atom of(String name) {
    return new Atom(name);
  }

  public static Atom of(boolean value) {
    return value ? TRUE : FALSE;
  }

  @Override
  public String toString() {
    return TermFormatter.format(this);
  }
}
