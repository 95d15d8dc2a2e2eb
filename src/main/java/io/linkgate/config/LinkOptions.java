package io.linkgate.config;

import io.linkgate.topic.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of {@code cluster.links}: a peer cluster we exchange routes and messages with. Keys, defaults and
 * validation as EMQX's cluster link schema, plus {@code keepalive} and {@code tcp_opts}.
 *
 * @param name the peer's {@code cluster.name}
 * @param enable false keeps the entry but stops the link
 * @param server the peer's MQTT listeners as written: one {@code host[:port]} (optional {@code mqtt://}/{@code mqtts://})
 *     or a comma-separated list of them, tried in turn when one fails; see {@link #servers()}
 * @param clientid base of the link's client ids; null means the local {@code cluster.name}
 * @param username null when unset
 * @param password secret; null when unset
 * @param topics filters of the messages this cluster wants to receive from the peer ({@code []}: none)
 * @param poolSize message-forwarding connections per node
 * @param keepalive MQTT keepalive of the link clients; an integer means seconds; 0 disables
 * @param maxInflight MQTT inflight window of the forwarding clients (0: no limit)
 * @param retryInterval resend interval of unacknowledged QoS 1 forwards; an integer means milliseconds
 * @param routeResyncInterval how often the route actor re-sends all our routes while online, repairing a peer that
 *     lost them without telling us (EMQX #16317); {@link Duration#ZERO} (the default) disables it
 */
public record LinkOptions(
    String name,
    boolean enable,
    String server,
    String clientid,
    String username,
    String password,
    List<String> topics,
    SslOptions ssl,
    int poolSize,
    Duration keepalive,
    int maxInflight,
    Duration retryInterval,
    TcpOptions tcpOpts,
    ResourceOptions resourceOpts,
    Duration routeResyncInterval) {

  /** How secrets appear in redacted output; a PUT that sends it back keeps the stored secret. */
  public static final String REDACTED = "******";
  public static final int DEFAULT_POOL_SIZE = 8;
  public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_INFLIGHT = 32;
  public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(15);

  /** The smallest {@code route_resync_interval}: a full re-sync costs the peer one batch per 4,000 routes. */
  public static final Duration MIN_ROUTE_RESYNC_INTERVAL = Duration.ofSeconds(10);


  /**
   * What a cluster name must not contain. EMQX's {@code cluster.name} is any atom (its own tests link
   * {@code cl.source} and {@code cl.target}) and a link name any binary; ours must also be one level of the
   * {@code $LINK/cluster/<name>} topics (no {@code /}, {@code +}, {@code #}, U+0000) and printable (no control
   * characters: the name goes into client ids, logs and metric labels).
   */
  private static final Pattern FORBIDDEN_IN_NAME = Pattern.compile("[/+#\\p{Cntrl}\u0080-\u009F]");

  public LinkOptions {
    Objects.requireNonNull(name, "name");
    parseServers(Objects.requireNonNull(server, "server"));
    topics = List.copyOf(topics);
    Objects.requireNonNull(ssl, "ssl");
    Objects.requireNonNull(keepalive, "keepalive");
    Objects.requireNonNull(retryInterval, "retryInterval");
    Objects.requireNonNull(tcpOpts, "tcpOpts");
    Objects.requireNonNull(resourceOpts, "resourceOpts");
    Objects.requireNonNull(routeResyncInterval, "routeResyncInterval");
  }

  /** Without a periodic route re-sync (the default). */
  public LinkOptions(String name, boolean enable, String server, String clientid, String username, String password,
                     List<String> topics, SslOptions ssl, int poolSize, Duration keepalive, int maxInflight,
                     Duration retryInterval, TcpOptions tcpOpts, ResourceOptions resourceOpts) {
    this(name, enable, server, clientid, username, password, topics, ssl, poolSize, keepalive, maxInflight,
        retryInterval, tcpOpts, resourceOpts, Duration.ZERO);
  }

  /**
   * Parses {@code server}: one address or a comma-separated list (EMQX 6.3 accepts both).
   *
   * @throws IllegalArgumentException naming the entry (1-based) that is invalid
   */
  public static List<HostPort> parseServers(String server) {
    String[] entries = server.split(",", -1);
    if (entries.length == 1) {
      return List.of(HostPort.parseServer(server));
    }
    List<HostPort> out = new java.util.ArrayList<>(entries.length);
    for (int i = 0; i < entries.length; i++) {
      try {
        out.add(HostPort.parseServer(entries[i]));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("entry " + (i + 1) + " of " + entries.length + " (\"" + entries[i].strip()
            + "\"): " + e.getMessage(), e);
      }
    }
    return List.copyOf(out);
  }
  /**
   * Checks a cluster or link name; returns null when valid, otherwise why not. Anything EMQX accepts and a
   * {@code $LINK/} topic level can carry is valid, e.g. {@code cl.source}; {@code .} and {@code ..} are not, because
   * a link's uploaded certificates are kept in a directory named after it.
   */
  public static String validateName(String name) {
    if (name.isEmpty()) {
      return "Name cannot be empty string";
    }
    if (name.length() >= 255) {
      return "Name length must be less than 255";
    }
    Matcher forbidden = FORBIDDEN_IN_NAME.matcher(name);
    if (forbidden.find()) {
      char c = forbidden.group().charAt(0);
      return "Invalid name format: " + (c < 0x20 || c >= 0x7F ? String.format("U+%04X", (int) c) : "'" + c + "'")
          + " is not allowed (a cluster name is one level of the $LINK/cluster/<name> topics: no '/', '+', '#' or"
          + " control characters)";
    }
    if (name.equals(".") || name.equals("..")) {
      return "Invalid name format: \"" + name + "\" is not allowed";
    }
    return null;
  }

  /** Every address of {@code server}, in the order they are tried. */
  public List<HostPort> servers() {
    return parseServers(server);
  }

  /** The first address of {@code server}. */
  public HostPort address() {
    return servers().get(0);
  }

  public String host() {
    return address().host();
  }

  public int port() {
    return address().port();
  }

  /**
   * True when {@code server} says {@code mqtts://} but {@code ssl.enable} is false. The rule, as in EMQX: the scheme
   * is only checked ({@code mqtt} or {@code mqtts}) and dropped; TLS is on when {@code ssl.enable = true} and only
   * then, and the default port stays 1883 either way. Linkgate logs a warning for this combination, which is
   * almost always a mistake.
   */
  public boolean impliesTlsWithoutIt() {
    return !ssl.enable() && java.util.Arrays.stream(server.split(","))
        .anyMatch(e -> e.strip().toLowerCase(java.util.Locale.ROOT).startsWith("mqtts://"));
  }

  /** The base of every client id of this link: {@code clientid}, or the local cluster name when unset (EMQX). */
  public String effectiveClientIdBase(String localClusterName) {
    return clientid != null ? clientid : localClusterName;
  }

  /** True when the peer must see a new connection: server address, clientid, credentials, TLS or topics changed. */
  public boolean connectionFieldsDiffer(LinkOptions other) {
    return !servers().equals(other.servers())
        || !Objects.equals(clientid, other.clientid)
        || !Objects.equals(username, other.username)
        || !Objects.equals(password, other.password)
        || !ssl.equals(other.ssl)
        || !topics.equals(other.topics);
  }

  /** True when a setting used only by the message-forwarding pool changed. */
  public boolean forwardingFieldsDiffer(LinkOptions other) {
    return poolSize != other.poolSize
        || !retryInterval.equals(other.retryInterval)
        || maxInflight != other.maxInflight
        || !resourceOpts.equals(other.resourceOpts);
  }

  /**
   * EMQX's rule for a changed, still enabled link: route replication restarts (new incarnation, peer re-bootstraps)
   * when a connection field or the topics changed, or when the change touched no forwarding-only field; the
   * forwarding pool is recreated on any change. Ours in addition: a change of {@code buffer_mode} or
   * {@code resource_opts.durable} restarts the link too.
   */
  public boolean routeReplicationRestartNeeded(LinkOptions other) {
    return !equals(other) && (connectionFieldsDiffer(other) || !forwardingFieldsDiffer(other)
        || logFieldsDiffer(other));
  }

  /** The durable log is opened when the link starts: a change of its mode or settings restarts the link. */
  private boolean logFieldsDiffer(LinkOptions other) {
    return !resourceOpts.bufferMode().equals(other.resourceOpts.bufferMode())
        || !resourceOpts.durable().equals(other.resourceOpts.durable());
  }

  /** This link with every secret that is {@link #REDACTED} replaced by the one in {@code stored} (API updates). */
  public LinkOptions restoreRedacted(LinkOptions stored) {
    String pw = REDACTED.equals(password) ? stored.password : password;
    SslOptions s = REDACTED.equals(ssl.password()) ? ssl.withPassword(stored.ssl.password()) : ssl;
    s = REDACTED.equals(s.keyfile()) ? s.withKeyfile(stored.ssl.keyfile()) : s;
    return new LinkOptions(name, enable, server, clientid, username, pw, topics, s, poolSize, keepalive,
        maxInflight, retryInterval, tcpOpts, resourceOpts, routeResyncInterval);
  }

  public static LinkOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    Fields f = new Fields(json, path, errors);
    String name = f.requiredString("name");
    if (name != null && validateName(name) != null) {
      f.error("name", validateName(name));
    }
    boolean enable = f.bool("enable", true);
    String server = f.requiredString("server");
    if (server != null) {
      try {
        parseServers(server);
      } catch (IllegalArgumentException e) {
        f.error("server", e.getMessage());
      }
    }
    String clientid = f.string("clientid", null);
    if (clientid != null && clientid.isEmpty()) {
      f.error("clientid", "must not be empty (leave it out to use the local cluster.name)");
    }
    String username = f.string("username", null);
    String password = f.secret("password");
    List<String> topics = f.strings("topics", null, LinkOptions::checkTopic);
    if (topics != null) {
      List<String> redundant = LinkTopicRules.redundant(topics);
      if (!redundant.isEmpty()) {
        f.error("topics", "redundant topic filters " + redundant
            + ": each is covered by another filter of the list; remove them (redundant_topics)");
      }
    }
    SslOptions ssl = f.object("ssl", SslOptions::fromJson);
    int poolSize = f.integer("pool_size", DEFAULT_POOL_SIZE, 1, 1024);
    Duration keepalive = f.duration("keepalive", DEFAULT_KEEPALIVE, 1000, Duration.ZERO,
        Duration.ofSeconds(65_535));
    if (keepalive.toMillis() % 1000 != 0) {
      f.error("keepalive", "must be a whole number of seconds, got " + Values.formatDuration(keepalive));
    }
    int maxInflight = f.integer("max_inflight", DEFAULT_MAX_INFLIGHT, 0, 65_535);
    Duration retryInterval = f.duration("retry_interval", DEFAULT_RETRY_INTERVAL, 1, Duration.ZERO,
        Duration.ofDays(1));
    TcpOptions tcpOpts = f.object("tcp_opts", TcpOptions::fromJson);
    ResourceOptions resourceOpts = f.object("resource_opts", ResourceOptions::fromJson);
    Duration resync = f.duration("route_resync_interval", Duration.ZERO, 1000, Duration.ZERO, Duration.ofDays(7));
    if (!resync.isZero() && resync.compareTo(MIN_ROUTE_RESYNC_INTERVAL) < 0) {
      f.error("route_resync_interval", "must be 0 (off) or at least " + Values.formatDuration(MIN_ROUTE_RESYNC_INTERVAL)
          + ", got " + Values.formatDuration(resync));
    }
    return f.result(() -> new LinkOptions(name, enable, server, clientid, username, password, topics, ssl,
        poolSize, keepalive, maxInflight, retryInterval, tcpOpts, resourceOpts, resync));
  }

  /** Null when {@code t} may be a link topic, otherwise why not. */
  private static String checkTopic(String t) {
    String problem = Topics.validateFilter(t, 0);
    if (problem != null) {
      return "invalid topic filter \"" + t + "\": " + problem;
    }
    if (LinkTopicRules.overlapsReserved(t)) {
      return "topic filter \"" + t + "\" is not allowed: it overlaps \"" + LinkTopicRules.RESERVED
          + "\", which cluster linking reserves (topic_not_allowed)";
    }
    return null;
  }

  /** Full form with every default (except an unset {@code route_resync_interval}); {@code redactSecrets} replaces passwords with {@link #REDACTED}. */
  public JsonObject toJson(boolean redactSecrets) {
    JsonObject json = new JsonObject().put("name", name).put("enable", enable).put("server", server);
    Fields.putIfSet(json, "clientid", clientid);
    Fields.putIfSet(json, "username", username);
    Fields.putIfSet(json, "password", password == null || !redactSecrets ? password : REDACTED);
    json.put("topics", new JsonArray(topics))
        .put("ssl", ssl.toJson(redactSecrets))
        .put("pool_size", poolSize)
        .put("keepalive", Values.formatDuration(keepalive))
        .put("max_inflight", maxInflight)
        .put("retry_interval", Values.formatDuration(retryInterval))
        .put("tcp_opts", tcpOpts.toJson())
        .put("resource_opts", resourceOpts.toJson());
    if (!routeResyncInterval.isZero()) { // a Linkgate key: shown only when set, EMQX's shape otherwise
      json.put("route_resync_interval", Values.formatDuration(routeResyncInterval));
    }
    return json;
  }

  public JsonObject toJson() {
    return toJson(false);
  }

  /** Redacted, so that logging a link never prints its password. */
  @Override
  public String toString() {
    return "LinkOptions" + toJson(true).encode();
  }
}
