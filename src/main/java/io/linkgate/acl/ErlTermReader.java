package io.linkgate.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the Erlang term syntax of an ACL file: a sequence of terms, each ended by a full stop, with {@code %}
 * comments. Only what ACL files use is understood: atoms (bare or {@code 'quoted'}), {@code "strings"}, integers,
 * tuples and lists. Anything else is an error with its line, never silently skipped.
 */
final class ErlTermReader {
  private final String text;
  private int pos;
  private int line = 1;

  private ErlTermReader(String text) {
    this.text = text;
  }

  /** Every term of the text, in order. */
  static List<ErlTerm> readAll(String text) throws AclSyntaxException {
    ErlTermReader reader = new ErlTermReader(text);
    List<ErlTerm> terms = new ArrayList<>();
    while (true) {
      reader.skipBlanks();
      if (reader.pos >= text.length()) {
        return terms;
      }
      ErlTerm term = reader.term();
      reader.skipBlanks();
      if (reader.pos >= text.length() || text.charAt(reader.pos) != '.') {
        throw reader.error("expected '.' to end the rule that starts on line " + term.line()
          + (reader.pos >= text.length() ? ", found the end of the file" : ", found " + reader.found()));
      }
      reader.pos++;
      terms.add(term);
    }
  }

  private ErlTerm term() throws AclSyntaxException {
    skipBlanks();
    if (pos >= text.length()) {
      throw error("unexpected end of file");
    }
    char c = text.charAt(pos);
    int at = line;
    if (c == '{') {
      pos++;
      return new ErlTerm.Tuple(sequence('}'), at);
    }
    if (c == '[') {
      pos++;
      return new ErlTerm.ListTerm(sequence(']'), at);
    }
    if (c == '"') {
      return new ErlTerm.Str(quoted('"'), at);
    }
    if (c == '\'') {
      return new ErlTerm.Atom(quoted('\''), at);
    }
    if (Character.isDigit(c) || c == '-' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1))) {
      int start = pos++;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      try {
        return new ErlTerm.Int(Long.parseLong(text.substring(start, pos)), at);
      } catch (NumberFormatException e) {
        throw error("number too large: " + text.substring(start, pos));
      }
    }
    if (c >= 'a' && c <= 'z') {
      int start = pos;
      while (pos < text.length() && isAtomChar(text.charAt(pos))) {
        pos++;
      }
      return new ErlTerm.Atom(text.substring(start, pos), at);
    }
    throw error("unexpected " + found());
  }

  private static boolean isAtomChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '@';
  }

  /** Comma-separated terms up to {@code close}; the opening bracket is already read. */
  private List<ErlTerm> sequence(char close) throws AclSyntaxException {
    List<ErlTerm> out = new ArrayList<>();
    skipBlanks();
    if (pos < text.length() && text.charAt(pos) == close) {
      pos++;
      return out;
    }
    while (true) {
      out.add(term());
      skipBlanks();
      if (pos >= text.length()) {
        throw error("missing '" + close + "' before the end of the file");
      }
      char c = text.charAt(pos++);
      if (c == close) {
        return out;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '" + close + "', found " + found());
      }
    }
  }

  /** A quoted string or atom with Erlang's common escapes. */
  private String quoted(char quote) throws AclSyntaxException {
    int startLine = line;
    pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == quote) {
        return sb.toString();
      }
      if (c == '\n') {
        line++;
      }
      if (c == '\\' && pos < text.length()) {
        char e = text.charAt(pos++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 's' -> sb.append(' ');
          // anything else stands for itself, as in Erlang: \" \\ \' (so "\\." is a regex's escaped dot)
          default -> sb.append(e);
        }
        continue;
      }
      sb.append(c);
    }
    throw new AclSyntaxException(startLine, "unterminated " + (quote == '"' ? "string" : "quoted atom"));
  }

  private void skipBlanks() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '%') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == '\n') {
        line++;
        pos++;
      } else if (Character.isWhitespace(c)) {
        pos++;
      } else {
        return;
      }
    }
  }

  private String found() {
    if (pos >= text.length()) {
      return "the end of the file";
    }
    int end = Math.min(text.length(), pos + 12);
    String snippet = text.substring(pos, end);
    int nl = snippet.indexOf('\n');
    return "\"" + (nl >= 0 ? snippet.substring(0, nl) : snippet) + "\"";
  }

  private AclSyntaxException error(String message) {
    return new AclSyntaxException(line, message);
  }
}
