package io.linkgate.config;

import static io.linkgate.config.ConfigTestSupport.errors;
import static io.linkgate.config.ConfigTestSupport.linkErrors;
import static io.linkgate.config.ConfigTestSupport.validLink;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Link rules of the EMQX reference §3, §4 and §7 (items 23, 30, 34), with exact messages and paths. */
class LinkValidationTest {

  private static final String OK = "name = peer, server = \"127.0.0.1:1883\", ";

  @Test
  void minimalLinkTakesEmqxDefaults() {
    LinkOptions link = validLink(OK + "topics = []");
    assertThat(link.enable()).isTrue();
    assertThat(link.topics()).isEmpty();
    assertThat(link.clientid()).isNull();
    assertThat(link.effectiveClientIdBase("local")).isEqualTo("local");
    assertThat(link.poolSize()).isEqualTo(8);
    assertThat(link.maxInflight()).isEqualTo(32);
    assertThat(link.retryInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(link.keepalive()).isEqualTo(Duration.ofSeconds(60));
    assertThat(link.ssl()).isEqualTo(SslOptions.DEFAULT);
    assertThat(link.ssl().verify()).isEqualTo("verify_none");
    assertThat(link.tcpOpts()).isEqualTo(TcpOptions.DEFAULT);
    ResourceOptions r = link.resourceOpts();
    assertThat(r).isEqualTo(ResourceOptions.DEFAULT);
    assertThat(r.workerPoolSize()).isEqualTo(16);
    assertThat(r.dispatchStrategy()).isEqualTo("per_clientid");
    assertThat(r.healthCheckInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(r.healthCheckIntervalJitter()).isEqualTo(Duration.ZERO);
    assertThat(r.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(r.startTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(r.requestTtl()).isEqualTo(Duration.ofSeconds(45));
    assertThat(r.inflightWindow()).isEqualTo(100);
    assertThat(r.maxBufferBytes()).isEqualTo(256L * 1024 * 1024);
  }

  @Test
  void missingRequiredKeys() {
    assertThat(linkErrors("enable = true")).containsExactly(
        "cluster.links[0].name: missing required key",
        "cluster.links[0].server: missing required key",
        "cluster.links[0].topics: missing required key");
  }

  @Test
  void emptyName() {
    assertThat(linkErrors("name = \"\", server = \"h\", topics = []"))
        .containsExactly("cluster.links[0].name: Name cannot be empty string");
  }

  @Test
  void nameOf256Chars() {
    assertThat(linkErrors("name = " + "a".repeat(256) + ", server = \"h\", topics = []"))
        .containsExactly("cluster.links[0].name: Name length must be less than 255");
    assertThat(linkErrors("name = " + "a".repeat(254) + ", server = \"h\", topics = []")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"'a/b'", "'a+'", "'#'"})
  void nameWithSpecialChars(String name) {
    assertThat(linkErrors("name = \"" + name + "\", server = \"h\", topics = []")).singleElement().asString()
        .startsWith("cluster.links[0].name: Invalid name format: '");
  }

  @Test
  void nameMayUseDigitsHyphensUnderscores() {
    assertThat(validLink("name = \"0eu-west_2\", server = \"h\", topics = []").name()).isEqualTo("0eu-west_2");
  }

  @Test
  void nameMustNotBeOurOwnClusterName() {
    assertThat(errors("cluster { name = me, links = [ { name = me, server = h, topics = [] } ] }"))
        .containsExactly("cluster.links[0].name: must not be this cluster's own name \"me\" (cluster.name): "
            + "a link is named after the peer cluster");
  }

  @Test
  void clusterNameUsesTheLinkNameFormat() {
    assertThat(errors("cluster.name = \"eu/west\"")).containsExactly("cluster.name: Invalid name format: '/' is not"
        + " allowed (a cluster name is one level of the $LINK/cluster/<name> topics: no '/', '+', '#' or control"
        + " characters)");
  }

  @Test
  void duplicateNames() {
    assertThat(errors("""
        cluster.links = [
          {name = a, server = h1, topics = []}
          {name = b, server = h2, topics = []}
          {name = a, server = h3, topics = []}
          {name = b, server = h4, topics = []}
          {name = a, server = h5, topics = []}
        ]
        """)).containsExactly("cluster.links: duplicate link names [a, b]: each peer cluster may be linked once "
        + "(duplicated_cluster_links)");
  }

  @Test
  void linkToAnUnknownClusterAndValidVariantsPass() {
    assertThat(linkErrors(OK + "topics = [], pool_size = 1")).isEmpty();
    assertThat(linkErrors(OK + "topics = [\"#\"], clientid = c, username = u")).isEmpty();
  }

  // ---- topics

  @Test
  void reservedLinkTopicsAreNotAllowed() {
    assertThat(linkErrors(OK + "topics = [\"$LINK/cluster/test/#\", \"$LINK/#\", \"$LINK/cluster/route/x\"]"))
        .containsExactly(
            "cluster.links[0].topics[0]: topic filter \"$LINK/cluster/test/#\" is not allowed: it overlaps "
                + "\"$LINK/cluster/#\", which cluster linking reserves (topic_not_allowed)",
            "cluster.links[0].topics[1]: topic filter \"$LINK/#\" is not allowed: it overlaps "
                + "\"$LINK/cluster/#\", which cluster linking reserves (topic_not_allowed)",
            "cluster.links[0].topics[2]: topic filter \"$LINK/cluster/route/x\" is not allowed: it overlaps "
                + "\"$LINK/cluster/#\", which cluster linking reserves (topic_not_allowed)");
  }

  @Test
  void wildcardsAtTheFirstLevelDoNotCoverLinkTopics() {
    assertThat(linkErrors(OK + "topics = [\"#\"]")).isEmpty();
    assertThat(linkErrors(OK + "topics = [\"+/cluster/#\"]")).isEmpty();
    assertThat(linkErrors(OK + "topics = [\"$LINKS/#\", \"$SYS/#\"]")).isEmpty();
  }

  @Test
  void invalidFilters() {
    assertThat(linkErrors(OK + "topics = [\"ok/#\", \"t/+/#/+\", \"t/#/+\", \"\", \"a+/b\", 5]"))
        .containsExactly(
            "cluster.links[0].topics[1]: invalid topic filter \"t/+/#/+\": '#' must be the last level",
            "cluster.links[0].topics[2]: invalid topic filter \"t/#/+\": '#' must be the last level",
            "cluster.links[0].topics[3]: invalid topic filter \"\": topic must not be empty",
            "cluster.links[0].topics[4]: invalid topic filter \"a+/b\": '+' must occupy a whole level",
            "cluster.links[0].topics[5]: expected a string, got 5");
  }

  @Test
  void redundantFiltersAreListed() {
    assertThat(linkErrors(OK + "topics = [\"t/+\", \"g/2\", \"t/1\", \"t/+/#\", \"t\"]")).containsExactly(
        "cluster.links[0].topics: redundant topic filters [t/+, t/1]: each is covered by another filter of the "
            + "list; remove them (redundant_topics)");
  }

  @Test
  void duplicateFilterIsRedundantOnce() {
    assertThat(linkErrors(OK + "topics = [\"t\", \"t\"]")).containsExactly(
        "cluster.links[0].topics: redundant topic filters [t]: each is covered by another filter of the list; "
            + "remove them (redundant_topics)");
  }

  @Test
  void hashCoversItsParentLevel() {
    assertThat(linkErrors(OK + "topics = [\"a\", \"a/#\"]")).containsExactly(
        "cluster.links[0].topics: redundant topic filters [a]: each is covered by another filter of the list; "
            + "remove them (redundant_topics)");
    assertThat(linkErrors(OK + "topics = [\"a/+\", \"b/#\", \"a/b/c\"]")).isEmpty();
  }

  @Test
  void topicsMustBeAList() {
    assertThat(linkErrors(OK + "topics = \"t/#\""))
        .containsExactly("cluster.links[0].topics: expected an array of strings, got \"t/#\"");
  }

  // ---- server

  @ParameterizedTest
  @CsvSource({
      "'emqx.example.net', emqx.example.net, 1883",
      "'emqx.example.net:11883', emqx.example.net, 11883",
      "'mqtt://h:1884', h, 1884",
      "'mqtts://h', h, 1883",
      "'MQTTS://h:8883', h, 8883",
      "'10.0.0.1:1', 10.0.0.1, 1",
      "'[::1]:1883', ::1, 1883",
      "'[fe80::1%eth0]', fe80::1%eth0, 1883",
      "' h:65535 ', h, 65535"})
  void serverForms(String server, String host, int port) {
    LinkOptions link = validLink("name = p, topics = [], server = \"" + server + "\"");
    assertThat(link.host()).isEqualTo(host);
    assertThat(link.port()).isEqualTo(port);
    assertThat(link.address()).isEqualTo(new HostPort(host, port));
  }

  @Test
  void serverLists() {
    LinkOptions link = validLink("name = p, topics = [], server = \"h1:1884, mqtt://h2 ,[::1]:1885\"");
    assertThat(link.servers()).containsExactly(new HostPort("h1", 1884), new HostPort("h2", 1883),
        new HostPort("::1", 1885));
    assertThat(link.address()).isEqualTo(new HostPort("h1", 1884));
  }

  @Test
  void routeResyncInterval() {
    assertThat(validLink("name = p, topics = [], server = h").routeResyncInterval()).isZero();
    assertThat(validLink("name = p, topics = [], server = h, route_resync_interval = 5m").routeResyncInterval())
        .isEqualTo(java.time.Duration.ofMinutes(5));
    assertThat(linkErrors("name = p, topics = [], server = h, route_resync_interval = 2s")).containsExactly(
        "cluster.links[0].route_resync_interval: must be 0 (off) or at least 10s, got 2s");
  }

  @Test
  void serverErrors() {
    assertThat(linkErrors("name = p, topics = [], server = \"h1:1883, h2:0\"")).containsExactly(
        "cluster.links[0].server: entry 2 of 2 (\"h2:0\"): port must be between 1 and 65535, got 0");
    assertThat(linkErrors("name = p, topics = [], server = \"h1:1883,,h2\"")).containsExactly(
        "cluster.links[0].server: entry 2 of 3 (\"\"): must not be empty");
    assertThat(linkErrors("name = p, topics = [], server = \"ws://h:8083\"")).containsExactly(
        "cluster.links[0].server: unsupported scheme \"ws\", only mqtt:// and mqtts:// are accepted "
            + "(unsupported_scheme)");
    assertThat(linkErrors("name = p, topics = [], server = \"h:0\""))
        .containsExactly("cluster.links[0].server: port must be between 1 and 65535, got 0");
    assertThat(linkErrors("name = p, topics = [], server = \"h:70000\""))
        .containsExactly("cluster.links[0].server: port must be between 1 and 65535, got 70000");
    assertThat(linkErrors("name = p, topics = [], server = \"h:abc\""))
        .containsExactly("cluster.links[0].server: invalid port \"abc\"");
    assertThat(linkErrors("name = p, topics = [], server = \"::1\"")).containsExactly(
        "cluster.links[0].server: IPv6 addresses must be in brackets, e.g. \"[::1]:1883\", got \"::1\"");
    assertThat(linkErrors("name = p, topics = [], server = \"\""))
        .containsExactly("cluster.links[0].server: must not be empty");
    assertThat(linkErrors("name = p, topics = [], server = \"h:1883/x\""))
        .containsExactly("cluster.links[0].server: must be host[:port] without a path, got \"h:1883/x\"");
    assertThat(linkErrors("name = p, topics = [], server = \"bad host\""))
        .containsExactly("cluster.links[0].server: invalid host \"bad host\" in \"bad host\"");
    assertThat(linkErrors("name = p, topics = [], server = 1883"))
        .containsExactly("cluster.links[0].server: expected a string, got 1883");
  }

  // ---- other fields

  @Test
  void numericLimits() {
    assertThat(linkErrors(OK + "topics = [], pool_size = 0, max_inflight = -1")).containsExactly(
        "cluster.links[0].pool_size: must be between 1 and 1024, got 0",
        "cluster.links[0].max_inflight: must be between 0 and 65535, got -1");
    assertThat(validLink(OK + "topics = [], max_inflight = 0").maxInflight()).isZero();
  }

  @Test
  void keepaliveIsSecondsOrADuration() {
    assertThat(validLink(OK + "topics = [], keepalive = 30").keepalive()).isEqualTo(Duration.ofSeconds(30));
    assertThat(validLink(OK + "topics = [], keepalive = 2m").keepalive()).isEqualTo(Duration.ofMinutes(2));
    assertThat(linkErrors(OK + "topics = [], keepalive = 1500ms"))
        .containsExactly("cluster.links[0].keepalive: must be a whole number of seconds, got 1500ms");
    assertThat(linkErrors(OK + "topics = [], keepalive = soon")).containsExactly("cluster.links[0].keepalive: "
        + "expected a duration such as \"15s\" or \"100ms\", or an integer number of seconds, got \"soon\"");
  }

  @Test
  void retryIntervalIntegerIsMilliseconds() {
    assertThat(validLink(OK + "topics = [], retry_interval = 500").retryInterval())
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void sslChecks() {
    assertThat(linkErrors(OK + "topics = [], ssl { verify = verify_all, versions = [\"tlsv1.3\", \"sslv3\"], "
        + "keyfile = k.pem, log_level = loud }")).containsExactly(
        "cluster.links[0].ssl.verify: must be one of [verify_peer, verify_none], got \"verify_all\"",
        "cluster.links[0].ssl.keyfile: requires certfile",
        "cluster.links[0].ssl.versions[1]: must be one of [tlsv1.3, tlsv1.2, tlsv1.1, tlsv1], got \"sslv3\"",
        "cluster.links[0].ssl.log_level: must be one of [emergency, alert, critical, error, warning, notice, "
            + "info, debug, none, all], got \"loud\"");
    assertThat(linkErrors(OK + "topics = [], ssl { server_name_indication = \"\", versions = [] }"))
        .containsExactly(
            "cluster.links[0].ssl.server_name_indication: must not be empty",
            "cluster.links[0].ssl.versions: must not be empty");
  }

  @Test
  void tcpOpts() {
    LinkOptions link = validLink(OK + "topics = [], tcp_opts { nodelay = false, sndbuf = 16KB, recbuf = 32768, "
        + "buffer = 1MB, keepalive = \"240,30,5\", active_n = 50, delay_send = true }");
    TcpOptions t = link.tcpOpts();
    assertThat(t.nodelay()).isFalse();
    assertThat(t.sndbuf()).isEqualTo(16 * 1024);
    assertThat(t.recbuf()).isEqualTo(32 * 1024);
    assertThat(t.buffer()).isEqualTo(1024 * 1024);
    assertThat(t.keepaliveEnabled()).isTrue();
    assertThat(t.keepaliveIdle()).isEqualTo(240);
    assertThat(t.keepaliveInterval()).isEqualTo(30);
    assertThat(t.keepaliveProbes()).isEqualTo(5);
    assertThat(linkErrors(OK + "topics = [], tcp_opts { sndbuf = 16XB, keepalive = \"1,2\" }")).containsExactly(
        "cluster.links[0].tcp_opts.sndbuf: expected a size such as \"16KB\" or \"1MB\", or an integer number of "
            + "bytes, got \"16XB\"",
        "cluster.links[0].tcp_opts.keepalive: must be \"none\" or \"Idle,Interval,Probes\" such as \"240,30,5\", "
            + "got \"1,2\"");
  }

  @Test
  void resourceOpts() {
    LinkOptions link = validLink(OK + "topics = [], resource_opts { dispatch_strategy = random, "
        + "request_ttl = infinity, health_check_interval = 1000, max_buffer_bytes = 1GB }");
    assertThat(link.resourceOpts().dispatchStrategy()).isEqualTo("random");
    assertThat(link.resourceOpts().requestTtl()).isEqualTo(Values.FOREVER);
    assertThat(link.resourceOpts().healthCheckInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(link.resourceOpts().maxBufferBytes()).isEqualTo(1L << 30);
    assertThat(linkErrors(OK + "topics = [], resource_opts { dispatch_strategy = hash, worker_pool_size = 0, "
        + "query_mode = sync }")).containsExactly(
        "cluster.links[0].resource_opts.worker_pool_size: must be between 1 and 1024, got 0",
        "cluster.links[0].resource_opts.dispatch_strategy: must be one of [per_clientid, random], got \"hash\"",
        "cluster.links[0].resource_opts.query_mode: unknown key");
  }

  @Test
  void durableBufferOptions() {
    LinkOptions memory = validLink(OK + "topics = []");
    assertThat(memory.resourceOpts().isDurable()).isFalse();
    assertThat(memory.resourceOpts().drainRate()).isZero();
    LinkOptions link = validLink(OK + "topics = [], resource_opts { buffer_mode = durable, drain_rate = 2000, "
        + "durable { fsync = always, fsync_interval = 20ms, overflow = reject_new } }");
    assertThat(link.resourceOpts().isDurable()).isTrue();
    assertThat(link.resourceOpts().drainRate()).isEqualTo(2000);
    assertThat(link.resourceOpts().durable())
        .isEqualTo(new DurableBufferOptions("always", Duration.ofMillis(20), "reject_new"));
    assertThat(link.resourceOpts().toJson().getString("buffer_mode")).isEqualTo("durable");
    assertThat(linkErrors(OK + "topics = [], resource_opts { buffer_mode = disk, drain_rate = 0, "
        + "durable { fsync = sometimes, fsync_interval = 0, overflow = drop_newest, size = 1 } }")).containsExactly(
        "cluster.links[0].resource_opts.buffer_mode: must be one of [memory_only, durable], got \"disk\"",
        "cluster.links[0].resource_opts.durable.fsync: must be one of [always, interval, never], got \"sometimes\"",
        "cluster.links[0].resource_opts.durable.fsync_interval: must be between 1ms and 1m, got 0s",
        "cluster.links[0].resource_opts.durable.overflow: must be one of [drop_oldest, reject_new], got \"drop_newest\"",
        "cluster.links[0].resource_opts.durable.size: unknown key",
        "cluster.links[0].resource_opts.drain_rate: must be between 1 and 10000000, got 0");
  }

  @Test
  void aChangeOfTheBufferModeRestartsTheLink() {
    LinkOptions memory = validLink(OK + "topics = []");
    LinkOptions durable = validLink(OK + "topics = [], resource_opts { buffer_mode = durable }");
    LinkOptions paced = validLink(OK + "topics = [], resource_opts { drain_rate = 100 }");
    assertThat(memory.routeReplicationRestartNeeded(durable)).isTrue();
    assertThat(memory.routeReplicationRestartNeeded(paced)).isFalse();
  }

  @Test
  void emptyClientidIsRejected() {
    assertThat(linkErrors(OK + "topics = [], clientid = \"\"")).containsExactly(
        "cluster.links[0].clientid: must not be empty (leave it out to use the local cluster.name)");
  }

  @Test
  void numericPasswordIsReadAsText() {
    assertThat(validLink(OK + "topics = [], password = 123456").password()).isEqualTo("123456");
  }
}
