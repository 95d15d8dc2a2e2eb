package io.linkgate.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linkgate.Linkgate;
import io.linkgate.config.ConfigLoader;
import io.linkgate.config.LinkOptions;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.linkgate.testutil.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The web dashboard served by a real Linkgate, driven in headless Chromium by src/test/js/dashboard.mjs
 * (playwright-core): log in, create a link to a second real Linkgate, see its API errors, toggle, edit, watch its
 * counters rise while MQTT.js clients exchange messages across the link, delete it. Screenshots of every page go to
 * target/dashboard-screenshots/.
 */
@Tag("slow")
@org.junit.jupiter.api.Timeout(300) // a headless browser through every page
class DashboardTest {
  private static final Logger log = LoggerFactory.getLogger(DashboardTest.class);
  private static final Path BASE_DIR = Path.of(System.getProperty("basedir", "."));
  private static final Path JS_DIR = BASE_DIR.resolve("src/test/js");
  private static final Path SCREENSHOTS = BASE_DIR.resolve("target/dashboard-screenshots");
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String USER = "operator";
  static final String PASSWORD = "operator-password-1";
  /** What the script types into the form's Password field at creation. */
  static final String LINK_PASSWORD = "link-pass-1";

  private LinkedClusters clusters;
  private Linkgate a;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startClusters() throws Exception {
    // B already links to A for fromA/#; A's link to B is what the operator creates in the dashboard
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("B", "A", "fromA/#");
    JsonObject conf = clusters.configJson("A");
    conf.put("api", new JsonObject().put("bind", "127.0.0.1:0")
      .put("users", new JsonArray().add(new JsonObject().put("username", USER).put("password", PASSWORD))));
    a = clusters.start("A", ConfigLoader.fromJson(conf));
    clusters.start("B");
  }

  @AfterEach
  void stopClusters() throws Exception {
    clusters.close();
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.apiPort() + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void pagesAreServedWithoutCredentialsButNoDataIs() throws Exception {
    var index = get("/", null);
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("content-type"))
      .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(index.headers().firstValue("content-security-policy"))
      .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'").doesNotContain("unsafe-inline"));
    assertThat(index.body()).contains("<script type=\"module\" src=\"js/app.js\">");
    var script = get("/js/app.js", null);
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("content-type"))
      .hasValueSatisfying(t -> assertThat(t).contains("javascript"));

    assertThat(get("/api/v5/monitor_current", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v5/cluster/links", null).statusCode()).isEqualTo(401);
    // an expired token must bring the dashboard's login back, not the browser's own Basic login box
    var expired = get("/api/v5/cluster/links", "Bearer expired-token");
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.headers().firstValue("www-authenticate"))
      .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    String basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes());
    JsonObject monitor = new JsonObject(get("/api/v5/monitor_current", basic).body());
    assertThat(monitor.getString("node")).isEqualTo("A@127.0.0.1");
    assertThat(monitor.fieldNames()).contains("connections", "subscriptions", "received", "sent", "dropped",
      "received_msg_rate", "sent_msg_rate");

