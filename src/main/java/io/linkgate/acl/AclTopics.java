package io.linkgate.acl;

/**
 * How an ACL topic filter matches what a client asks for. For a publish that is ordinary MQTT matching. For a
 * subscribe the request is itself a filter: its {@code +} and {@code #} are taken literally, so a rule on
 * {@code a/+} covers a subscription to {@code a/+} or {@code a/x} but a rule on {@code a/x} never covers {@code a/+}
 * (it would receive more than the rule allows). A requested {@code #} level is only covered by a rule's {@code #},
 * which is stricter than EMQX (whose {@code +} also covers a requested {@code #}). As in MQTT, a wildcard at the
 * first level of a rule never matches a topic starting with {@code $}: {@code $SYS/#} or {@code $LINK/#} must be
 * named.
 */
final class AclTopics {
  private AclTopics() {
  }

  static boolean matches(String filter, String topic) {
    if (!topic.isEmpty() && topic.charAt(0) == '$' && !filter.isEmpty()
      && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
      return false;
    }
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true; // also "a/#" against "a", as in MQTT
      }
      if (i >= t.length) {
        return false;
      }
      boolean levelOk = f[i].equals("+") ? !t[i].equals("#") : f[i].equals(t[i]);
      if (!levelOk) {
        return false;
      }
    }
    return f.length == t.length;
  }
}
