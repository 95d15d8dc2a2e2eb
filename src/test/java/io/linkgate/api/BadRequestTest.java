package io.linkgate.api;

import io.linkgate.Linkgate;
import io.linkgate.config.ConfigLoader;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.linkgate.testutil.ApiUser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad request bodies and unsupported methods, over real HTTP: a 400 (or 405 with {@code Allow}) whose message a
 * user understands, names every missing field and shows nothing of Java or Jackson.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadRequestTest {
  LinkedClusters clusters;
  Vertx client = Vertx.vertx();
  WebClient http;
  Linkgate a;

  @BeforeEach
  void start() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("A", "B", "m/#");
    JsonObject conf = clusters.configJson("A");
    conf.put("api", ApiUser.OPS.apiSection());
    a = clusters.start("A", ConfigLoader.fromJson(conf));
    http = WebClient.create(client);
  }

  @AfterEach
  void stop() throws Exception {
    clusters.close();
    client.close();
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, String body) throws Exception {
    return ApiUser.OPS.call(http, a.apiPort(), method, path, body);
  }

  /** A 400 whose message says {@code expected} and none of the internals a user cannot act on. */
  static String assertBadRequest(HttpResponse<Buffer> r, String... expected) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("code")).isEqualTo("BAD_REQUEST");
    String message = body.getString("message");
    assertThat(message).contains(expected);
    assertThat(message.toLowerCase()).doesNotContain("exception", "jackson", "streamreadfeature", "java.",
      "failed to decode", "null", "source:", "redacted");
    return message;
  }

  @Test
  void emptyBodiesAre400() throws Exception {
    for (String[] call : new String[][]{{"POST", "/cluster/links"}, {"PUT", "/cluster/links"},
      {"PUT", "/cluster/links/link/B"}, {"PUT", "/cluster/links/B"}, {"PUT", "/configs"}, {"POST", "/api_key"},
      {"PUT", "/api_key/k1"}}) {
      for (String body : new String[]{null, "", "  \n"}) {
        assertBadRequest(call(HttpMethod.valueOf(call[0]), call[1], body), "empty");
      }
    }
    var login = http.post(a.apiPort(), "127.0.0.1", "/api/v5/login").send().toCompletionStage()
      .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertBadRequest(login, "empty");
  }

  @Test
  void invalidJsonSaysWhereWithoutParserInternals() throws Exception {
    String message = assertBadRequest(call(HttpMethod.POST, "/cluster/links", "{\"name\": \"C\",\n \"server\": }"),
      "not valid JSON", "line 2");
    assertThat(message).doesNotContain("code 125");
    assertBadRequest(call(HttpMethod.PUT, "/cluster/links/link/B", "{name: B}"), "not valid JSON", "line 1");
    assertBadRequest(call(HttpMethod.PUT, "/configs", "[1, 2"), "not valid JSON");
    assertBadRequest(call(HttpMethod.POST, "/cluster/links", "\"text\""), "JSON object");
    assertBadRequest(call(HttpMethod.POST, "/cluster/links", "[]"), "JSON object");
    assertBadRequest(call(HttpMethod.POST, "/cluster/links", "{} trailing"), "not valid JSON");
  }

  @Test
  void everyMissingFieldIsListed() throws Exception {
    String message = assertBadRequest(call(HttpMethod.POST, "/cluster/links", "{}"), "name", "server", "topics");
    assertThat(message).contains("missing required key");
    assertBadRequest(call(HttpMethod.POST, "/cluster/links", "{\"name\": \"C\", \"server\": \"127.0.0.1:1\"}"),
      "topics: missing required key");
    assertBadRequest(call(HttpMethod.POST, "/cluster/links", "{\"name\": \"\", \"topics\": []}"), "name:",
      "server: missing required key");
    assertBadRequest(call(HttpMethod.PUT, "/cluster/links", "{\"server\": \"127.0.0.1:1\"}"),
      "name: missing required key", "topics: missing required key");
    assertBadRequest(call(HttpMethod.PUT, "/cluster/links/link/B", "{}"), "server", "topics");
    assertBadRequest(call(HttpMethod.POST, "/api_key", "{}"), "name");
    // nothing was created by the refused requests
    var list = call(HttpMethod.GET, "/cluster/links", null);
    assertThat(list.bodyAsJsonArray().size()).isEqualTo(1);
  }

  @Test
  void unsupportedMethodsOnExistingPathsAre405WithAllow() throws Exception {
    int poolSize = call(HttpMethod.GET, "/cluster/links/link/B", null).bodyAsJsonObject().getInteger("pool_size");
    var patch = call(HttpMethod.PATCH, "/cluster/links/link/B", "{\"pool_size\": " + (poolSize + 1) + "}");
    assertThat(patch.statusCode()).isEqualTo(405);
    assertThat(patch.bodyAsJsonObject().getString("code")).isEqualTo("METHOD_NOT_ALLOWED");
    assertThat(patch.bodyAsJsonObject().getString("message")).contains("PATCH", "PUT");
    assertThat(patch.getHeader("Allow")).contains("GET", "PUT", "DELETE").doesNotContain("PATCH");
    var deleteAll = call(HttpMethod.DELETE, "/cluster/links", null);
    assertThat(deleteAll.statusCode()).isEqualTo(405);
    assertThat(deleteAll.getHeader("Allow")).contains("GET", "POST", "PUT");
    var postLogin = http.get(a.apiPort(), "127.0.0.1", "/api/v5/login").send().toCompletionStage()
      .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(postLogin.statusCode()).isEqualTo(405);
    assertThat(postLogin.getHeader("Allow")).isEqualTo("POST");
    // an unknown path stays 404, and the link is untouched by the PATCH
    assertThat(call(HttpMethod.GET, "/no/such/thing", null).statusCode()).isEqualTo(404);
    assertThat(call(HttpMethod.GET, "/cluster/links/link/B", null).bodyAsJsonObject().getInteger("pool_size"))
      .isEqualTo(poolSize);
  }
}
