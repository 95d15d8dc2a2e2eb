package io.linkgate.acl;

import io.linkgate.acl.ErlTerm.Atom;
import io.linkgate.acl.ErlTerm.Int;
import io.linkgate.acl.ErlTerm.ListTerm;
import io.linkgate.acl.ErlTerm.Str;
import io.linkgate.acl.ErlTerm.Tuple;
import io.linkgate.topic.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns an EMQX {@code acl.conf} into {@link AclRules}. The syntax is EMQX's file source:
 * <pre>
 * {allow | deny, Who, Action, Topics}.      {allow | deny, all}.
 * Who     = all | {username | user, "name" | {re, "regex"}} | {clientid | client, "id" | {re, "regex"}}
 *         | {ipaddr, "10.0.0.0/8"} | {ipaddrs, ["...", ...]} | {'and', [Who, ...]} | {'or', [Who, ...]}
 * Action  = all | publish | subscribe | {Kind, [{qos, 0..2 | [0..2, ...]}, {retain, true | false | all}]}
 * Topics  = ["filter with %u %c ${username} ${clientid}", {eq, "literal"}, ...]
 * </pre>
 * Every rule is checked at load, so a mistake is reported with its line instead of silently never matching.
 */
public final class AclParser {
  private AclParser() {
  }

  /**
   * @param source the file name, kept in each rule for logs
   * @throws AclSyntaxException at the first problem, with its line
   */
  public static AclRules parse(String text, String source) throws AclSyntaxException {
    List<AclRule> rules = new ArrayList<>();
    for (ErlTerm term : ErlTermReader.readAll(text)) {
      rules.add(rule(term, source));
    }
    return new AclRules(rules, text);
  }

  private static AclRule rule(ErlTerm term, String source) throws AclSyntaxException {
    if (!(term instanceof Tuple t) || t.elements().size() != 2 && t.elements().size() != 4) {
      throw error(term, "a rule is {allow | deny, Who, Action, Topics} or {allow | deny, all}, got " + term);
    }
    List<ErlTerm> e = t.elements();
    boolean allow = permission(e.get(0));
    if (e.size() == 2) {
      if (!e.get(1).isAtom("all")) {
        throw error(e.get(1), "a two-element rule must be {allow, all} or {deny, all}, got " + term);
      }
      return new AclRule(allow, ClientMatcher.ALL, AclAction.ALL, null, source, term.line());
    }
    return new AclRule(allow, who(e.get(1)), action(e.get(2)), topics(e.get(3)), source, term.line());
  }

  private static boolean permission(ErlTerm term) throws AclSyntaxException {
    if (term.isAtom("allow")) {
      return true;
    }
    if (term.isAtom("deny")) {
      return false;
    }
    throw error(term, "expected allow or deny, got " + term);
  }

  // ---- who ----

  private static ClientMatcher who(ErlTerm term) throws AclSyntaxException {
    if (term.isAtom("all")) {
      return ClientMatcher.ALL;
    }
    if (!(term instanceof Tuple t) || t.elements().size() != 2 || !(t.elements().get(0) instanceof Atom kind)) {
      throw error(term, "expected all, {username, ...}, {clientid, ...}, {ipaddr, ...}, {ipaddrs, [...]}, "
        + "{'and', [...]} or {'or', [...]}, got " + term);
    }
    ErlTerm arg = t.elements().get(1);
    return switch (kind.name()) {
      case "username", "user" -> stringOrRegex(arg, ClientMatcher::username, ClientMatcher::usernameRegex);
      case "clientid", "client" -> stringOrRegex(arg, ClientMatcher::clientId, ClientMatcher::clientIdRegex);
      case "ipaddr" -> ClientMatcher.ipAddresses(List.of(cidr(arg)));
      case "ipaddrs" -> {
        List<Cidr> ranges = new ArrayList<>();
        for (ErlTerm a : list(arg, "ipaddrs")) {
          ranges.add(cidr(a));
        }
        yield ClientMatcher.ipAddresses(List.copyOf(ranges));
      }
      case "and", "or" -> {
        List<ClientMatcher> parts = new ArrayList<>();
        for (ErlTerm a : list(arg, kind.name())) {
          parts.add(who(a));
        }
        if (parts.isEmpty()) {
          throw error(arg, "'" + kind.name() + "' needs at least one condition");
        }
        yield kind.name().equals("and") ? ClientMatcher.and(List.copyOf(parts)) : ClientMatcher.or(List.copyOf(parts));
      }
      default -> throw error(kind, "unknown condition '" + kind.name() + "': expected username, user, clientid, "
        + "client, ipaddr, ipaddrs, 'and' or 'or'");
    };
  }

  private interface Exact {
    ClientMatcher of(String text);
  }

  private interface Regex {
    ClientMatcher of(Pattern pattern);
  }

  private static ClientMatcher stringOrRegex(ErlTerm arg, Exact exact, Regex regex) throws AclSyntaxException {
    if (arg instanceof Str s) {
      return exact.of(s.text());
    }
    if (arg instanceof Tuple t && t.elements().size() == 2 && t.elements().get(0).isAtom("re")
      && t.elements().get(1) instanceof Str re) {
      return regex.of(compile(re));
    }
    throw error(arg, "expected a string or {re, \"regex\"}, got " + arg);
  }

