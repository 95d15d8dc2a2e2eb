package io.linkgate.api;

import io.linkgate.alarm.Alarm;
import io.linkgate.alarm.AlarmRegistry;
import io.linkgate.broker.transport.TlsServerOptions;
import io.linkgate.config.ApiHttpsOptions;
import io.linkgate.config.ApiOptions;
import io.linkgate.config.ConfigException;
import io.linkgate.lifecycle.ConfigConflictException;
import io.linkgate.lifecycle.ConfigManager;
import io.linkgate.lifecycle.RedactedSecrets;
import io.linkgate.lifecycle.ReloadReport;
import io.linkgate.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The management REST API under {@code /api/v5} (EMQX's paths and shapes): cluster links, alarms, nodes and health.
 * Every route but {@code /status}, {@code /login}, the OpenAPI document and (unless
 * {@code prometheus.enable_basic_auth}) the Prometheus scrape paths needs an API key or user (HTTP Basic) or a bearer
 * token. Errors are {@code {"code": "...", "message": "..."}}. The web dashboard's static files are served at
 * {@code /} ({@link Dashboard}). The plain listener ({@code api.bind}) and the optional HTTPS one ({@code api.https})
 * serve the same router.
 */
public final class ApiVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ApiVerticle.class);
  static final String BASE = "/api/v5";
  static final String API_DOCS = "/api-docs";

  private final ApiOptions options;
  private final ApiAuth auth;
  private final LinkAdmin links;
  private final ConfigManager configs;
  private final AlarmRegistry alarms;
  private final Supplier<Future<JsonObject>> nodeInfo;
  private final Supplier<Boolean> ready;
  private final List<Handler<Router>> extraRoutes;
  /** Paths open without credentials: health, login, the OpenAPI document, and the scrape paths unless configured. */
  private final Set<String> publicPaths;
  private HttpServer server;
  private HttpServer httpsServer;
  private Router router;
  private String openApi;

  /**
   * @param nodeInfo    this node's name, version, uptime, connections and subscriptions
   * @param ready       whether every verticle of the node is deployed
   * @param extraRoutes more routes to mount (e.g. the Prometheus scrape endpoints), after authentication
   */
  public ApiVerticle(ApiOptions options, ApiAuth auth, LinkAdmin links, ConfigManager configs, AlarmRegistry alarms,
                     Supplier<Future<JsonObject>> nodeInfo, Supplier<Boolean> ready, List<Handler<Router>> extraRoutes) {
    this.options = options;
    this.auth = auth;
    this.links = links;
    this.configs = configs;
    this.alarms = alarms;
    this.nodeInfo = nodeInfo;
    this.ready = ready;
    this.extraRoutes = List.copyOf(extraRoutes);
    Set<String> open = new HashSet<>(List.of(BASE + "/status", BASE + "/login", API_DOCS, BASE + API_DOCS));
    if (!options.prometheusBasicAuth()) {
      // EMQX's convention: Prometheus scrapes without credentials unless prometheus.enable_basic_auth = true
      open.addAll(List.of(GatewayMetrics.PATH_EMQX, GatewayMetrics.PATH_METRICS));
    }
    this.publicPaths = Set.copyOf(open);
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** The HTTPS listener's port, or -1 when {@code api.https} is not configured. */
  public int httpsPort() {
    return httpsServer == null ? -1 : httpsServer.actualPort();
  }

  /** Every route as {@code METHOD /path/{param}}, for the test that holds the OpenAPI document to the code. */
  public List<String> routeSignatures() {
    List<String> out = new java.util.ArrayList<>();
    for (var route : router.getRoutes()) {
      if (route.getPath() == null || route.methods() == null) {
        continue;
      }
      String path = route.getPath().replaceAll(":([a-z]+)", "{$1}");
      route.methods().forEach(m -> out.add(m.name() + " " + path));
    }
    return out;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> {
      try (var in = ApiVerticle.class.getResourceAsStream("openapi.json")) {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }).compose(doc -> {
      openApi = doc;
      return listen();
    });
  }

  private Future<?> listen() {
    router = Router.router(vertx);
    router.route().handler(BodyHandler.create().setBodyLimit(1024 * 1024));
    for (String docs : List.of(API_DOCS, BASE + API_DOCS)) {
      router.get(docs).handler(ctx -> ctx.response().putHeader("content-type", "application/json").end(openApi));
    }
    router.get(BASE + "/status").handler(this::status);
    router.post(BASE + "/login").handler(this::login);
    router.route(BASE + "/*").handler(this::authenticate);
    router.route("/metrics").handler(this::authenticate);
    extraRoutes.forEach(r -> r.handle(router));

    router.get(BASE + "/cluster/links").respond(ctx -> links.list());
    router.post(BASE + "/cluster/links").handler(ctx -> links.create(JsonBodies.object(ctx)).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(201).putHeader("content-type", "application/json").end(ar.result().encode());
      } else {
        ctx.fail(ar.cause());
      }
    }));
    router.put(BASE + "/cluster/links").respond(ctx -> links.put(JsonBodies.any(ctx)));
    for (String prefix : List.of(BASE + "/cluster/links/link/:name", BASE + "/cluster/links/:name")) {
      router.get(prefix + "/metrics").respond(ctx -> links.metrics(ctx.pathParam("name")));
      router.put(prefix + "/metrics/reset").handler(ctx -> links.resetMetrics(ctx.pathParam("name"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail));
      router.get(prefix).respond(ctx -> links.get(ctx.pathParam("name")));
      router.put(prefix).respond(ctx -> links.update(ctx.pathParam("name"), JsonBodies.object(ctx)));
      router.delete(prefix).handler(ctx -> links.delete(ctx.pathParam("name"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail));
    }
    router.get(BASE + "/api_key").respond(ctx -> Future.succeededFuture(apiKeysJson()));
    router.post(BASE + "/api_key").handler(this::createApiKey);
    router.get(BASE + "/api_key/:name").respond(ctx -> Future.succeededFuture(apiKeyJson(auth.apiKey(
      ctx.pathParam("name")))));
    router.put(BASE + "/api_key/:name").respond(ctx -> {
      JsonObject body = JsonBodies.object(ctx);
      Object enable = body.getValue("enable");
      Object desc = body.getValue("desc");
      if (enable != null && !(enable instanceof Boolean) || desc != null && !(desc instanceof String)) {
        throw ApiException.badRequest("enable must be a boolean and desc a string");
      }
      return auth.updateApiKey(ctx.pathParam("name"), (Boolean) enable, (String) desc).map(ApiVerticle::apiKeyJson);
    });
    router.delete(BASE + "/api_key/:name").handler(ctx -> auth.deleteApiKey(ctx.pathParam("name"))
      .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail));
    router.get(BASE + "/configs").respond(ctx -> configs.serially(() -> Future.succeededFuture(
      configs.running().toJson(true))));
    router.put(BASE + "/configs").handler(this::putConfigs);
    router.post(BASE + "/configs/reload").handler(ctx -> configs.reload("api_reload").onSuccess(report ->
      reloadResponse(ctx, report)).onFailure(ctx::fail));
    router.get(BASE + "/configs/status").respond(ctx -> configs.status());
    router.get(BASE + "/alarms").respond(this::alarms);
    router.get(BASE + "/nodes").respond(ctx -> nodeInfo.get().map(n -> new JsonArray().add(n)));
    Dashboard.mount(router);
    MethodNotAllowed allowed = MethodNotAllowed.of(router);
    router.route().last().handler(ctx -> ctx.fail(allowed.failure(ctx)));
    router.route().failureHandler(this::failure);

    server = vertx.createHttpServer();
    Future<?> http = server.requestHandler(router).listen(options.bind().port(), options.bind().host())
      .onSuccess(s -> log.info("REST API started [bind: {}:{}]", options.bind().host(), s.actualPort()))
      .recover(err -> Future.failedFuture(new IllegalStateException("cannot open the API on " + options.bind() + ": "
        + err.getMessage(), err)));
    ApiHttpsOptions https = options.https();
    if (https == null || !https.enable()) {
      return http;
    }
    return http.compose(v -> {
      HttpServerOptions tls = new HttpServerOptions();
      TlsServerOptions.apply(tls, https.ssl());
      httpsServer = vertx.createHttpServer(tls);
      return httpsServer.requestHandler(router).listen(https.bind().port(), https.bind().host())
        .onSuccess(s -> log.info("REST API started [bind: {}:{}, tls: true]", https.bind().host(), s.actualPort()))
        .recover(err -> Future.failedFuture(new IllegalStateException("cannot open the API's HTTPS listener on "
          + https.bind() + ": " + err.getMessage(), err)));
    });
  }

  @Override
  public Future<?> stop() {
    return Future.join(server == null ? Future.succeededFuture() : server.close(),
      httpsServer == null ? Future.succeededFuture() : httpsServer.close());
  }

  /** A whole config; {@code ******} keeps the running secret. Invalid: 400 with every error, nothing changed. */
  private void putConfigs(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    configs.serially(() -> configs.validate(RedactedSecrets.restore(body, configs.running().toJson(false))))
      .compose(candidate -> configs.replace(candidate, "api_put"))
      .onSuccess(report -> reloadResponse(ctx, report)).onFailure(ctx::fail);
  }

  /** 200 with the report, or 400 with it (and every error) when the file was rejected. */
  private static void reloadResponse(RoutingContext ctx, ReloadReport report) {
    JsonObject body = report.toJson();
    boolean rejected = report.result() == ReloadReport.Result.REJECTED;
    if (rejected) {
      body.put("code", "BAD_CONFIG").put("message", "the config file was not loaded; the running config is "
        + "unchanged: " + report.errors().stream().map(Object::toString).collect(Collectors.joining("; ")));
    }
    ctx.response().setStatusCode(rejected ? 400 : 200).putHeader("content-type", "application/json")
      .end(body.encode());
  }

  private void status(RoutingContext ctx) {
    boolean up = ready.get();
    ctx.response().setStatusCode(up ? 200 : 503).putHeader("content-type", "application/json")
      .end(new JsonObject().put("status", up ? "running" : "starting").encode());
  }

  private void login(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    String username = body.getValue("username") instanceof String s ? s : null;
    String password = body.getValue("password") instanceof String s ? s : null;
    if (username == null || password == null) {
      throw ApiException.badRequest("username and password are required");
    }
    auth.login(username, password, peer(ctx)).onSuccess(ok -> {
      if (!ok) {
        log.warn("API login failed [username: {}, peer: {}]", username, ctx.request().remoteAddress());
        ctx.fail(new ApiException(401, "BAD_USERNAME_OR_PWD", "Auth failed"));
        return;
      }
      ctx.response().putHeader("content-type", "application/json").end(new JsonObject()
        .put("token", auth.issueToken(username)).put("username", username)
        .put("expires_in", auth.tokenTtlMillis() / 1000).encode());
    }).onFailure(err -> failLogin(ctx, err));
  }

  private void authenticate(RoutingContext ctx) {
    if (publicPaths.contains(ctx.normalizedPath())) {
      ctx.next(); // an open path (another method on it: 405, not a login prompt)
      return;
    }
    String authorization = ctx.request().getHeader("Authorization");
    auth.authenticate(authorization, peer(ctx)).onSuccess(principal -> {
      if (principal == null) {
        // a refused bearer token (the dashboard's) gets a Bearer challenge: a Basic one makes the browser open its
        // own login box over the page
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        ctx.response().putHeader("WWW-Authenticate", (bearer ? "Bearer" : "Basic") + " realm=\"linkgate\"");
        ctx.fail(new ApiException(401, "UNAUTHORIZED", "missing or invalid credentials: use an API key "
          + "(HTTP Basic key:secret) or a bearer token from POST " + BASE + "/login"));
      } else {
        ctx.next();
      }
    }).onFailure(err -> failLogin(ctx, err));
  }

  /** Who may use the API; tests tune its login throttle. */
  ApiAuth auth() {
    return auth;
  }

  private static String peer(RoutingContext ctx) {
    var address = ctx.request().remoteAddress();
    return address == null ? "" : address.hostAddress();
  }

  /** A lockout is 429 with Retry-After (seconds); anything else goes to the failure handler as is. */
  private static void failLogin(RoutingContext ctx, Throwable err) {
    if (err instanceof ApiAuth.LockedOut locked) {
      ctx.response().putHeader("Retry-After", Long.toString(locked.retryAfterSeconds));
      ctx.fail(new ApiException(429, "TOO_MANY_REQUESTS", locked.getMessage()));
    } else {
      ctx.fail(err);
    }
  }

  private void createApiKey(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    String name = body.getValue("name") instanceof String s ? s : null;
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
      throw ApiException.badRequest("name: letters, digits, '_' and '-', at most 64, starting with a letter or digit");
    }
    auth.createApiKey(name, body.getValue("desc") instanceof String d ? d : "").onSuccess(secret -> {
      JsonObject out = apiKeyJson(auth.apiKey(name)).put("api_key", name).put("api_secret", secret);
      ctx.response().setStatusCode(201).putHeader("content-type", "application/json").end(out.encode());
    }).onFailure(ctx::fail);
  }

  private JsonArray apiKeysJson() {
    JsonArray out = new JsonArray();
    auth.apiKeys().forEach(k -> out.add(apiKeyJson(k)));
    return out;
  }

  /** An API key without its secret, which is never shown again after its creation. */
  private static JsonObject apiKeyJson(ApiAuth.ApiKey k) {
    return new JsonObject().put("name", k.key()).put("api_key", k.key()).put("desc", k.desc())
      .put("enable", k.enable()).put("created_at", k.createdAt()).put("from_bootstrap_file", k.fromBootstrap());
  }

  private Future<JsonObject> alarms(RoutingContext ctx) {
    String activated = ctx.request().getParam("activated");
    JsonObject out = new JsonObject();
    if (activated == null || "true".equals(activated)) {
      out.put("data", toJson(alarms.active()));
    }
    if (activated == null || "false".equals(activated)) {
      out.put("history", toJson(alarms.history()));
    }
    return Future.succeededFuture(out);
  }

  private static JsonArray toJson(List<Alarm> list) {
    JsonArray array = new JsonArray();
    for (Alarm a : list) {
      JsonObject details = new JsonObject();
      a.details().forEach(details::put);
      array.add(new JsonObject().put("name", a.name()).put("message", a.message()).put("details", details)
        .put("activated", a.active()).put("activate_at", a.activatedAt())
        .put("deactivate_at", a.deactivatedAt() == 0 ? null : a.deactivatedAt()));
    }
    return array;
  }

  /** One failure handler: {@link ApiException}, vertx-web's {@link HttpException}, anything else as 500. */
  private void failure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    int status;
    String code;
    String message;
    if (t instanceof ApiException e) {
      status = e.status();
      code = e.code();
      message = e.getMessage();
    } else if (t instanceof ConfigConflictException) {
      status = 409;
      code = "CONFLICT";
      message = t.getMessage();
    } else if (t instanceof ConfigException e) {
      status = 400;
      code = "BAD_REQUEST";
      message = e.errors().stream().map(Object::toString).collect(Collectors.joining("; "));
    } else if (t instanceof HttpException e) {
      status = e.getStatusCode();
      code = status == 405 ? "METHOD_NOT_ALLOWED" : status == 404 ? "NOT_FOUND" : "BAD_REQUEST";
      message = e.getPayload() != null ? e.getPayload() : "HTTP " + status;
    } else if (t == null) {
      status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      code = status == 404 ? "NOT_FOUND" : status == 405 ? "METHOD_NOT_ALLOWED" : "INTERNAL_ERROR";
      message = "HTTP " + status;
    } else {
      status = 500;
      code = "INTERNAL_ERROR";
      message = String.valueOf(t.getMessage());
      log.error("API request failed [method: {}, path: {}]", ctx.request().method(), ctx.request().path(), t);
    }
    if (status < 500 && t != null) {
      log.debug("API request refused [method: {}, path: {}, status: {}, reason: {}]", ctx.request().method(),
        ctx.request().path(), status, message);
    }
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("code", code).put("message", message).encode());
    }
  }
}
