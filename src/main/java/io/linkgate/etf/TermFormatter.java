package io.linkgate.etf;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints terms in Erlang source syntax, e.g. {@code {'$op', <<"route">>, [1,2]}}, so that logs
 * and error messages read like EMQX's, and tests can hand the text to {@code erl_parse}.
 */
final class TermFormatter {
  private static final Set<String> RESERVED = Set.of("after", "and", "andalso", "band", "begin",
      "bnot", "bor", "bsl", "bsr", "bxor", "case", "catch", "cond", "div", "else", "end", "fun",
      "if", "let", "maybe", "not", "of", "or", "orelse", "receive", "rem", "try", "when", "xor");

  private final StringBuilder sb = new StringBuilder();
  private final int max;

  private TermFormatter(int max) {
    this.max = max;
  }

  static String format(Object term) {
    return format(term, Integer.MAX_VALUE);
  }

  /** Stops after about {@code max} characters and appends "...". */
  static String format(Object term, int max) {
    TermFormatter f = new TermFormatter(max);
    f.term(term);
    if (f.sb.length() > max) {
      f.sb.setLength(max);
      f.sb.append("...");
    }
    return f.sb.toString();
  }

  private boolean full() {
    return sb.length() > max;
  }

  private void term(Object t) {
    if (full()) {
      return;
    }
    t = TermOrder.normalize(t);
    if (t instanceof Long || t instanceof java.math.BigInteger) {
      sb.append(t);
    } else if (t instanceof Double d) {
      sb.append(d.toString().replace('E', 'e'));
    } else if (t instanceof Atom a) {
      atom(a.name());
    } else if (t instanceof Binary b) {
      binary(b);
    } else if (t instanceof Tuple tuple) {
      sb.append('{');
      seq(tuple.elements());
      sb.append('}');
    } else if (t instanceof List<?> list) {
      sb.append('[');
      seq(list);
      sb.append(']');
    } else if (t instanceof ImproperList il) {
      sb.append('[');
      seq(il.head());
      sb.append('|');
      term(il.tail());
      sb.append(']');
    } else if (t instanceof Map<?, ?> map) {
      map(map);
    } else if (t instanceof OpaqueTerm o) {
      sb.append("#").append(o.kind()).append("<");
      binary(o.body());
      sb.append(">");
    } else {
      sb.append("?").append(t == null ? "null" : t.getClass().getSimpleName());
    }
  }

  private void seq(List<?> items) {
    for (int i = 0; i < items.size() && !full(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      term(items.get(i));
    }
  }

  private void map(Map<?, ?> map) {
    sb.append("#{");
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (full()) {
        break;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      term(e.getKey());
      sb.append(" => ");
      term(e.getValue());
    }
    sb.append('}');
  }

  private void atom(String name) {
    if (name.matches("[a-z][a-zA-Z0-9_@]*") && !RESERVED.contains(name)) {
      sb.append(name);
      return;
    }
    sb.append('\'');
    name.codePoints().forEach(c -> escaped(c, '\''));
    sb.append('\'');
  }

  private void binary(Binary b) {
    boolean printable = true;
    for (int i = 0; i < b.size() && printable; i++) {
      int c = b.byteAt(i) & 0xFF;
      printable = c >= 0x20 && c < 0x7F;
    }
    sb.append("<<");
    if (printable && b.size() > 0) {
      sb.append('"');
      for (int i = 0; i < b.size() && !full(); i++) {
        escaped(b.byteAt(i) & 0xFF, '"');
      }
      sb.append('"');
    } else {
      for (int i = 0; i < b.size() && !full(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(b.byteAt(i) & 0xFF);
      }
    }
    sb.append(">>");
  }

  private void escaped(int c, char quote) {
    if (c == quote || c == '\\') {
      sb.append('\\').appendCodePoint(c);
    } else if (c < 0x20 || c == 0x7F) {
      sb.append("\\x{").append(Integer.toHexString(c)).append('}');
    } else {
      sb.appendCodePoint(c);
    }
  }
}
