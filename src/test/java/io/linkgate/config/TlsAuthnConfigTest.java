package io.linkgate.config;

import io.linkgate.authn.PasswordHash;
import io.linkgate.config.ListenerOptions.AuthnMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.linkgate.config.ConfigTestSupport.errors;
import static io.linkgate.config.ConfigTestSupport.valid;
import static io.linkgate.config.ConfigTestSupport.validLink;
import static org.assertj.core.api.Assertions.assertThat;

/** Validation of TLS listeners, link TLS names, authentication and the per-listener authentication keys. */
class TlsAuthnConfigTest {
  static final String INLINE_PEM = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n";
  @TempDir
  static Path dir;
  static String cert;
  static String key;

  @BeforeAll
  static void files() throws Exception {
    cert = Files.writeString(dir.resolve("cert.pem"), "pem").toString();
    key = Files.writeString(dir.resolve("key.pem"), "pem").toString();
  }

  private static String ssl(String sslOptions, String listenerKeys) {
    return "listeners.ssl.default {\n" + listenerKeys + "\nssl_options { certfile = \"" + cert + "\", keyfile = \""
      + key + "\"\n" + sslOptions + "\n}\n}";
  }

  @Test
  void theDefaultConfigHasNoTlsListenerAndNoAuthentication() {
    LinkgateConfig d = LinkgateConfig.defaults();
    assertThat(d.listeners().ssl()).isEmpty();
    assertThat(d.listeners().wss()).isEmpty();
    assertThat(d.authentication().active()).isNull();
    assertThat(d.listeners().enabled()).containsOnlyKeys("tcp:default", "ws:default");
  }

