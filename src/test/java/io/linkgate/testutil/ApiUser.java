package io.linkgate.testutil;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/** A user of a node's REST API in a test: the config that creates it, and the header that authenticates as it. */
public record ApiUser(String username, String password) {
  /** The operator most API tests log in as. */
  public static final ApiUser OPS = new ApiUser("ops", "ops-password-1");

  /** A node's {@code api} section: an ephemeral port on loopback, with this user as its only user. */
  public JsonObject apiSection() {
    return new JsonObject().put("bind", "127.0.0.1:0")
      .put("users", new JsonArray().add(new JsonObject().put("username", username).put("password", password)));
  }

  /** The value of an {@code Authorization} header for HTTP Basic as this user. */
  public String basicAuthorization() {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code method /api/v5<path>} on the API at loopback {@code port}, as this user, with a JSON {@code body} (null:
   * none); the response within 10 s.
   */
  public HttpResponse<Buffer> call(WebClient http, int port, HttpMethod method, String path, String body)
    throws Exception {
    var req = http.request(method, port, "127.0.0.1", "/api/v5" + path)
      .putHeader("Authorization", basicAuthorization());
    var response = body == null ? req.send()
      : req.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body));
    return response.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
