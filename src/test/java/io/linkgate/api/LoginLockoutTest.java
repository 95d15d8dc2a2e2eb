package io.linkgate.api;

import io.linkgate.Linkgate;
import io.linkgate.broker.BrokerMetrics;
import io.linkgate.config.ConfigLoader;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Password guessing on the API over real HTTP: 429 with a growing Retry-After, per username and address. */
@Timeout(60)
class LoginLockoutTest {
  static final String USER = "ops";
  static final String PASSWORD = "ops-password-1";

  LinkedClusters clusters;
  final Vertx client = Vertx.vertx();
  WebClient http;
  WebClient httpFromElsewhere;
  Linkgate node;

  @BeforeEach
  void start() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A");
    JsonObject conf = clusters.configJson("A");
    conf.put("api", new JsonObject().put("bind", "0.0.0.0:0")
      .put("users", new JsonArray().add(new JsonObject().put("username", USER).put("password", PASSWORD))));
    node = clusters.start("A", ConfigLoader.fromJson(conf));
    http = WebClient.create(client, new WebClientOptions().setLocalAddress("127.0.0.1"));
    httpFromElsewhere = WebClient.create(client, new WebClientOptions().setLocalAddress("127.0.0.2"));
  }

  @AfterEach
  void stop() throws Exception {
    clusters.close();
    client.close();
  }

  HttpResponse<Buffer> login(WebClient c, String user, String password) throws Exception {
    return c.post(node.apiPort(), "127.0.0.1", "/api/v5/login")
      .sendJsonObject(new JsonObject().put("username", user).put("password", password))
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  HttpResponse<Buffer> basic(WebClient c, String user, String password) throws Exception {
    return c.get(node.apiPort(), "127.0.0.1", "/api/v5/alarms")
      .putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes()))
      .send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  long lockouts() throws Exception {
    return node.gateway().broker().onBroker(b -> b.metrics().limitExceeded(BrokerMetrics.Limit.API_LOGIN_ATTEMPTS))
      .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void fiveWrongPasswordsLockThatUserFromThatAddress() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(login(http, USER, "wrong-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<Buffer> locked = login(http, USER, PASSWORD);
    assertThat(locked.statusCode()).as("even the right password waits").isEqualTo(429);
    assertThat(locked.getHeader("Retry-After")).isEqualTo("10");
    assertThat(locked.bodyAsJsonObject().getString("code")).isEqualTo("TOO_MANY_REQUESTS");
    assertThat(basic(http, USER, PASSWORD).statusCode()).as("Basic is no way around it").isEqualTo(429);
    assertThat(lockouts()).isEqualTo(1);

    // the same user from another address, and another user from this one, are not affected
    assertThat(login(httpFromElsewhere, USER, PASSWORD).statusCode()).isEqualTo(200);
    assertThat(login(http, "admin", "wrong").statusCode()).isEqualTo(401);
  }

  @Test
  void eachLockoutLastsLongerAndSuccessClearsIt() throws Exception {
    node.gateway().api().auth().throttle(new LoginThrottle(3, Duration.ofMinutes(1), Duration.ofSeconds(1),
      Duration.ofSeconds(30)));
    for (int i = 0; i < 3; i++) {
      assertThat(basic(http, USER, "wrong").statusCode()).isEqualTo(401);
    }
    assertThat(login(http, USER, PASSWORD).getHeader("Retry-After")).isEqualTo("1");
    // polled until the 1 s lockout is over: refused attempts (429) are not counted, the first 401 is failure one
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
      .until(() -> login(http, USER, "wrong").statusCode() == 401);
    for (int i = 0; i < 2; i++) {
      assertThat(login(http, USER, "wrong").statusCode()).isEqualTo(401);
    }
    HttpResponse<Buffer> second = login(http, USER, PASSWORD);
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.getHeader("Retry-After")).as("doubled").isEqualTo("2");
    // the first success after the 2 s lockout (polled: attempts refused with 429 change nothing)
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
      .until(() -> login(http, USER, PASSWORD).statusCode() == 200);
    // a success forgets the history: the next lockout is the first again
    for (int i = 0; i < 3; i++) {
      login(http, USER, "wrong");
    }
    assertThat(login(http, USER, PASSWORD).getHeader("Retry-After")).isEqualTo("1");
    assertThat(lockouts()).isEqualTo(3);
  }
}
