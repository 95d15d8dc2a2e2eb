package io.linkgate.acl;

import io.linkgate.broker.ClientInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.linkgate.acl.AclRules.Decision.ALLOW;
import static io.linkgate.acl.AclRules.Decision.DENY;
import static io.linkgate.acl.AclRules.Decision.NO_MATCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The EMQX acl.conf syntax, form by form, and what each rule matches. */
class AclParserTest {

  static ClientInfo client(String clientId, String username, String ip) {
    return new ClientInfo(clientId, username, ip, "tcp:default", 5);
  }

  static final ClientInfo ALICE = client("alice-1", "alice", "10.1.2.3");

  static AclRules.Decision pub(AclRules rules, ClientInfo c, String topic) {
    return pub(rules, c, topic, 0, false);
  }

  static AclRules.Decision pub(AclRules rules, ClientInfo c, String topic, int qos, boolean retain) {
    return rules.check(c, new AclAction.Request(true, topic, qos, retain), topic);
  }

  static AclRules.Decision sub(AclRules rules, ClientInfo c, String filter) {
    return rules.check(c, new AclAction.Request(false, filter, 0, false), filter);
  }

  static AclRules parse(String text) throws AclSyntaxException {
    return AclParser.parse(text, "test.conf");
  }

  @Test
  void theSeedRuleWorksAsPasted() throws Exception {
    AclRules rules = parse("""
      %% Allow Cluster Linking MQTT clients to operate with "$LINK/#" topics
      {allow, {clientid, {re, "^clink-us-east"}}, all, ["$LINK/#"]}.
      """);
    ClientInfo link = client("clink-us-east:routesync:1a2b3c4d", "clink-user:us-east", "10.0.0.9");
    assertThat(pub(rules, link, "$LINK/cluster/route/emqx-eu-west")).isEqualTo(ALLOW);
    assertThat(sub(rules, link, "$LINK/cluster/route-resp/x/#")).isEqualTo(ALLOW);
    assertThat(pub(rules, client("clink-us-west", null, "10.0.0.9"), "$LINK/cluster/msg/x")).isEqualTo(NO_MATCH);
    assertThat(pub(rules, link, "other/topic")).isEqualTo(NO_MATCH);
  }

  @Test
  void allowAllAndDenyAllMatchEverythingIncludingDollarTopics() throws Exception {
    assertThat(pub(parse("{allow, all}."), ALICE, "$SYS/x")).isEqualTo(ALLOW);
    assertThat(sub(parse("{deny, all}."), ALICE, "#")).isEqualTo(DENY);
  }

  @Test
  void firstMatchWins() throws Exception {
    AclRules rules = parse("""
      {deny, {username, "alice"}, publish, ["a/#"]}.
      {allow, all, all, ["a/#"]}.
      {deny, all}.
      """);
    assertThat(pub(rules, ALICE, "a/b")).isEqualTo(DENY);
    assertThat(sub(rules, ALICE, "a/b")).isEqualTo(ALLOW);
    assertThat(pub(rules, client("bob", "bob", "1.1.1.1"), "a/b")).isEqualTo(ALLOW);
    assertThat(pub(rules, ALICE, "b")).isEqualTo(DENY);
  }

  @Test
  void whoForms() throws Exception {
    AclRules rules = parse("""
      {allow, {username, "alice"}, publish, ["u/exact"]}.
      {allow, {user, {re, "^ali"}}, publish, ["u/re"]}.
      {allow, {clientid, "alice-1"}, publish, ["c/exact"]}.
      {allow, {client, {re, "-1$"}}, publish, ["c/re"]}.
      {allow, {ipaddr, "10.0.0.0/8"}, publish, ["ip/cidr"]}.
      {allow, {ipaddr, "10.1.2.3"}, publish, ["ip/one"]}.
      {allow, {ipaddrs, ["192.168.0.0/16", "10.1.2.0/24"]}, publish, ["ip/many"]}.
      {allow, {'and', [{username, "alice"}, {ipaddr, "10.1.0.0/16"}]}, publish, ["and"]}.
      {allow, {'and', [{username, "alice"}, {ipaddr, "11.0.0.0/8"}]}, publish, ["and/no"]}.
      {allow, {'or', [{username, "nobody"}, {clientid, "alice-1"}]}, publish, ["or"]}.
      {allow, {'or', [{username, "nobody"}, {clientid, "x"}]}, publish, ["or/no"]}.
      """);
    for (String yes : List.of("u/exact", "u/re", "c/exact", "c/re", "ip/cidr", "ip/one", "ip/many", "and", "or")) {
      assertThat(pub(rules, ALICE, yes)).as(yes).isEqualTo(ALLOW);
    }
    assertThat(pub(rules, ALICE, "and/no")).isEqualTo(NO_MATCH);
    assertThat(pub(rules, ALICE, "or/no")).isEqualTo(NO_MATCH);
    ClientInfo other = client("bob-2", "bob", "172.16.0.1");
    for (String no : List.of("u/exact", "u/re", "c/exact", "c/re", "ip/cidr", "ip/one", "ip/many", "and", "or")) {
      assertThat(pub(rules, other, no)).as(no).isEqualTo(NO_MATCH);
    }
    assertThat(pub(rules, client("x", null, "10.9.9.9"), "u/re")).as("no username").isEqualTo(NO_MATCH);
  }

