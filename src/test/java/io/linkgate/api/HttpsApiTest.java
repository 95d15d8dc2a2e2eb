package io.linkgate.api;

import io.linkgate.Linkgate;
import io.linkgate.config.ConfigLoader;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.linkgate.testutil.TestCerts;
import io.linkgate.testutil.ApiUser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The API and dashboard over HTTPS ({@code dashboard.listeners.https}, EMQX's spelling, and {@code api.https}), with
 * the MQTT TLS listeners' certificate options: a client that verifies the server against the CA logs in and lists
 * the links; one that trusts another CA is refused at the handshake.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpsApiTest {
  @TempDir
  Path dir;
  LinkedClusters clusters;
  Vertx client = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    if (clusters != null) {
      clusters.close();
    }
    client.close();
  }

  Linkgate start(JsonObject sslOptions, boolean emqxSpelling) throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("A", "B", "m/#");
    JsonObject conf = clusters.configJson("A");
    JsonObject https = new JsonObject().put("bind", "127.0.0.1:0").put("ssl_options", sslOptions);
    JsonObject api = ApiUser.OPS.apiSection();
    if (emqxSpelling) {
      conf.put("dashboard", new JsonObject().put("listeners", new JsonObject().put("https", https)));
    } else {
      api.put("https", https);
    }
    conf.put("api", api);
    return clusters.start("A", ConfigLoader.fromJson(conf));
  }

  WebClient verifying(Path caFile) {
    return WebClient.create(client, new WebClientOptions().setSsl(true).setVerifyHost(true)
      .setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString())));
  }

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  void loginAndListLinks(WebClient https, int port, String host) throws Exception {
    HttpResponse<Buffer> login = await(https.post(port, host, "/api/v5/login")
      .sendJsonObject(new JsonObject().put("username", "ops").put("password", "ops-password-1")));
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    String token = login.bodyAsJsonObject().getString("token");
    HttpResponse<Buffer> links = await(https.get(port, host, "/api/v5/cluster/links")
      .putHeader("Authorization", "Bearer " + token).send());
    assertThat(links.statusCode()).isEqualTo(200);
    assertThat(links.bodyAsJsonArray().getJsonObject(0).getString("name")).isEqualTo("B");
    HttpResponse<Buffer> dashboard = await(https.get(port, host, "/").send());
    assertThat(dashboard.statusCode()).isEqualTo(200);
    assertThat(dashboard.bodyAsString()).contains("<html");
  }

  @Test
  void loginAndLinkListOverHttpsWithACaVerifiedClient() throws Exception {
    TestCerts ca = TestCerts.newCa(dir, "api");
    TestCerts.Issued server = ca.server("api-server");
    Linkgate a = start(new JsonObject().put("certfile", server.cert().toString())
      .put("keyfile", server.key().toString()), true);
    int port = a.gateway().api().httpsPort();
    assertThat(port).isPositive();
    loginAndListLinks(verifying(ca.caFile()), port, "127.0.0.1");
    loginAndListLinks(verifying(ca.caFile()), port, "localhost");
    // the plain listener still answers
    assertThat(await(WebClient.create(client).get(a.apiPort(), "127.0.0.1", "/api/v5/status").send()).statusCode())
      .isEqualTo(200);
    // a client that trusts another CA does not get past the handshake
    TestCerts other = TestCerts.newCa(dir.resolve("other"), "other");
    assertThatThrownBy(() -> await(verifying(other.caFile()).get(port, "127.0.0.1", "/api/v5/status").send()))
      .isInstanceOf(ExecutionException.class);
  }

  @Test
  void verifyPeerAdmitsOnlyClientsWithACertificateOfTheCa() throws Exception {
    TestCerts ca = TestCerts.newCa(dir, "mtls");
    TestCerts.Issued server = ca.server("api-server");
    TestCerts.Issued operator = ca.client("operator");
    Linkgate a = start(new JsonObject().put("certfile", server.cert().toString())
      .put("keyfile", server.key().toString()).put("cacertfile", ca.caFile().toString())
      .put("verify", "verify_peer").put("fail_if_no_peer_cert", true), true);
    int port = a.gateway().api().httpsPort();
    WebClient withCert = WebClient.create(client, new WebClientOptions().setSsl(true).setVerifyHost(true)
      .setTrustOptions(new PemTrustOptions().addCertPath(ca.caFile().toString()))
      .setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions().setCertPath(operator.cert().toString())
        .setKeyPath(operator.key().toString())));
    loginAndListLinks(withCert, port, "127.0.0.1");
    assertThatThrownBy(() -> await(verifying(ca.caFile()).get(port, "127.0.0.1", "/api/v5/status").send()))
      .as("a client without a certificate").isInstanceOf(ExecutionException.class);
  }

  @Test
  void inlinePemAndTheLinkgateSpellingWork() throws Exception {
    TestCerts ca = TestCerts.newCa(dir, "inline");
    TestCerts.Issued server = ca.server("api-server");
    Linkgate a = start(new JsonObject().put("certfile", Files.readString(server.cert()))
      .put("keyfile", Files.readString(server.key())), false);
    loginAndListLinks(verifying(ca.caFile()), a.gateway().api().httpsPort(), "127.0.0.1");
  }
}
