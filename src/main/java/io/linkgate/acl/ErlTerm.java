package io.linkgate.acl;

import java.util.List;

/**
 * The few Erlang terms an EMQX ACL file is written in, each with the line it starts on (for error messages).
 * Strings are Erlang strings ({@code "..."}, which Erlang reads as a list of characters; we keep them as text).
 */
sealed interface ErlTerm {

  int line();

  record Atom(String name, int line) implements ErlTerm {
    @Override
    public String toString() {
      return name;
    }
  }

  record Str(String text, int line) implements ErlTerm {
    @Override
    public String toString() {
      return "\"" + text + "\"";
    }
  }

  record Int(long value, int line) implements ErlTerm {
    @Override
    public String toString() {
      return Long.toString(value);
    }
  }

  record Tuple(List<ErlTerm> elements, int line) implements ErlTerm {
    @Override
    public String toString() {
      return "{" + String.join(", ", elements.stream().map(Object::toString).toList()) + "}";
    }
  }

  record ListTerm(List<ErlTerm> elements, int line) implements ErlTerm {
    @Override
    public String toString() {
      return "[" + String.join(", ", elements.stream().map(Object::toString).toList()) + "]";
    }
  }

  /** True when this is the atom {@code name}. */
  default boolean isAtom(String name) {
    return this instanceof Atom a && a.name().equals(name);
  }
}