  @Test
  void ipv6AndMappedAddresses() throws Exception {
    AclRules rules = parse("{allow, {ipaddrs, [\"::1\", \"fd00::/8\", \"127.0.0.1\"]}, all, [\"#\"]}.");
    assertThat(pub(rules, client("a", null, "::1"), "t")).isEqualTo(ALLOW);
    assertThat(pub(rules, client("a", null, "fd12:3456::1"), "t")).isEqualTo(ALLOW);
    assertThat(pub(rules, client("a", null, "::ffff:127.0.0.1"), "t")).isEqualTo(ALLOW);
    assertThat(pub(rules, client("a", null, "fe80::1"), "t")).isEqualTo(NO_MATCH);
    assertThat(pub(rules, client("a", null, "not-an-ip"), "t")).isEqualTo(NO_MATCH);
  }

  @Test
  void actionForms() throws Exception {
    AclRules rules = parse("""
      {allow, all, publish, ["p"]}.
      {allow, all, subscribe, ["s"]}.
      {allow, all, all, ["both"]}.
      {allow, all, {publish, [{qos, [1, 2]}, {retain, true}]}, ["q12r"]}.
      {allow, all, {subscribe, [{qos, 0}]}, ["sq0"]}.
      {allow, all, {all, [{retain, false}]}, ["noretain"]}.
      """);
    assertThat(pub(rules, ALICE, "p")).isEqualTo(ALLOW);
    assertThat(sub(rules, ALICE, "p")).isEqualTo(NO_MATCH);
    assertThat(sub(rules, ALICE, "s")).isEqualTo(ALLOW);
    assertThat(pub(rules, ALICE, "s")).isEqualTo(NO_MATCH);
    assertThat(pub(rules, ALICE, "both")).isEqualTo(ALLOW);
    assertThat(sub(rules, ALICE, "both")).isEqualTo(ALLOW);
    assertThat(pub(rules, ALICE, "q12r", 1, true)).isEqualTo(ALLOW);
    assertThat(pub(rules, ALICE, "q12r", 0, true)).isEqualTo(NO_MATCH);
    assertThat(pub(rules, ALICE, "q12r", 2, false)).isEqualTo(NO_MATCH);
    assertThat(sub(rules, ALICE, "sq0")).isEqualTo(ALLOW);
    assertThat(rules.check(ALICE, new AclAction.Request(false, "sq0", 1, false), "sq0")).isEqualTo(NO_MATCH);
    assertThat(pub(rules, ALICE, "noretain", 0, true)).isEqualTo(NO_MATCH);
    assertThat(pub(rules, ALICE, "noretain", 0, false)).isEqualTo(ALLOW);
    assertThat(sub(rules, ALICE, "noretain")).isEqualTo(ALLOW);
  }

  @Test
  void placeholdersAreFilledPerClient() throws Exception {
    AclRules rules = parse("""
      {allow, all, all, ["users/%u/#", "clients/%c/#", "u2/${username}", "c2/${clientid}/+"]}.
      """);
    assertThat(pub(rules, ALICE, "users/alice/x")).isEqualTo(ALLOW);
    assertThat(pub(rules, ALICE, "users/bob/x")).isEqualTo(NO_MATCH);
    assertThat(pub(rules, ALICE, "clients/alice-1")).isEqualTo(ALLOW);
    assertThat(pub(rules, ALICE, "u2/alice")).isEqualTo(ALLOW);
    assertThat(sub(rules, ALICE, "c2/alice-1/+")).isEqualTo(ALLOW);
    assertThat(pub(rules, client("anon", null, "1.2.3.4"), "users//x")).as("no username, no match")
      .isEqualTo(NO_MATCH);
  }

