package io.linkgate.etf;

import java.util.List;

/** An Erlang tuple; elements are immutable and non-null. */
public record Tuple(List<Object> elements) {
  public Tuple {
    elements = List.copyOf(elements);
  }

  public static Tuple of(Object... elements) {
    return new Tuple(List.of(elements));
  }

  public int size() {
    return elements.size();
  }

  public Object get(int index) {
    return elements.get(index);
  }

  /** True for an Erlang record {@code #tag{}}: arity counts the tag element too. */
  public boolean isRecord(String tag, int arity) {
    return elements.size() == arity && elements.get(0) instanceof Atom a && a.name().equals(tag);
  }

  @Override
  public String toString() {
    return TermFormatter.format(this);
  }
}
