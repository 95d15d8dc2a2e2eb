package io.linkgate.testutil;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

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
}