  @Test
  void tlsListenersTakeEmqxKeysAndDefaultPorts() {
    LinkgateConfig c = valid(ssl("cacertfile = \"" + cert + "\", verify = verify_peer, fail_if_no_peer_cert = true,"
        + " versions = [tlsv1.3], ciphers = [TLS_AES_256_GCM_SHA384, ECDHE-RSA-AES256-GCM-SHA384], depth = 3",
      "peer_cert_as_username = cn, max_connections = 100")
      + "\nlisteners.wss.default.ssl_options { certfile = \"" + INLINE_PEM + "\", keyfile = \"" + key + "\" }");
    ListenerOptions l = c.listeners().ssl().get("default");
    assertThat(l.bind()).hasToString("0.0.0.0:8883");
    assertThat(l.ssl().verifyPeer()).isTrue();
    assertThat(l.ssl().failIfNoPeerCert()).isTrue();
    assertThat(l.peerCertIsUsername()).isTrue();
    assertThat(c.listeners().wss().get("default").bind()).hasToString("0.0.0.0:8084");
    assertThat(c.listeners().wss().get("default").websocket().mqttPath()).isEqualTo("/mqtt");
    assertThat(c.listeners().enabled()).containsKeys("ssl:default", "wss:default");
    assertThat(TlsNames.javaCipher("ECDHE-RSA-AES256-GCM-SHA384")).isEqualTo("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    assertThat(valid(c.toJson().encode()).listeners()).isEqualTo(c.listeners());
    assertThat(l.ssl().toString()).doesNotContain("BEGIN");
    assertThat(c.listeners().wss().get("default").ssl().toString()).contains("<inline PEM>").doesNotContain("MIIB");
    String inlineKey = "-----BEGIN PRIVATE KEY-----\nSECRETKEY\n-----END PRIVATE KEY-----\n";
    LinkgateConfig withKey = valid("listeners.ssl.default.ssl_options { certfile = \"" + cert + "\", keyfile = \""
      + inlineKey.replace("\n", "\\n") + "\" }");
    assertThat(withKey.toJson(true).encode()).doesNotContain("SECRETKEY");
    assertThat(withKey.toJson(false).encode()).contains("SECRETKEY");
  }

  @Test
  void everyTlsListenerProblemIsReportedWithItsPath() {
    Path missing = dir.resolve("nope.pem");
    assertThat(errors("listeners.ssl.default.ssl_options { certfile = \"" + missing + "\", keyfile = \"" + key
      + "\", verify = verify_peer, versions = [sslv3], ciphers = [NOT-A-CIPHER] }")).containsExactlyInAnyOrder(
      "listeners.ssl.default.ssl_options.certfile: file not found: " + missing.toAbsolutePath(),
      "listeners.ssl.default.ssl_options.cacertfile: required with verify = verify_peer: the CA that signs the "
        + "client certificates",
      "listeners.ssl.default.ssl_options.versions[0]: must be one of [tlsv1.3, tlsv1.2, tlsv1.1, tlsv1], got \"sslv3\"",
      "listeners.ssl.default.ssl_options.ciphers[0]: unknown or unsupported cipher suite \"NOT-A-CIPHER\" (use IANA "
        + "names such as TLS_AES_256_GCM_SHA384 or OpenSSL names such as ECDHE-RSA-AES256-GCM-SHA384)");
    assertThat(errors("listeners.wss.edge { bind = 8443 }")).containsExactly(
      "listeners.wss.edge.ssl_options: missing required key: a TLS listener needs at least certfile and keyfile");
    assertThat(errors(ssl("fail_if_no_peer_cert = true", "peer_cert_as_username = cn"))).containsExactlyInAnyOrder(
      "listeners.ssl.default.ssl_options.fail_if_no_peer_cert: needs verify = verify_peer (with verify_none no "
        + "client certificate is asked for)",
      "listeners.ssl.default.peer_cert_as_username: needs ssl_options.verify = verify_peer: an unverified "
        + "certificate must not name the client");
    assertThat(errors("listeners.tcp.default { peer_cert_as_username = cn, enable_authn = maybe }"))
      .containsExactlyInAnyOrder(
        "listeners.tcp.default.peer_cert_as_username: only ssl and wss listeners see client certificates",
        "listeners.tcp.default.enable_authn: must be true, false or \"quick_deny_anonymous\", got \"maybe\"");
    assertThat(errors("listeners.ssl.default.ssl_options { certfile = \"-----BEGIN CERTIFICATE-----\", keyfile = \""
      + key + "\" }")).containsExactly("listeners.ssl.default.ssl_options.certfile: inline PEM has no -----END line");
  }

  @Test
  void perListenerAuthenticationKeys() {
    LinkgateConfig c = valid("listeners.tcp { default.allow_anonymous = true, "
      + "open { bind = 1884, enable_authn = false }, strict { bind = 1885, enable_authn = quick_deny_anonymous } }");
    assertThat(c.listeners().tcp().get("default").allowAnonymous()).isTrue();
    assertThat(c.listeners().tcp().get("open").enableAuthn()).isEqualTo(AuthnMode.DISABLED);
    assertThat(c.listeners().tcp().get("strict").enableAuthn()).isEqualTo(AuthnMode.QUICK_DENY_ANONYMOUS);
    assertThat(c.listeners().ws().get("default").enableAuthn()).isEqualTo(AuthnMode.ENABLED);
    assertThat(valid(c.toJson().encode()).listeners()).isEqualTo(c.listeners());
  }

  @Test
  void authenticationAcceptsBuiltInUsersAndRedactsPasswordsAndHashes() {
    String hash = PasswordHash.hash("s3cret-pass", 1000);
    LinkgateConfig c = valid("authentication = [ { mechanism = password_based, backend = built_in_database, "
      + "user_id_type = username, users = [ { user_id = alice, password_hash = \"" + hash + "\" }, "
      + "{ user_id = bob, password = \"bob-pass\" } ] } ]");
    assertThat(c.authentication().active().users()).extracting(AuthenticationOptions.User::userId)
      .containsExactly("alice", "bob");
    // a hash is redacted too (it allows an offline guess); the unredacted form, written to files, keeps it
    assertThat(c.toJson(true).encode()).doesNotContain("bob-pass").doesNotContain(hash);
    assertThat(c.toJson(false).encode()).contains(hash);
    assertThat(c.authentication().toString()).doesNotContain("bob-pass");
    assertThat(valid(c.toJson().encode()).authentication()).isEqualTo(c.authentication());
  }

  @Test
  void everyAuthenticationProblemIsReportedWithItsPath() {
    Path missing = dir.resolve("users.json");
    assertThat(errors("authentication = [ { mechanism = jwt, backend = http, user_id_type = clientid, "
      + "users_file = \"" + missing + "\", users = [ { user_id = a }, { user_id = b, password_hash = md5 }, "
      + "{ user_id = c, password = x, password_hash = y }, { user_id = d, password = p1 }, { user_id = d, "
      + "password = p2 } ] }, { mechanism = password_based, backend = built_in_database } ]"))
      .containsExactlyInAnyOrder(
        "authentication[0].mechanism: only \"password_based\" is supported, got \"jwt\"",
        "authentication[0].backend: only \"built_in_database\" is supported, got \"http\"",
        "authentication[0].user_id_type: must be one of [username], got \"clientid\"",
        "authentication[0].users[0].password_hash: missing required key (or password)",
        "authentication[0].users[1].password_hash: expected \"pbkdf2-sha256$<iterations>$<salt>$<hash>\" (make "
          + "one with: java -jar linkgate.jar hash-password)",
        "authentication[0].users[2].password: give either password or password_hash, not both",
        "authentication[0].users[4].user_id: duplicate user \"d\"",
        "authentication[0].users_file: file not found: " + missing.toAbsolutePath(),
        "authentication: at most one authenticator: Linkgate has only password_based with built_in_database, and "
          + "a chain holds one per mechanism and backend");
  }

  @Test
  void mqttsInServerDoesNotTurnTlsOnNorChangeThePort() {
    LinkOptions plain = validLink("name = p, server = \"mqtts://peer.example.net\", topics = []");
    assertThat(plain.port()).isEqualTo(1883);
    assertThat(plain.ssl().enable()).isFalse();
    assertThat(plain.impliesTlsWithoutIt()).as("warned about at link start").isTrue();
    LinkOptions tls = validLink("name = p, server = \"mqtts://peer.example.net:8883\", topics = [], "
      + "ssl { enable = true, verify = verify_peer, ciphers = [ECDHE-ECDSA-AES256-GCM-SHA384] }");
    assertThat(tls.port()).isEqualTo(8883);
    assertThat(tls.impliesTlsWithoutIt()).isFalse();
    LinkOptions mqtt = validLink("name = p, server = \"mqtt://peer.example.net\", topics = [], ssl.enable = true");
    assertThat(mqtt.ssl().enable()).as("ssl.enable alone decides, whatever the scheme").isTrue();
    assertThat(mqtt.impliesTlsWithoutIt()).isFalse();
  }
}