  private static Pattern compile(Str re) throws AclSyntaxException {
    try {
      return Pattern.compile(re.text());
    } catch (PatternSyntaxException e) {
      throw error(re, "invalid regular expression " + re + ": " + e.getDescription());
    }
  }

  private static Cidr cidr(ErlTerm term) throws AclSyntaxException {
    if (!(term instanceof Str s)) {
      throw error(term, "expected an address such as \"10.0.0.0/8\", got " + term);
    }
    try {
      return Cidr.parse(s.text());
    } catch (IllegalArgumentException e) {
      throw error(term, e.getMessage());
    }
  }

  // ---- action ----

  private static AclAction action(ErlTerm term) throws AclSyntaxException {
    if (term instanceof Atom a) {
      return new AclAction(kind(a), AclAction.ANY_QOS, null);
    }
    if (term instanceof Tuple t && t.elements().size() == 2 && t.elements().get(0) instanceof Atom a) {
      AclAction.Kind kind = kind(a);
      int qosMask = AclAction.ANY_QOS;
      Boolean retain = null;
      for (ErlTerm opt : list(t.elements().get(1), a.name())) {
        if (!(opt instanceof Tuple o) || o.elements().size() != 2 || !(o.elements().get(0) instanceof Atom name)) {
          throw error(opt, "expected {qos, ...} or {retain, ...}, got " + opt);
        }
        ErlTerm value = o.elements().get(1);
        switch (name.name()) {
          case "qos" -> qosMask = qosMask(value);
          case "retain" -> {
            if (kind == AclAction.Kind.SUBSCRIBE) {
              throw error(opt, "{retain, ...} applies to publish (or all), not subscribe");
            }
            retain = retain(value);
          }
          default -> throw error(opt, "unknown action option '" + name.name() + "': expected qos or retain");
        }
      }
      return new AclAction(kind, qosMask, retain);
    }
    throw error(term, "expected publish, subscribe, all or {publish, [{qos, ...}, {retain, ...}]}, got " + term);
  }

  private static AclAction.Kind kind(Atom a) throws AclSyntaxException {
    return switch (a.name()) {
      case "publish" -> AclAction.Kind.PUBLISH;
      case "subscribe" -> AclAction.Kind.SUBSCRIBE;
      case "all", "pubsub" -> AclAction.Kind.ALL;
      default -> throw error(a, "unknown action '" + a.name() + "': expected publish, subscribe or all");
    };
  }

  private static int qosMask(ErlTerm value) throws AclSyntaxException {
    List<ErlTerm> values = value instanceof ListTerm l ? l.elements() : List.of(value);
    int mask = 0;
    for (ErlTerm v : values) {
      if (!(v instanceof Int i) || i.value() < 0 || i.value() > 2) {
        throw error(v, "a QoS is 0, 1 or 2, got " + v);
      }
      mask |= 1 << i.value();
    }
    if (mask == 0) {
      throw error(value, "{qos, []} would never match; list at least one QoS");
    }
    return mask;
  }

  private static Boolean retain(ErlTerm value) throws AclSyntaxException {
    if (value.isAtom("true")) {
      return Boolean.TRUE;
    }
    if (value.isAtom("false")) {
      return Boolean.FALSE;
    }
    if (value.isAtom("all")) {
      return null;
    }
    throw error(value, "retain is true, false or all, got " + value);
  }

  // ---- topics ----

  private static List<TopicMatcher> topics(ErlTerm term) throws AclSyntaxException {
    List<TopicMatcher> out = new ArrayList<>();
    for (ErlTerm t : list(term, "the topic list")) {
      if (t instanceof Str s) {
        out.add(TopicMatcher.Filter.of(checkedFilter(s)));
      } else if (t instanceof Tuple eq && eq.elements().size() == 2 && eq.elements().get(0).isAtom("eq")
        && eq.elements().get(1) instanceof Str s) {
        out.add(new TopicMatcher.Eq(s.text()));
      } else {
        throw error(t, "a topic is \"filter\" or {eq, \"topic\"}, got " + t);
      }
    }
    return List.copyOf(out);
  }

  private static String checkedFilter(Str s) throws AclSyntaxException {
    Topics.SharedFilter shared = Topics.parseShared(s.text());
    String filter = shared == null ? s.text() : shared.filter();
    String invalid = Topics.validateFilter(filter, Integer.MAX_VALUE);
    if (invalid != null) {
      throw error(s, "invalid topic filter " + s + ": " + invalid);
    }
    return filter;
  }

  private static List<ErlTerm> list(ErlTerm term, String what) throws AclSyntaxException {
    if (term instanceof ListTerm l) {
      return l.elements();
    }
    throw error(term, what + " must be a list [...], got " + term);
  }

  private static AclSyntaxException error(ErlTerm at, String message) {
    return new AclSyntaxException(at.line(), message);
  }
}
