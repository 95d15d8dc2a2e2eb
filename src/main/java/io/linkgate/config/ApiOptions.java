package io.linkgate.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code api { ... }}: the REST API / dashboard HTTP listener (EMQX's {@code dashboard.listeners.http}), its optional
 * HTTPS listener and who may use it. EMQX's root spellings of these keys are folded in by {@link ApiAliases}.
 *
 * @param https               the HTTPS listener, null for none
 * @param prometheusBasicAuth whether the Prometheus scrape paths need credentials (EMQX's
 *                            {@code prometheus.enable_basic_auth}; off: they are open, as in EMQX)
 * @param apiKeyBootstrapFile a file of {@code key:secret} lines loaded at start (EMQX's
 *                            {@code api_key.bootstrap_file}); empty for none
 * @param users               dashboard/API users from the config; the generated {@code admin} user lives under
 *                            {@code node.data_dir}
 * @param tokenTtl            lifetime of a bearer token from {@code POST /api/v5/login}
 */
public record ApiOptions(boolean enable, HostPort bind, ApiHttpsOptions https, String apiKeyBootstrapFile,
                         List<ApiUser> users, Duration tokenTtl, boolean prometheusBasicAuth) {

  public static final HostPort DEFAULT_BIND = new HostPort(HostPort.ANY_HOST, 18083);
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);
  public static final ApiOptions DEFAULT = new ApiOptions(true, DEFAULT_BIND, null, "", List.of(),
      DEFAULT_TOKEN_TTL, false);

  /** A user from the config: the password is hashed when the API starts and never written back out. */
  public record ApiUser(String username, String password) {
    @Override
    public String toString() {
      return "ApiUser[username=" + username + ", password=******]";
    }
  }

  public ApiOptions {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(apiKeyBootstrapFile, "apiKeyBootstrapFile");
    users = List.copyOf(users);
  }

  /** The options as they were before users and keys existed: tests and examples that only care about the port. */
  public ApiOptions(boolean enable, HostPort bind) {
    this(enable, bind, null, "", List.of(), DEFAULT_TOKEN_TTL, false);
  }

  public static ApiOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    Fields f = new Fields(json, path, errors);
    boolean enable = f.bool("enable", true);
    HostPort bind = Binds.read(f, "bind", DEFAULT_BIND);
    JsonObject httpsJson = f.rawObject("https");
    ApiHttpsOptions https = httpsJson == null ? null : ApiHttpsOptions.fromJson(httpsJson, f.path("https"), errors);
    String bootstrapFile = f.object("api_key", (obj, p, errs) -> {
      Fields k = new Fields(obj, p, errs);
      String file = k.string("bootstrap_file", "");
      k.finish();
      return file;
    });
    List<ApiUser> users = users(f, errors);
    Duration ttl = f.duration("token_ttl", DEFAULT_TOKEN_TTL, 1000, Duration.ofMinutes(1), Duration.ofDays(30));
    Boolean basicAuth = f.object("prometheus", (obj, p, errs) -> {
      Fields k = new Fields(obj, p, errs);
      boolean on = k.bool("enable_basic_auth", false);
      k.finish();
      return on;
    });
    return f.result(() -> new ApiOptions(enable, bind, https, bootstrapFile == null ? "" : bootstrapFile, users, ttl,
      Boolean.TRUE.equals(basicAuth)));
  }

  private static List<ApiUser> users(Fields f, List<ValidationError> errors) {
    JsonArray array = f.array("users");
    List<ApiUser> users = new ArrayList<>();
    if (array == null) {
      return users;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String userPath = Fields.index(f.path("users"), i);
      if (!(array.getValue(i) instanceof JsonObject obj)) {
        errors.add(new ValidationError(userPath, "expected an object, got " + Fields.describe(array.getValue(i))));
        continue;
      }
      Fields u = new Fields(obj, userPath, errors);
      String username = u.requiredString("username");
      String password = u.secret("password");
      if (password == null) {
        u.error("password", "is required");
      } else if (password.length() < 8) {
        u.error("password", "must have at least 8 characters");
      }
      if (username != null && !seen.add(username)) {
        u.error("username", "duplicate user \"" + username + "\"");
      }
      ApiUser user = u.result(() -> new ApiUser(username, password));
      if (user != null) {
        users.add(user);
      }
    }
    return users;
  }

  public JsonObject toJson() {
    return toJson(true);
  }

  public JsonObject toJson(boolean redactSecrets) {
    JsonArray users = new JsonArray();
    for (ApiUser u : this.users) {
      users.add(new JsonObject().put("username", u.username())
        .put("password", redactSecrets ? LinkOptions.REDACTED : u.password()));
    }
    JsonObject json = new JsonObject().put("enable", enable).put("bind", bind.toString());
    if (https != null) {
      json.put("https", https.toJson(redactSecrets));
    }
    return json.put("api_key", new JsonObject().put("bootstrap_file", apiKeyBootstrapFile))
      .put("users", users).put("token_ttl", Values.formatDuration(tokenTtl))
      .put("prometheus", new JsonObject().put("enable_basic_auth", prometheusBasicAuth));
  }
}
