package io.linkgate.lifecycle;

import io.linkgate.Linkgate;
import io.linkgate.config.ConfigLoader;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.linkgate.testutil.ApiUser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** REST changes are written into the config file the node runs from, survive a restart, and never clobber an edit. */
class ConfigApiTest {
  static final String COMMENT = "# owned by ops: keep this comment";

  LinkedClusters clusters;
  Vertx client = Vertx.vertx();
  WebClient http;
  Path file;
  Linkgate a;

  @BeforeEach
  void start() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("B", "A", "m/#");
    clusters.start("B");
    file = Files.createTempDirectory("linkgate-api-conf").resolve("linkgate.conf");
    JsonObject conf = clusters.configJson("A");
    conf.put("api", ApiUser.OPS.apiSection());
    Files.writeString(file, COMMENT + "\n" + conf.encodePrettily() + "\n");
    a = clusters.startFromFile("A", file);
    http = WebClient.create(client);
  }

  @AfterEach
  void stop() throws Exception {
    clusters.close();
    client.close();
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, JsonObject body) throws Exception {
    return ApiUser.OPS.call(http, a.apiPort(), method, path, body == null ? null : body.encode());
  }

  JsonObject linkToB() {
    return new JsonObject().put("name", "B").put("server", "127.0.0.1:" + clusters.port("B"))
      .put("topics", new JsonArray().add("m/#")).put("password", "s3cret-pw").put("pool_size", 2);
  }

  @Test
  void aRestChangeIsWrittenIntoTheFileAndSurvivesARestart() throws Exception {
    assertThat(call(HttpMethod.POST, "/cluster/links", linkToB()).statusCode()).isEqualTo(201);
    String written = Files.readString(file);
    assertThat(written).startsWith(COMMENT).contains("\"s3cret-pw\"").contains("\"pool_size\" : 2");
    assertThat(ConfigLoader.load(file, Map.of()).cluster().link("B")).isPresent();
    JsonObject status = call(HttpMethod.GET, "/configs/status", null).bodyAsJsonObject();
    assertThat(status.getString("sha256")).isEqualTo(io.linkgate.Sha256.hex(Files.readAllBytes(file)));

    // the watcher sees our own write: nothing to reload. Proved by a sentinel, an operator's edit made after it:
    // once that is applied the watcher has seen our write too, and had it found anything to apply, that would
    // show as a second reload or, merged into this one by the debounce, as more changes than the operator's
    Files.writeString(file, written.replaceFirst("\\{", "{\n  mqtt { max_inflight = 77 }"));
    await().atMost(Duration.ofSeconds(10)).until(() -> a.config().mqtt().maxInflight() == 77);
    JsonObject afterEdit = call(HttpMethod.GET, "/configs/status", null).bodyAsJsonObject();
    assertThat(afterEdit.getJsonObject("reloads").getInteger("applied")).isEqualTo(1);
    assertThat(afterEdit.getJsonObject("last_reload").getJsonArray("changes")).containsExactly("mqtt.max_inflight");

    clusters.stop("A");
    a = clusters.startFromFile("A", file);
    assertThat(a.config().cluster().link("B").orElseThrow().password()).isEqualTo("s3cret-pw");
    await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(clusters.status("A", "B").status()));

    assertThat(call(HttpMethod.DELETE, "/cluster/links/B", null).statusCode()).isEqualTo(204);
    clusters.stop("A");
    a = clusters.startFromFile("A", file);
    assertThat(a.config().cluster().links()).isEmpty();
    assertThat(Files.readString(file)).startsWith(COMMENT);
  }

  /** A link given with three fields is written with those (and `enable`), not with every default it has. */
  @Test
  void aRestLinkIsWrittenWithoutItsDefaults() throws Exception {
    JsonObject link = new JsonObject().put("name", "B").put("server", "127.0.0.1:" + clusters.port("B"))
      .put("topics", new JsonArray().add("m/#"));
    assertThat(call(HttpMethod.POST, "/cluster/links", link).statusCode()).isEqualTo(201);
    String text = Files.readString(file);
    JsonObject written = ConfigLoader.parse(text, "written").getJsonObject("cluster").getJsonArray("links")
      .getJsonObject(0);
    assertThat(written.fieldNames()).containsExactlyInAnyOrder("name", "server", "topics", "enable");
    assertThat(text).doesNotContain("pool_size", "resource_opts", "tcp_opts", "ssl", "keepalive", "max_inflight");
  }

  @Test
  void anEditTheNodeDidNotLoadIsNeverOverwrittenByTheApi() throws Exception {
    String bad = Files.readString(file).replace("\"cluster\" : {", "\"cluster\" : { \"nmae\" : 1,");
    Files.writeString(file, bad);
    await().atMost(Duration.ofSeconds(15)).until(() -> a.gateway().alarms().get(ConfigManager.ALARM_INVALID) != null);

    var refused = call(HttpMethod.POST, "/cluster/links", linkToB());
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.bodyAsJsonObject().getString("code")).isEqualTo("CONFLICT");
    assertThat(refused.bodyAsJsonObject().getString("message")).contains("fix the file");
    assertThat(Files.readString(file)).isEqualTo(bad);
    assertThat(a.config().cluster().links()).isEmpty();

    var reload = call(HttpMethod.POST, "/configs/reload", null);
    assertThat(reload.statusCode()).isEqualTo(400);
    assertThat(reload.bodyAsJsonObject().getString("code")).isEqualTo("BAD_CONFIG");
    assertThat(reload.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("path"))
      .isEqualTo("cluster.nmae");

    Files.writeString(file, bad.replace("\"nmae\" : 1,", ""));
    await().atMost(Duration.ofSeconds(15)).until(() -> a.gateway().alarms().get(ConfigManager.ALARM_INVALID) == null);
    assertThat(call(HttpMethod.POST, "/cluster/links", linkToB()).statusCode()).isEqualTo(201);
  }

  @Test
  void putConfigsValidatesWritesAndAppliesAWholeConfigAndKeepsRedactedSecrets() throws Exception {
    assertThat(call(HttpMethod.POST, "/cluster/links", linkToB()).statusCode()).isEqualTo(201);
    JsonObject effective = call(HttpMethod.GET, "/configs", null).bodyAsJsonObject();
    assertThat(effective.getJsonObject("cluster").getJsonArray("links").getJsonObject(0).getString("password"))
      .isEqualTo("******");
    assertThat(effective.getJsonObject("api").getJsonArray("users").getJsonObject(0).getString("password"))
      .isEqualTo("******");

    String before = Files.readString(file);
    JsonObject invalid = effective.copy();
    invalid.getJsonObject("mqtt").put("max_inflight", -5);
    invalid.getJsonObject("cluster").getJsonArray("links").getJsonObject(0).put("topics", new JsonArray().add("a/#/b"));
    var refused = call(HttpMethod.PUT, "/configs", invalid);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getString("message")).contains("mqtt.max_inflight")
      .contains("cluster.links[0].topics[0]");
    assertThat(Files.readString(file)).isEqualTo(before);

    JsonObject changed = effective.copy();
    changed.getJsonObject("mqtt").put("max_inflight", 64);
    var ok = call(HttpMethod.PUT, "/configs", changed);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.bodyAsJsonObject().getString("result")).isEqualTo("applied");
    assertThat(ok.bodyAsJsonObject().getJsonArray("changes")).containsExactly("mqtt.max_inflight");
    assertThat(a.config().mqtt().maxInflight()).isEqualTo(64);
    assertThat(a.config().cluster().link("B").orElseThrow().password()).isEqualTo("s3cret-pw");
    var reloaded = ConfigLoader.load(file, Map.of());
    assertThat(reloaded.mqtt().maxInflight()).isEqualTo(64);
    assertThat(reloaded.cluster().link("B").orElseThrow().password()).isEqualTo("s3cret-pw");
    assertThat(reloaded.api().users().get(0).password()).isEqualTo("ops-password-1");
    assertThat(Files.readString(file)).startsWith(COMMENT);
  }

  @Test
  void putConfigsRefusesToUndoAnEditWaitingForARestartAndHidesPasswordHashes() throws Exception {
    JsonObject conf = new JsonObject(Files.readString(file).substring(COMMENT.length()));
    conf.getJsonObject("node").put("name", "renamed@127.0.0.1");
    conf.put("authentication", new JsonArray().add(new JsonObject().put("mechanism", "password_based")
      .put("backend", "built_in_database").put("users", new JsonArray().add(new JsonObject().put("user_id", "dev")
        .put("password_hash", io.linkgate.authn.PasswordHash.hash("dev-secret", 1000))))));
    Files.writeString(file, COMMENT + "\n" + conf.encodePrettily());
    await().atMost(Duration.ofSeconds(15)).until(() -> a.gateway().alarms().get(ConfigManager.ALARM_RESTART) != null);

    JsonObject effective = call(HttpMethod.GET, "/configs", null).bodyAsJsonObject();
    assertThat(effective.encode()).doesNotContain("pbkdf2").doesNotContain("ops-password-1");
    String before = Files.readString(file);
    var refused = call(HttpMethod.PUT, "/configs", effective);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.bodyAsJsonObject().getString("message")).contains("node.name");
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void aRestChangeNeverSwallowsAnAclFileEditThatWasNotReloaded() throws Exception {
    Path acl = file.resolveSibling("acl.conf");
    Files.writeString(acl, "{allow, all}.\n");
    JsonObject conf = new JsonObject(Files.readString(file).substring(COMMENT.length()));
    conf.put("authorization", new JsonObject().put("sources", new JsonArray().add(new JsonObject()
      .put("type", "file").put("path", acl.toString()))));
    Files.writeString(file, COMMENT + "\n" + conf.encodePrettily());
    await().atMost(Duration.ofSeconds(15)).until(() -> a.config().authorization().sources() != null);

    Files.writeString(acl, "{deny, all, subscribe, [\"x/#\"]}.\n{allow, all}.\n"); // no reload yet
    var refused = call(HttpMethod.POST, "/cluster/links", linkToB());
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.bodyAsJsonObject().getString("message")).contains("authorization");
    assertThat(a.config().cluster().links()).isEmpty();

    assertThat(call(HttpMethod.POST, "/configs/reload", null).bodyAsJsonObject().getJsonArray("changes"))
      .containsExactly("authorization.sources: ACL file content");
    assertThat(call(HttpMethod.POST, "/cluster/links", linkToB()).statusCode()).isEqualTo(201);
  }
}