    // unknown paths stay JSON 404s, API or not; no directory listing
    // the figures are the broker's: one message through a real client shows in and out
    try (var client = new MqttClient("tcp://127.0.0.1:" + clusters.port("A"), "monitor-probe",
      new MemoryPersistence())) {
      client.connect();
      var delivered = new java.util.concurrent.CountDownLatch(1);
      client.subscribe("probe/#", 1, (topic, message) -> delivered.countDown());
      client.publish("probe/1", "x".getBytes(), 1, false);
      assertThat(delivered.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      JsonObject after = new JsonObject(get("/api/v5/monitor_current", basic).body());
      assertThat(after.getLong("received")).isGreaterThan(monitor.getLong("received"));
      assertThat(after.getLong("sent")).isGreaterThan(monitor.getLong("sent"));
      assertThat(after.getInteger("subscriptions")).isGreaterThanOrEqualTo(1);
      assertThat(after.getInteger("connections")).isGreaterThan(monitor.getInteger("connections"));
      client.disconnect();
    }

    // the icon a browser asks for by itself, and the one the page names
    var ico = get("/favicon.ico", null);
    assertThat(ico.statusCode()).isEqualTo(200);
    assertThat(ico.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/"));
    var svg = get("/favicon.svg", null);
    assertThat(svg.statusCode()).isEqualTo(200);
    assertThat(svg.headers().firstValue("content-type")).hasValue("image/svg+xml");
    assertThat(index.body()).contains("rel=\"icon\" href=\"favicon.svg\"");

    var missing = get("/no-such-page.html", null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(missing.body()).getString("code")).isEqualTo("NOT_FOUND");
    assertThat(get("/js/", null).statusCode()).isEqualTo(404);
    // nothing of the classpath outside the dashboard's folder
    for (String escape : List.of("/../api/openapi.json", "/..%2Fapi%2Fopenapi.json", "/%2e%2e/%2e%2e/logback.xml",
      "/io/linkgate/api/openapi.json")) {
      assertThat(get(escape, null).statusCode()).as(escape).isIn(400, 404);
    }
    assertThat(get("/api/v5/no-such-thing", basic).statusCode()).isEqualTo(404);
  }

  @Test
  void operatorManagesALinkInTheBrowserWhileMessagesFlow() throws Exception {
    String node = onPath("node");
    if (!new File(CHROMIUM).canExecute()) {
      fail("%s not found: run scripts/test-deps.sh (apt-get install chromium)", CHROMIUM);
    }
    if (!Files.isRegularFile(JS_DIR.resolve("node_modules/playwright-core/package.json"))) {
      fail("playwright-core is not installed in %s: run npm ci --prefix src/test/js", JS_DIR.toAbsolutePath());
    }
    Files.createDirectories(SCREENSHOTS);
    // only this run's pictures, so a missing one cannot hide behind an older file
    try (var old = Files.newDirectoryStream(SCREENSHOTS, "*.png")) {
      for (Path png : old) {
        Files.delete(png);
      }
    }
    JsonObject args = new JsonObject()
      .put("url", "http://127.0.0.1:" + a.apiPort() + "/")
      .put("username", USER).put("password", PASSWORD)
      .put("linkName", "B").put("linkServer", "127.0.0.1:" + clusters.port("B")).put("linkPassword", LINK_PASSWORD)
      .put("deadServer", "127.0.0.1:" + Ports.free())
      .put("mqttA", clusters.port("A")).put("mqttB", clusters.port("B"))
      .put("chromium", CHROMIUM).put("screenshots", SCREENSHOTS.toAbsolutePath().toString());

    List<JsonNode> lines = new ArrayList<>();
    try (ScriptProcess script = ScriptProcess.start(JS_DIR, SCREENSHOTS.resolve("dashboard-stderr.log"),
      node, "dashboard.mjs", args.encode())) {
      for (String line; (line = script.nextLine(90)) != null; ) {
        log.info("dashboard.mjs: {}", line);
        JsonNode out = JSON.readTree(line);
        lines.add(out);
        if (out.path("type").asText().equals("edited")) {
          checkEditKeptTheSecret();
        }
        if (out.path("type").asText().matches("done|error")) {
          break;
        }
      }
      int rc = script.awaitExit(10);
      assertThat(rc).as("dashboard.mjs exit code; output %s; stderr %s", lines, script.stderr()).isZero();
    }
    assertThat(lines).as("script output").isNotEmpty();
    assertThat(last(lines).path("type").asText()).as("last line of %s", lines).isEqualTo("done");

    JsonNode counters = line(lines, "counters");
    assertThat(counters.path("forwardedAfter").asLong()).isGreaterThan(counters.path("forwardedBefore").asLong());
    assertThat(counters.path("receivedAfter").asLong()).isGreaterThan(counters.path("receivedBefore").asLong());
    assertThat(counters.path("routes").asLong()).isGreaterThanOrEqualTo(1);
    JsonNode traffic = line(lines, "traffic");
    assertThat(traffic.path("receivedOnA").asInt()).as("messages B forwarded to A's subscriber").isPositive();
    assertThat(traffic.path("receivedOnB").asInt()).as("messages A forwarded to B's subscriber").isPositive();
    assertThat(line(lines, "downReason").path("reason").asText()).as("why the link to a closed port is down")
      .isNotBlank();
    assertThat(line(lines, "auth").path("unauthenticatedApiCalls").size()).as("API calls without a token").isZero();
    assertThat(line(lines, "files").path("missing").size()).as("files the page did not get").isZero();
    assertThat(line(lines, "listRefresh").path("ms").asLong()).as("ms until the list showed a change made elsewhere")
      .isLessThan(10_000);
    assertThat(a.config().cluster().links()).as("links left after the delete").isEmpty();
    for (String shot : List.of("01-login", "02-overview", "03-links-empty", "04a-create-tls", "04-create-error", "05-links",
      "06-link-disabled", "06b-link-down", "06d-link-down-overview", "06c-overview-alarm", "07-settings", "08-link-overview",
      "09-links-narrow", "09b-link-overview-narrow", "10-deleted")) {
      assertThat(SCREENSHOTS.resolve(shot + ".png")).isNotEmptyFile();
    }
  }

  /**
   * The edit went through the form, which showed the password as ****** and sent it back that way, and kept the
   * link disabled as the page's switch had just set it.
   */
  private void checkEditKeptTheSecret() {
    LinkOptions link = a.config().cluster().link("B").orElseThrow();
    assertThat(link.enable()).isFalse();
    assertThat(link.password()).isEqualTo(LINK_PASSWORD);
    assertThat(link.username()).isEqualTo("link-user");
    assertThat(link.clientid()).isEqualTo("dash");
    assertThat(link.topics()).containsExactly("fromB/#", "more/#");
    assertThat(link.maxInflight()).isEqualTo(64);
    assertThat(link.poolSize()).isEqualTo(2);
  }

  private static JsonNode line(List<JsonNode> lines, String type) {
    return lines.stream().filter(n -> n.path("type").asText().equals(type)).findFirst()
      .orElseThrow(() -> new AssertionError("no " + type + " line in " + lines));
  }

  private static JsonNode last(List<JsonNode> lines) {
    return lines.get(lines.size() - 1);
  }

  private static String onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File candidate = new File(dir, tool);
      if (!dir.isEmpty() && candidate.canExecute()) {
        return candidate.getAbsolutePath();
      }
    }
    return fail(tool + " not found on PATH: install Node.js 20 (apt-get install nodejs)");
  }
}