  @Test
  void eqMatchesOnlyTheLiteralFilter() throws Exception {
    AclRules rules = parse("{deny, all, subscribe, [{eq, \"#\"}, {eq, \"a/+\"}]}.");
    assertThat(sub(rules, ALICE, "#")).isEqualTo(DENY);
    assertThat(sub(rules, ALICE, "a/+")).isEqualTo(DENY);
    assertThat(sub(rules, ALICE, "a/b")).isEqualTo(NO_MATCH);
    assertThat(sub(rules, ALICE, "x/#")).isEqualTo(NO_MATCH);
  }

  @ParameterizedTest(name = "rule {0} vs {1} -> {2}")
  @CsvSource({
    "#, a/b, true",
    "#, $SYS/x, false",
    "+/x, $LINK/x, false",
    "$SYS/#, $SYS/brokers, true",
    "$LINK/#, $LINK/cluster/route/b, true",
    "a/#, a, true",
    "a/+, a/b, true",
    "a/+, a/b/c, false",
    "a/b, a/+, false",
    "a/+, a/+, true",
    "a/+, a/#, false",
    "a/#, a/#, true",
    "a/#, a/+/c, true",
    "/+, /x, true",
    "a//b, a//b, true",
  })
  void wildcardSemantics(String rule, String topic, boolean expected) {
    assertThat(AclTopics.matches(rule, topic)).isEqualTo(expected);
  }

  @Test
  void sharedSubscriptionsAreCheckedOnTheirFilter() {
    AclAuthorizer authz = new AclAuthorizer(List.of(sample("{deny, all, subscribe, [{eq, \"#\"}, \"secret/#\"]}.")),
      true, false, true);
    assertThat(authz.canSubscribe(ALICE, "$share/g/#", 0)).isFalse();
    assertThat(authz.canSubscribe(ALICE, "$share/g/secret/x", 0)).isFalse();
    assertThat(authz.canSubscribe(ALICE, "$share/g/public/x", 0)).isTrue();
    assertThat(authz.canSubscribe(ALICE, "$share/g/public/x", 0)).as("from the cache").isTrue();
  }

  @Test
  void noMatchDecidesAndSourcesAreTriedInOrder() {
    AclRules first = sample("{allow, {username, \"alice\"}, all, [\"a\"]}.");
    AclRules second = sample("{deny, all, all, [\"a\", \"b\"]}.");
    AclAuthorizer denyByDefault = new AclAuthorizer(List.of(first, second), false, true, false);
    assertThat(denyByDefault.canPublish(ALICE, "a", 0, false)).isTrue();
    assertThat(denyByDefault.canPublish(ALICE, "b", 0, false)).isFalse();
    assertThat(denyByDefault.canPublish(ALICE, "c", 0, false)).as("no_match = deny").isFalse();
    assertThat(denyByDefault.disconnectOnDeny()).isTrue();
    assertThat(new AclAuthorizer(List.of(), true, false, true).canPublish(ALICE, "c", 0, false)).isTrue();
  }

  @Test
  void commentsStringsAndLayout() throws Exception {
    AclRules rules = parse("""
      % a comment
      %% another one, with a rule in it: {deny, all}.
      {allow,
         {username, "quote\\"d"}, % trailing comment
         publish,
         [ "a" , "b\\\\c" ]} .
      """);
    assertThat(rules.size()).isEqualTo(1);
    assertThat(pub(rules, client("c", "quote\"d", "1.1.1.1"), "a")).isEqualTo(ALLOW);
    assertThat(parse("").size()).isZero();
    assertThat(parse("% only comments\n").size()).isZero();
  }

