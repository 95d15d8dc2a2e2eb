package io.linkgate.api;

import io.linkgate.Linkgate;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node whose file spells API settings the EMQX way ({@code api_key.bootstrap_file} at the root): the API keys of
 * that file work, {@code GET /configs} shows the setting as {@code api.api_key.bootstrap_file}, sending it back
 * unchanged is accepted, and a change that would contradict the file's own spelling is refused with the conflict
 * named and the file left as it was.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmqxKeysConfigApiTest {
  @TempDir
  Path dir;
  LinkedClusters clusters;
  Vertx client = Vertx.vertx();
  WebClient http = WebClient.create(client);

  @AfterEach
  void stop() throws Exception {
    if (clusters != null) {
      clusters.close();
    }
    client.close();
  }

  HttpResponse<Buffer> call(Linkgate a, String method, String path, JsonObject body) throws Exception {
    var req = http.request(io.vertx.core.http.HttpMethod.valueOf(method), a.apiPort(), "127.0.0.1", "/api/v5" + path)
      .basicAuthentication("script", "script-secret-1");
    return (body == null ? req.send() : req.sendJsonObject(body)).toCompletionStage().toCompletableFuture()
      .get(20, TimeUnit.SECONDS);
  }

  @Test
  void theEmqxSpellingInTheFileWorksAndAConflictingPutIsRefused() throws Exception {
    Path keys = dir.resolve("keys");
    Files.writeString(keys, "script:script-secret-1\n");
    clusters = new LinkedClusters(LinkTimings.fast(), "A");
    JsonObject conf = clusters.configJson("A");
    conf.put("api", new JsonObject().put("bind", "127.0.0.1:0").put("users", new JsonArray()));
    Path file = dir.resolve("linkgate.conf");
    conf.put("api_key", new JsonObject().put("bootstrap_file", keys.toString()));
    Files.writeString(file, conf.encodePrettily() + "\n");
    Linkgate a = clusters.startFromFile("A", file);

    HttpResponse<Buffer> got = call(a, "GET", "/configs", null);
    assertThat(got.statusCode()).as("the API key from the root api_key.bootstrap_file").isEqualTo(200);
    JsonObject effective = got.bodyAsJsonObject();
    assertThat(effective.getJsonObject("api").getJsonObject("api_key").getString("bootstrap_file"))
      .isEqualTo(keys.toString());

    assertThat(call(a, "PUT", "/configs", effective).statusCode()).isEqualTo(200);

    String before = Files.readString(file);
    JsonObject conflicting = effective.copy();
    conflicting.getJsonObject("api").getJsonObject("api_key").put("bootstrap_file", dir.resolve("other").toString());
    HttpResponse<Buffer> refused = call(a, "PUT", "/configs", conflicting);
    assertThat(refused.statusCode()).as(refused.bodyAsString()).isIn(400, 409);
    assertThat(refused.bodyAsJsonObject().getString("message"))
      .contains("api_key.bootstrap_file: conflicts with api.api_key.bootstrap_file");
    assertThat(Files.readString(file)).isEqualTo(before);
    assertThat(call(a, "GET", "/cluster/links", null).statusCode()).as("the key still works").isEqualTo(200);
  }
}
