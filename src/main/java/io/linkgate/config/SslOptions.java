package io.linkgate.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * TLS client options of a link ({@code cluster.links[i].ssl}), accepting EMQX's {@code ssl_client_opts} keys so
 * that blocks copied from an EMQX config load unchanged. Keys that only tune Erlang's TLS stack
 * ({@code hibernate_after}, {@code log_level}, {@code reuse_sessions}, {@code secure_renegotiate}) are kept and
 * written back but have no effect on the JVM.
 *
 * <p>{@code verify} defaults to {@code verify_none} as in EMQX, so a link with {@code enable = true} and no
 * {@code verify} encrypts but does not check the peer's certificate; set {@code verify = verify_peer} (with
 * {@code cacertfile}, or the JVM trust store when it is absent) for an authenticated link.
 *
 * @param certfile client certificate (PEM path); {@code keyfile} defaults to it, as in Erlang's ssl
 * @param serverNameIndication SNI host name, {@code "disable"} to send none, null to use the server's host
 * @param versions enabled protocol versions, EMQX spelling ({@code "tlsv1.3"})
 * @param ciphers cipher suites, empty for the JVM's defaults
 * @param password secret: passphrase of {@code keyfile}
 */
public record SslOptions(
    boolean enable,
    String verify,
    String cacertfile,
    String certfile,
    String keyfile,
    String serverNameIndication,
    List<String> versions,
    List<String> ciphers,
    int depth,
    String password,
    boolean reuseSessions,
    boolean secureRenegotiate,
    Duration hibernateAfter,
    String logLevel) {

  public static final String VERIFY_NONE = "verify_none";
  public static final String VERIFY_PEER = "verify_peer";
  public static final String SNI_DISABLE = "disable";
  public static final List<String> VERIFY_VALUES = List.of(VERIFY_PEER, VERIFY_NONE);
  public static final List<String> TLS_VERSIONS = List.of("tlsv1.3", "tlsv1.2", "tlsv1.1", "tlsv1");
  public static final List<String> LOG_LEVELS = List.of(
      "emergency", "alert", "critical", "error", "warning", "notice", "info", "debug", "none", "all");

  public static final SslOptions DEFAULT = new SslOptions(false, VERIFY_NONE, null, null, null, null,
      List.of("tlsv1.3", "tlsv1.2"), List.of(), 10, null, true, true, Duration.ofSeconds(5), "notice");

  public SslOptions {
    Objects.requireNonNull(verify, "verify");
    versions = List.copyOf(versions);
    ciphers = List.copyOf(ciphers);
    Objects.requireNonNull(hibernateAfter, "hibernateAfter");
    Objects.requireNonNull(logLevel, "logLevel");
  }

  public boolean verifyPeer() {
    return VERIFY_PEER.equals(verify);
  }

  public boolean sniDisabled() {
    return SNI_DISABLE.equals(serverNameIndication);
  }

  /** This with another keyfile (used to put back an inline key that came in redacted). */
  public SslOptions withKeyfile(String newKeyfile) {
    return new SslOptions(enable, verify, cacertfile, certfile, newKeyfile, serverNameIndication, versions, ciphers,
        depth, password, reuseSessions, secureRenegotiate, hibernateAfter, logLevel);
  }

  /** The private key file: {@code keyfile}, or {@code certfile} when the key is in the same PEM. */
  public String effectiveKeyfile() {
    return keyfile != null ? keyfile : certfile;
  }

  /** This with another password (used to put back a secret that came in redacted). */
  public SslOptions withPassword(String newPassword) {
    return new SslOptions(enable, verify, cacertfile, certfile, keyfile, serverNameIndication, versions, ciphers,
        depth, newPassword, reuseSessions, secureRenegotiate, hibernateAfter, logLevel);
  }

  public static SslOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    SslOptions d = DEFAULT;
    Fields f = new Fields(json, path, errors);
    boolean enable = f.bool("enable", d.enable);
    String verify = f.oneOf("verify", d.verify, VERIFY_VALUES);
    String cacertfile = nonEmpty(f, "cacertfile");
    String certfile = nonEmpty(f, "certfile");
    String keyfile = nonEmpty(f, "keyfile");
    if (keyfile != null && certfile == null) {
      f.error("keyfile", "requires certfile");
    }
    String sni = nonEmpty(f, "server_name_indication");
    List<String> versions = f.strings("versions", d.versions,
        v -> TLS_VERSIONS.contains(v) ? null : "must be one of " + TLS_VERSIONS + ", got \"" + v + "\"");
    if (json.getValue("versions") instanceof JsonArray a && a.isEmpty()) {
      f.error("versions", "must not be empty");
    }
    List<String> ciphers = f.strings("ciphers", d.ciphers, TlsNames::checkCipher);
    int depth = f.integer("depth", d.depth, 0, 100);
    String password = f.secret("password");
    boolean reuseSessions = f.bool("reuse_sessions", d.reuseSessions);
    boolean secureRenegotiate = f.bool("secure_renegotiate", d.secureRenegotiate);
    Duration hibernateAfter = f.duration("hibernate_after", d.hibernateAfter, 1, Duration.ZERO, Values.FOREVER);
    String logLevel = f.oneOf("log_level", d.logLevel, LOG_LEVELS);
    return f.result(() -> new SslOptions(enable, verify, cacertfile, certfile, keyfile, sni, versions, ciphers,
        depth, password, reuseSessions, secureRenegotiate, hibernateAfter, logLevel));
  }

  private static String nonEmpty(Fields f, String key) {
    String s = f.string(key, null);
    if (s != null && s.isBlank()) {
      f.error(key, "must not be empty");
    }
    return s;
  }

  public JsonObject toJson(boolean redactSecrets) {
    JsonObject json = new JsonObject().put("enable", enable).put("verify", verify);
    Fields.putIfSet(json, "cacertfile", cacertfile);
    Fields.putIfSet(json, "certfile", certfile);
    // a private key pasted inline is a secret; a path is not
    Fields.putIfSet(json, "keyfile", redactSecrets && PemSource.isInline(keyfile) ? LinkOptions.REDACTED : keyfile);
    Fields.putIfSet(json, "server_name_indication", serverNameIndication);
    json.put("versions", new JsonArray(versions))
        .put("ciphers", new JsonArray(ciphers))
        .put("depth", depth);
    Fields.putIfSet(json, "password", password == null || !redactSecrets ? password : LinkOptions.REDACTED);
    return json.put("reuse_sessions", reuseSessions)
        .put("secure_renegotiate", secureRenegotiate)
        .put("hibernate_after", Values.formatDuration(hibernateAfter))
        .put("log_level", logLevel);
  }

  public JsonObject toJson() {
    return toJson(false);
  }

  /** Redacted, so that logging TLS settings never prints the key passphrase. */
  @Override
  public String toString() {
    return "SslOptions" + toJson(true).encode();
  }
}