  @Test
  void regexEscapesAreErlangStringEscapes() throws Exception {
    // in an Erlang string "\\." is backslash-dot, i.e. a literal dot in the regex
    AclRules rules = parse("{allow, {clientid, {re, \"^a\\\\.b$\"}}, all, [\"t\"]}.");
    assertThat(pub(rules, client("a.b", null, "1.1.1.1"), "t")).isEqualTo(ALLOW);
    assertThat(pub(rules, client("axb", null, "1.1.1.1"), "t")).isEqualTo(NO_MATCH);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "missing full stop | {allow, all}.\\n{deny, all} | 2 | expected '.'",
    "unknown permission | {maybe, all}. | 1 | expected allow or deny",
    "three elements | \\n\\n{allow, all, publish}. | 3 | a rule is",
    "unknown who | {allow, {group, \"x\"}, all, [\"t\"]}. | 1 | unknown condition 'group'",
    "bad regex | {allow, {clientid, {re, \"(\"}}, all, [\"t\"]}. | 1 | invalid regular expression",
    "bad ip | {allow, {ipaddr, \"example.com\"}, all, [\"t\"]}. | 1 | not an IP address",
    "bad prefix | {allow, {ipaddr, \"10.0.0.0/33\"}, all, [\"t\"]}. | 1 | bad prefix length",
    "unknown action | {allow, all, read, [\"t\"]}. | 1 | unknown action 'read'",
    "bad qos | {allow, all, {publish, [{qos, 3}]}, [\"t\"]}. | 1 | a QoS is 0, 1 or 2",
    "retain on subscribe | {allow, all, {subscribe, [{retain, true}]}, [\"t\"]}. | 1 | applies to publish",
    "unknown option | {allow, all, {publish, [{ttl, 1}]}, [\"t\"]}. | 1 | unknown action option 'ttl'",
    "topics not a list | {allow, all, all, \"t\"}. | 1 | the topic list must be a list",
    "bad topic | {allow, all, all, [\"a/#/b\"]}. | 1 | invalid topic filter",
    "bad topic entry | {allow, all, all, [{re, \"x\"}]}. | 1 | a topic is",
    "unterminated string | \\n{allow, {username, \"x}, all. | 2 | unterminated string",
    "unclosed tuple | {allow, all, all, [\"t\"]. | 1 | expected ',' or '}'",
    "stray character | {allow, all}.\\n\\n  # | 3 | unexpected",
    "two-element not all | {allow, publish}. | 1 | must be {allow, all}",
  })
  void errorsSayWhereAndWhat(String what, String text, int line, String message) {
    String source = text.replace("\\n", "\n");
    assertThatThrownBy(() -> parse(source)).isInstanceOfSatisfying(AclSyntaxException.class, e -> {
      assertThat(e.line()).as(what).isEqualTo(line);
      assertThat(e.getMessage()).as(what).contains(message.strip());
    });
  }

  @Test
  void shippedAclConfIsTheBuiltInDefault() throws Exception {
    String shipped = Files.readString(Path.of("conf/acl.conf"));
    String builtIn = new String(AclRules.class.getResourceAsStream(AclRules.DEFAULT_RESOURCE).readAllBytes(),
      java.nio.charset.StandardCharsets.UTF_8);
    assertThat(shipped).isEqualTo(builtIn);
    assertThat(AclParser.parse(shipped, "conf/acl.conf")).isEqualTo(AclRules.defaults());
  }

  @Test
  void defaultRulesKeepLinkTopicsToLinkClientsAndSysToMonitors() {
    AclRules rules = AclRules.defaults();
    ClientInfo linkRoute = client("linkgate:routesync:0a1b2c3d", null, "10.0.0.5");
    ClientInfo linkMsg = client("clink-us-east:msg:0a1b2c3d:7", null, "10.0.0.5");
    ClientInfo ordinary = client("sensor-1", "sensor", "10.0.0.6");
    ClientInfo local = client("tool", null, "127.0.0.1");
    assertThat(pub(rules, linkRoute, "$LINK/cluster/route/peer")).isEqualTo(ALLOW);
    assertThat(sub(rules, linkRoute, "$LINK/cluster/resp/peer/x")).isEqualTo(ALLOW);
    assertThat(pub(rules, linkMsg, "$LINK/cluster/msg/peer")).isEqualTo(ALLOW);
    assertThat(pub(rules, ordinary, "$LINK/cluster/msg/peer")).isEqualTo(DENY);
    assertThat(pub(rules, client("x:routesync:nothex!!", null, "10.0.0.5"), "$LINK/cluster/route/p")).isEqualTo(DENY);
    assertThat(pub(rules, local, "$LINK/cluster/route/peer")).as("localhost is no exception").isEqualTo(DENY);
    assertThat(sub(rules, ordinary, "$SYS/#")).isEqualTo(DENY);
    assertThat(sub(rules, ordinary, "#")).isEqualTo(DENY);
    assertThat(sub(rules, ordinary, "+/#")).isEqualTo(DENY);
    assertThat(sub(rules, ordinary, "a/#")).isEqualTo(ALLOW);
    assertThat(pub(rules, ordinary, "a/b")).isEqualTo(ALLOW);
    assertThat(sub(rules, local, "$SYS/#")).isEqualTo(ALLOW);
    assertThat(sub(rules, local, "#")).isEqualTo(ALLOW);
    assertThat(sub(rules, client("mon", "dashboard", "10.0.0.7"), "$SYS/brokers/#")).isEqualTo(ALLOW);
  }

  private static AclRules sample(String text) {
    try {
      return parse(text);
    } catch (AclSyntaxException e) {
      throw new AssertionError(e);
    }
  }
}
