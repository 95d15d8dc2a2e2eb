package io.linkgate.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code listeners.ssl.<name>.ssl_options} and {@code listeners.wss.<name>.ssl_options}: the server side of TLS,
 * with EMQX's keys. Every certificate setting takes a file path or inline PEM text ({@link PemSource}); files are
 * checked to exist when the config is validated.
 *
 * <p>{@code verify = verify_peer} asks clients for a certificate and checks it against {@code cacertfile};
 * {@code fail_if_no_peer_cert = true} also refuses clients that send none (mutual TLS). With {@code verify_none}
 * (EMQX's default) client certificates are neither asked for nor checked.
 *
 * @param versions enabled protocol versions, EMQX spelling ({@code "tlsv1.3"})
 * @param ciphers cipher suites (IANA or OpenSSL names), empty for the JVM's defaults
 * @param handshakeTimeout how long a client may take to complete the TLS handshake
 * @param tolerated EMQX keys that only tune Erlang's TLS stack (accepted so that EMQX blocks paste in, no effect)
 */
public record ListenerSslOptions(
    String certfile,
    String keyfile,
    String cacertfile,
    String verify,
    boolean failIfNoPeerCert,
    List<String> versions,
    List<String> ciphers,
    Duration handshakeTimeout,
    JsonObject tolerated) {

  public static final List<String> DEFAULT_VERSIONS = List.of("tlsv1.3", "tlsv1.2");
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);
  /** Erlang-only keys of EMQX's {@code ssl_options}: read, kept, written back, without effect on the JVM. */
  static final List<String> TOLERATED_KEYS = List.of("depth", "reuse_sessions", "secure_renegotiate",
      "honor_cipher_order", "client_renegotiation", "hibernate_after", "log_level", "gc_after_handshake");

  public ListenerSslOptions {
    Objects.requireNonNull(certfile, "certfile");
    Objects.requireNonNull(keyfile, "keyfile");
    Objects.requireNonNull(verify, "verify");
    versions = List.copyOf(versions);
    ciphers = List.copyOf(ciphers);
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    tolerated = tolerated == null ? new JsonObject() : tolerated.copy();
  }

  public boolean verifyPeer() {
    return SslOptions.VERIFY_PEER.equals(verify);
  }

  public static ListenerSslOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    Fields f = new Fields(json, path, errors);
    String certfile = pem(f, "certfile", true);
    String keyfile = pem(f, "keyfile", true);
    String cacertfile = pem(f, "cacertfile", false);
    String verify = f.oneOf("verify", SslOptions.VERIFY_NONE, SslOptions.VERIFY_VALUES);
    boolean failIfNoPeerCert = f.bool("fail_if_no_peer_cert", false);
    if (SslOptions.VERIFY_PEER.equals(verify) && cacertfile == null && json.getValue("cacertfile") == null) {
      f.error("cacertfile", "required with verify = verify_peer: the CA that signs the client certificates");
    }
    if (failIfNoPeerCert && !SslOptions.VERIFY_PEER.equals(verify)) {
      f.error("fail_if_no_peer_cert", "needs verify = verify_peer (with verify_none no client certificate is "
          + "asked for)");
    }
    List<String> versions = f.strings("versions", DEFAULT_VERSIONS,
        v -> TlsNames.VERSIONS.contains(v) ? null : "must be one of " + TlsNames.VERSIONS + ", got \"" + v + "\"");
    if (json.getValue("versions") instanceof JsonArray a && a.isEmpty()) {
      f.error("versions", "must not be empty");
    }
    List<String> ciphers = f.strings("ciphers", List.of(), TlsNames::checkCipher);
    Duration handshakeTimeout = f.duration("handshake_timeout", DEFAULT_HANDSHAKE_TIMEOUT, 1, Duration.ofMillis(1),
        Duration.ofMinutes(10));
    JsonObject tolerated = new JsonObject();
    for (String key : TOLERATED_KEYS) {
      Object v = f.value(key);
      if (v != null) {
        tolerated.put(key, v);
      }
    }
    return f.result(() -> new ListenerSslOptions(certfile, keyfile, cacertfile, verify, failIfNoPeerCert, versions,
        ciphers, handshakeTimeout, tolerated));
  }

  /** A path or inline PEM; a missing file is reported at {@code <path>.<key>}. */
  private static String pem(Fields f, String key, boolean required) {
    String v = required ? f.requiredString(key) : f.string(key, null);
    if (v == null) {
      return null;
    }
    String problem = v.isBlank() ? "must not be empty" : PemSource.check(v);
    if (problem != null) {
      f.error(key, problem);
      return null;
    }
    return v;
  }

  public JsonObject toJson() {
    return toJson(false);
  }

  /** {@code redactSecrets} hides a private key pasted inline (a path is shown). */
  public JsonObject toJson(boolean redactSecrets) {
    JsonObject json = new JsonObject().put("certfile", certfile)
        .put("keyfile", redactSecrets && PemSource.isInline(keyfile) ? LinkOptions.REDACTED : keyfile);
    Fields.putIfSet(json, "cacertfile", cacertfile);
    json.put("verify", verify)
        .put("fail_if_no_peer_cert", failIfNoPeerCert)
        .put("versions", new JsonArray(versions))
        .put("ciphers", new JsonArray(ciphers))
        .put("handshake_timeout", Values.formatDuration(handshakeTimeout));
    tolerated.forEach(e -> json.put(e.getKey(), e.getValue()));
    return json;
  }

  /** Inline PEM is summarised so that logs never carry key material. */
  @Override
  public String toString() {
    JsonObject json = toJson();
    for (String key : List.of("certfile", "keyfile", "cacertfile")) {
      if (PemSource.isInline(json.getString(key))) {
        json.put(key, "<inline PEM>");
      }
    }
    return "ListenerSslOptions" + json.encode();
  }
}
