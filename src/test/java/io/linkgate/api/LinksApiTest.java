package io.linkgate.api;

import io.linkgate.Linkgate;
import io.linkgate.config.ConfigLoader;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.linkgate.testutil.ApiUser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The links REST API over real HTTP against running, linked clusters (reference §7 API scenarios). */
class LinksApiTest {
  static final String USER = "ops";
  static final String PASSWORD = "ops-password-1";

  LinkedClusters clusters;
  Vertx client = Vertx.vertx();
  WebClient http;
  Linkgate a;
  JsonObject confA;

  @BeforeEach
  void start() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("B", "A", "m/#");
    JsonObject conf = clusters.configJson("A");
    conf.put("api", ApiUser.OPS.apiSection());
    confA = conf;
    a = clusters.start("A", ConfigLoader.fromJson(conf));
    http = WebClient.create(client);
  }

  @AfterEach
  void stop() throws Exception {
    clusters.close();
    client.close();
  }

  String basic() {
    return ApiUser.OPS.basicAuthorization();
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, Object body) throws Exception {
    String json = body == null ? null : body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode();
    return ApiUser.OPS.call(http, a.apiPort(), method, path, json);
  }

  JsonObject linkToB(String... topics) {
    return new JsonObject().put("name", "B").put("server", "127.0.0.1:" + clusters.port("B"))
      .put("topics", new JsonArray(List.of((Object[]) topics))).put("password", "s3cret-pw").put("pool_size", 2);
  }

  @Test
  void healthNeedsNoCredentialsButEverythingElseDoes() throws Exception {
    var status = http.get(a.apiPort(), "127.0.0.1", "/api/v5/status").send().toCompletionStage().toCompletableFuture()
      .get(5, TimeUnit.SECONDS);
    assertThat(status.statusCode()).isEqualTo(200);
    var anonymous = http.get(a.apiPort(), "127.0.0.1", "/api/v5/cluster/links").send().toCompletionStage()
      .toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.bodyAsJsonObject().getString("code")).isEqualTo("UNAUTHORIZED");
    var wrong = http.get(a.apiPort(), "127.0.0.1", "/api/v5/cluster/links")
      .putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString("ops:nope".getBytes()))
      .send().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(wrong.statusCode()).isEqualTo(401);

    var login = http.post(a.apiPort(), "127.0.0.1", "/api/v5/login")
      .sendJsonObject(new JsonObject().put("username", USER).put("password", PASSWORD))
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(login.statusCode()).isEqualTo(200);
    String token = login.bodyAsJsonObject().getString("token");
    var withToken = http.get(a.apiPort(), "127.0.0.1", "/api/v5/nodes").putHeader("Authorization", "Bearer " + token)
      .send().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(withToken.statusCode()).isEqualTo(200);
    assertThat(withToken.bodyAsJsonArray().getJsonObject(0).getString("node")).isEqualTo("A@127.0.0.1");
  }

  @Test
  void apiKeysAreCreatedOnceUsedOverBasicAndCanBeDisabledAndDeleted() throws Exception {
    var created = call(HttpMethod.POST, "/api_key", new JsonObject().put("name", "ci").put("desc", "for CI"));
    assertThat(created.statusCode()).isEqualTo(201);
    String secret = created.bodyAsJsonObject().getString("api_secret");
    assertThat(secret).hasSizeGreaterThan(20);
    assertThat(call(HttpMethod.GET, "/api_key", null).bodyAsString()).contains("\"ci\"").doesNotContain(secret);
    String keyAuth = "Basic " + Base64.getEncoder().encodeToString(("ci:" + secret).getBytes());
    var withKey = http.get(a.apiPort(), "127.0.0.1", "/api/v5/cluster/links").putHeader("Authorization", keyAuth)
      .send().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(withKey.statusCode()).isEqualTo(200);
    // keys made through the API survive a restart (kept hashed under data_dir)
    clusters.stop("A");
    a = clusters.start("A", ConfigLoader.fromJson(confA));
    var afterRestart = http.get(a.apiPort(), "127.0.0.1", "/api/v5/cluster/links").putHeader("Authorization", keyAuth)
      .send().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(afterRestart.statusCode()).isEqualTo(200);
    String dataDir = confA.getJsonObject("node").getString("data_dir");
    assertThat(java.nio.file.Files.readString(java.nio.file.Path.of(dataDir, "api-keys.json")))
      .contains("\"ci\"").doesNotContain(secret);
    call(HttpMethod.PUT, "/api_key/ci", new JsonObject().put("enable", false));
    var disabled = http.get(a.apiPort(), "127.0.0.1", "/api/v5/cluster/links").putHeader("Authorization", keyAuth)
      .send().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(disabled.statusCode()).isEqualTo(401);
    assertThat(call(HttpMethod.DELETE, "/api_key/ci", null).statusCode()).isEqualTo(204);
    assertThat(call(HttpMethod.GET, "/api_key/ci", null).statusCode()).isEqualTo(404);
  }

  @Test
  void crudLifecycleWithValidationAndRedactedSecrets() throws Exception {
    assertThat(call(HttpMethod.GET, "/cluster/links", null).bodyAsJsonArray()).isEmpty();
    var created = call(HttpMethod.POST, "/cluster/links", linkToB("t/#"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("password")).isEqualTo("******");

    var dup = call(HttpMethod.POST, "/cluster/links", linkToB("t/#"));
    assertThat(dup.statusCode()).isEqualTo(400);
    assertThat(dup.bodyAsJsonObject().getString("code")).isEqualTo("ALREADY_EXISTS");

    // scenario 30: invalid names get EMQX's messages
    var badName = call(HttpMethod.POST, "/cluster/links", linkToB("x/#").put("name", "~!@#$%^&*()_+{}:'<>?|"));
    assertThat(badName.statusCode()).isEqualTo(400);
    assertThat(badName.bodyAsJsonObject().getString("message")).contains("Invalid name format");
    var emptyName = call(HttpMethod.POST, "/cluster/links", linkToB("x/#").put("name", ""));
    assertThat(emptyName.bodyAsJsonObject().getString("message")).contains("Name cannot be empty string");
    var longName = call(HttpMethod.POST, "/cluster/links", linkToB("x/#").put("name", "n".repeat(256)));
    assertThat(longName.bodyAsJsonObject().getString("message")).contains("Name length must be less than 255");
    var ownName = call(HttpMethod.POST, "/cluster/links", linkToB("x/#").put("name", "A"));
    assertThat(ownName.statusCode()).isEqualTo(400);
    assertThat(call(HttpMethod.GET, "/cluster/links", null).bodyAsJsonArray()).hasSize(1); // refused requests changed nothing

    var badTopic = call(HttpMethod.PUT, "/cluster/links/link/B", linkToB("t/#", "t/#/+").put("name", "B"));
    assertThat(badTopic.statusCode()).isEqualTo(400);
    assertThat(badTopic.bodyAsJsonObject().getString("message"))
      .contains("topics[1]: invalid topic filter \"t/#/+\": '#' must be the last level");
    var noServer = call(HttpMethod.PUT, "/cluster/links/link/B", new JsonObject().put("topics", new JsonArray()));
    assertThat(noServer.statusCode()).isEqualTo(400);
    assertThat(noServer.bodyAsJsonObject().getString("message")).contains("server");
    var redundant = call(HttpMethod.PUT, "/cluster/links/B", linkToB("t", "t"));
    assertThat(redundant.statusCode()).isEqualTo(400);

    // nothing above changed the stored link
    JsonObject stored = call(HttpMethod.GET, "/cluster/links/link/B", null).bodyAsJsonObject();
    assertThat(stored.getJsonArray("topics")).containsExactly("t/#");
    assertThat(stored.getString("status")).isIn("connecting", "running", "disconnected");
    assertThat(stored.getJsonArray("node_status").getJsonObject(0).getString("node")).isEqualTo("A@127.0.0.1");

    // a PUT carrying ****** keeps the stored password
    var updated = call(HttpMethod.PUT, "/cluster/links/link/B", stored.copy().put("password", "******")
      .put("topics", new JsonArray().add("u/#")));
    assertThat(updated.statusCode()).as(updated.bodyAsString()).isEqualTo(200);
    assertThat(a.config().cluster().link("B").orElseThrow().password()).isEqualTo("s3cret-pw");

    var disabled = call(HttpMethod.PUT, "/cluster/links/link/B", stored.copy().put("enable", false));
    assertThat(disabled.bodyAsJsonObject().getString("status")).isEqualTo("stopped");
    assertThat(clusters.runs("A", "B")).as("link verticle still deployed").isFalse();

    // scenario 26: a CA pasted as PEM is saved under data_dir and the link refers to its path
    String pem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUexample\n-----END CERTIFICATE-----\n";
    var withCa = call(HttpMethod.PUT, "/cluster/links/link/B", stored.copy().put("ssl",
      new JsonObject().put("enable", false).put("cacertfile", pem)));
    assertThat(withCa.statusCode()).as(withCa.bodyAsString()).isEqualTo(200);
    String caPath = withCa.bodyAsJsonObject().getJsonObject("ssl").getString("cacertfile");
    assertThat(caPath).matches(".*certs/cluster/links/B/cacertfile-[0-9a-f]{8}\\.pem");
    assertThat(java.nio.file.Files.readString(java.nio.file.Path.of(caPath))).isEqualTo(pem);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(
      java.nio.file.Path.of(caPath)))).isEqualTo("rw-------");
    // a refused request writes no certificate; a new one is a new file, so the link sees the change
    String otherPem = pem.replace("example", "example2");
    var refused = call(HttpMethod.PUT, "/cluster/links/link/B", stored.copy().put("topics", new JsonArray().add("a/#/b"))
      .put("ssl", new JsonObject().put("enable", false).put("cacertfile", otherPem)));
    assertThat(refused.statusCode()).isEqualTo(400);
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of(caPath).getParent())) {
      assertThat(files.count()).isEqualTo(1);
    }
    var rotated = call(HttpMethod.PUT, "/cluster/links/link/B", stored.copy().put("ssl",
      new JsonObject().put("enable", false).put("cacertfile", otherPem)));
    assertThat(rotated.bodyAsJsonObject().getJsonObject("ssl").getString("cacertfile")).isNotEqualTo(caPath);
    // a new link cannot keep a secret it never had
    var literal = call(HttpMethod.POST, "/cluster/links", new JsonObject().put("name", "N").put("server", "127.0.0.1:1")
      .put("topics", new JsonArray()).put("password", "******"));
    assertThat(literal.statusCode()).isEqualTo(400);
    assertThat(literal.bodyAsJsonObject().getString("message")).contains("no stored secret");

    assertThat(call(HttpMethod.GET, "/cluster/links/link/nope", null).statusCode()).isEqualTo(404);
    assertThat(call(HttpMethod.DELETE, "/cluster/links/link/nope", null).statusCode()).isEqualTo(404);
    assertThat(call(HttpMethod.GET, "/cluster/links/link/nope/metrics", null).statusCode()).isEqualTo(404);
  }

  @Test
  void putOnTheCollectionCreatesOrUpdatesByNameAndAnArrayReplacesTheList() throws Exception {
    var created = call(HttpMethod.PUT, "/cluster/links", linkToB("t/#"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    assertThat(call(HttpMethod.PUT, "/cluster/links", linkToB("u/#")).bodyAsJsonObject().getJsonArray("topics"))
      .containsExactly("u/#");
    JsonObject c = new JsonObject().put("name", "C").put("server", "127.0.0.1:1").put("topics", new JsonArray());
    var replaced = call(HttpMethod.PUT, "/cluster/links", new JsonArray().add(c));
    assertThat(replaced.statusCode()).as(replaced.bodyAsString()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/cluster/links", null).bodyAsJsonArray()).extracting(o -> ((JsonObject) o)
      .getString("name")).containsExactly("C");
    // one bad element refuses the whole array, and nothing changes
    var bad = call(HttpMethod.PUT, "/cluster/links", new JsonArray().add(linkToB("t/#"))
      .add(new JsonObject().put("name", "D")));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("message")).contains("[1].server");
    assertThat(call(HttpMethod.GET, "/cluster/links", null).bodyAsJsonArray()).hasSize(1);
  }

  @Test
  void concurrentDeletesGiveOne204AndThe404s() throws Exception {
    assertThat(call(HttpMethod.POST, "/cluster/links", linkToB("t/#")).statusCode()).isEqualTo(201);
    List<Future<HttpResponse<Buffer>>> deletes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      deletes.add(http.delete(a.apiPort(), "127.0.0.1", "/api/v5/cluster/links/link/B")
        .putHeader("Authorization", basic()).send());
    }
    Future.join(deletes).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    List<Integer> codes = deletes.stream().map(f -> f.result().statusCode()).toList();
    assertThat(codes).containsOnly(204, 404);
    assertThat(codes.stream().filter(c -> c == 204).count()).isEqualTo(1);
  }

  @Test
  void statusAndMetricsFollowThePeerAndTheTraffic() throws Exception {
    clusters.start("B");
    call(HttpMethod.POST, "/cluster/links", linkToB());
    await().atMost(15, TimeUnit.SECONDS).until(() ->
      "running".equals(call(HttpMethod.GET, "/cluster/links/link/B", null).bodyAsJsonObject().getString("status")));

    MqttClient sub = new MqttClient(clusters.uri("B"), "api-sub", new MemoryPersistence());
    sub.connect();
    sub.subscribe("m/#", 1);
    await().atMost(10, TimeUnit.SECONDS).until(() -> call(HttpMethod.GET, "/cluster/links/link/B/metrics", null)
      .bodyAsJsonObject().getJsonObject("metrics").getJsonObject("router").getInteger("routes") == 1);
    MqttClient pub = new MqttClient(clusters.uri("A"), "api-pub", new MemoryPersistence());
    pub.connect();
    for (int i = 0; i < 5; i++) {
      pub.publish("m/x", "x".getBytes(), 1, false);
    }
    await().atMost(10, TimeUnit.SECONDS).until(() -> call(HttpMethod.GET, "/cluster/links/link/B/metrics", null)
      .bodyAsJsonObject().getJsonObject("metrics").getJsonObject("forwarding").getLong("success") == 5);
    // a forwarding-only change (pool size) swaps the pool but keeps route replication: no reconnect, no re-bootstrap
    long connects = a.gateway().links().status("B").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)
      .routeSyncConnects();
    JsonObject current = call(HttpMethod.GET, "/cluster/links/link/B", null).bodyAsJsonObject();
    var resized = call(HttpMethod.PUT, "/cluster/links/link/B", current.put("pool_size", 3));
    assertThat(resized.statusCode()).as(resized.bodyAsString()).isEqualTo(200);
    await().atMost(10, TimeUnit.SECONDS).until(() -> a.gateway().links().status("B").toCompletionStage()
      .toCompletableFuture().get(5, TimeUnit.SECONDS).poolConnected() == 3);
    assertThat(a.gateway().links().status("B").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).routeSyncConnects())
      .isEqualTo(connects);
    pub.publish("m/x", "after-resize".getBytes(), 1, false);
    await().atMost(10, TimeUnit.SECONDS).until(() -> call(HttpMethod.GET, "/cluster/links/link/B/metrics", null)
      .bodyAsJsonObject().getJsonObject("metrics").getJsonObject("forwarding").getLong("success") == 6);
    assertThat(call(HttpMethod.PUT, "/cluster/links/link/B/metrics/reset", null).statusCode()).isEqualTo(204);
    JsonObject reset = call(HttpMethod.GET, "/cluster/links/link/B/metrics", null).bodyAsJsonObject()
      .getJsonObject("metrics").getJsonObject("forwarding");
    assertThat(reset.getLong("matched")).isZero();
    assertThat(reset.getJsonObject("dropped_by_reason").getMap()).containsOnlyKeys("buffer_full", "ttl", "expired",
      "too_large").allSatisfy((reason, n) -> assertThat(((Number) n).longValue()).isZero());
    pub.disconnect();
    sub.disconnect();

    clusters.stop("B");
    await().atMost(15, TimeUnit.SECONDS).until(() -> {
      JsonObject link = call(HttpMethod.GET, "/cluster/links/link/B", null).bodyAsJsonObject();
      return !"running".equals(link.getString("status"))
        && link.getJsonArray("node_status").getJsonObject(0).getString("reason") != null;
    });
    JsonObject alarms = call(HttpMethod.GET, "/alarms", null).bodyAsJsonObject();
    assertThat(alarms.getJsonArray("data").encode()).contains("cluster_link:B");
    clusters.start("B");
    await().atMost(15, TimeUnit.SECONDS).until(() ->
      "running".equals(call(HttpMethod.GET, "/cluster/links/link/B", null).bodyAsJsonObject().getString("status")));
    assertThat(call(HttpMethod.GET, "/alarms?activated=false", null).bodyAsJsonObject().getJsonArray("history").encode())
      .contains("cluster_link:B");
  }
}
