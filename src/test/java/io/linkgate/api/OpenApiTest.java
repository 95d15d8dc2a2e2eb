package io.linkgate.api;

import io.linkgate.Linkgate;
import io.linkgate.config.ConfigLoader;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document at /api-docs documents exactly the routes the API serves. */
class OpenApiTest {

  @Test
  void everyDocumentedRouteExistsAndEveryRouteIsDocumented() throws Exception {
    try (LinkedClusters clusters = new LinkedClusters(LinkTimings.fast(), "A")) {
      JsonObject conf = clusters.configJson("A");
      conf.put("api", new JsonObject().put("bind", "127.0.0.1:0"));
      Linkgate a = clusters.start("A", ConfigLoader.fromJson(conf));
      Vertx vertx = Vertx.vertx();
      try {
        JsonObject doc = WebClient.create(vertx).get(a.apiPort(), "127.0.0.1", "/api-docs").send()
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).bodyAsJsonObject();
        assertThat(doc.getString("openapi")).startsWith("3.");
        List<String> documented = new ArrayList<>();
        JsonObject paths = doc.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
          for (String method : paths.getJsonObject(path).fieldNames()) {
            if (!method.equals("parameters")) {
              documented.add(method.toUpperCase() + " " + path);
            }
          }
        }
        List<String> served = a.gateway().api().routeSignatures();
        assertThat(served).containsExactlyInAnyOrderElementsOf(documented);
      } finally {
        vertx.close();
      }
    }
  }
}
