package io.linkgate.api;

import io.linkgate.Linkgate;
import io.linkgate.config.ConfigLoader;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.linkgate.testutil.ApiUser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
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
 * The Prometheus scrape paths of a node's real API, over HTTP, as a scraper uses them: open by default (EMQX's
 * convention), HTTP Basic with an API key when {@code prometheus.enable_basic_auth = true}; the OpenAPI document at
 * {@code /api-docs} and {@code /api/v5/api-docs}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PrometheusScrapeTest {
  static final String[] SCRAPE_PATHS = {"/api/v5/prometheus/stats", "/metrics"};

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

  Linkgate start(JsonObject extra) throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A").withMetrics();
    Path keys = dir.resolve("api-keys");
    Files.writeString(keys, "prometheus:scrape-secret-1\n");
    JsonObject conf = clusters.configJson("A");
    conf.put("api", ApiUser.OPS.apiSection());
    conf.put("api_key", new JsonObject().put("bootstrap_file", keys.toString()));
    extra.forEach(e -> conf.put(e.getKey(), e.getValue()));
    return clusters.start("A", ConfigLoader.fromJson(conf));
  }

  HttpResponse<Buffer> get(Linkgate node, String path, String user, String password) throws Exception {
    HttpRequest<Buffer> req = http.get(node.apiPort(), "127.0.0.1", path);
    if (user != null) {
      req.basicAuthentication(user, password);
    }
    return req.send().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static void assertScrape(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).startsWith("text/plain");
    assertThat(r.bodyAsString()).contains("# TYPE linkgate_");
  }

  @Test
  void byDefaultAScraperNeedsNoCredentials() throws Exception {
    Linkgate a = start(new JsonObject());
    for (String path : SCRAPE_PATHS) {
      assertScrape(get(a, path, null, null));
      // credentials a scraper may still send do no harm
      assertScrape(get(a, path, "prometheus", "scrape-secret-1"));
    }
    // the rest of the API stays closed
    assertThat(get(a, "/api/v5/cluster/links", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void withBasicAuthTheScrapeNeedsAnApiKey() throws Exception {
    Linkgate a = start(new JsonObject().put("prometheus", new JsonObject().put("enable_basic_auth", true)));
    for (String path : SCRAPE_PATHS) {
      HttpResponse<Buffer> anonymous = get(a, path, null, null);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.getHeader("WWW-Authenticate")).startsWith("Basic");
      assertThat(get(a, path, "prometheus", "wrong-secret").statusCode()).isEqualTo(401);
      assertScrape(get(a, path, "prometheus", "scrape-secret-1"));
      assertScrape(get(a, path, "ops", "ops-password-1"));
    }
  }

  @Test
  void theOpenApiDocumentIsAtTheRootAndUnderApiV5() throws Exception {
    Linkgate a = start(new JsonObject());
    for (String path : new String[]{"/api-docs", "/api/v5/api-docs"}) {
      HttpResponse<Buffer> r = get(a, path, null, null);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.bodyAsJsonObject().getString("openapi")).startsWith("3.");
    }
  }
}
