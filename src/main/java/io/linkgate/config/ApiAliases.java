package io.linkgate.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * EMQX's spellings of the API settings, so that blocks pasted from an EMQX config load: each is folded into the
 * {@code api} section before it is read, and an error keeps the path the operator wrote. Both spellings may be
 * used; setting both to different values is an error (no silent precedence).
 *
 * <pre>
 * api_key.bootstrap_file              = api.api_key.bootstrap_file
 * dashboard.listeners.http.bind       = api.bind
 * dashboard.listeners.https {...}     = api.https {...}
 * dashboard.token_expired_time        = api.token_ttl
 * prometheus.enable_basic_auth        = api.prometheus.enable_basic_auth
 * </pre>
 */
final class ApiAliases {
  /** EMQX path, the {@code api} key it stands for, and how two values are compared. */
  private record Alias(String emqx, String api, UnaryOperator<Object> normal) {
  }

  private static final UnaryOperator<Object> AS_IS = v -> v;
  private static final List<Alias> ALIASES = List.of(
      new Alias("api_key.bootstrap_file", "api_key.bootstrap_file", AS_IS),
      new Alias("dashboard.listeners.http.bind", "bind", ApiAliases::normalBind),
      new Alias("dashboard.listeners.https", "https", AS_IS),
      new Alias("dashboard.token_expired_time", "token_ttl", AS_IS),
      new Alias("prometheus.enable_basic_auth", "prometheus.enable_basic_auth", AS_IS));
  /** Named in every unknown-key error under the EMQX roots, so that the operator sees what is accepted. */
  static final String ACCEPTED = "accepted EMQX keys: api_key.bootstrap_file, dashboard.listeners.http.bind, "
      + "dashboard.listeners.https, dashboard.token_expired_time, prometheus.enable_basic_auth";

  private ApiAliases() {
  }

  /**
   * Reads the {@code api} section of {@code root} with the EMQX root keys folded in. Every key under the EMQX roots
   * that has no Linkgate meaning is an error at its own path.
   */
  static ApiOptions read(Fields root, String path, List<ValidationError> errors) {
    JsonObject api = root.rawObject("api");
    api = api == null ? new JsonObject() : api.copy();
    JsonObject emqx = new JsonObject();
    for (String key : List.of("api_key", "dashboard", "prometheus")) {
      JsonObject section = root.rawObject(key);
      if (section != null) {
        emqx.put(key, section);
      }
    }
    int before = errors.size();
    List<String[]> folded = new java.util.ArrayList<>(); // {api path, emqx path}
    for (Alias a : ALIASES) {
      Object value = get(emqx, a.emqx());
      if (value == null) {
        continue;
      }
      remove(emqx, a.emqx());
      Object mine = get(api, a.api());
      String emqxPath = Fields.child(path, a.emqx());
      String apiPath = Fields.child(path, "api." + a.api());
      if (mine != null && !a.normal().apply(mine).equals(a.normal().apply(value))) {
        errors.add(new ValidationError(emqxPath, "conflicts with " + apiPath + " (" + mine + " here, " + value
            + " there): the two are the same setting (EMQX's and Linkgate's spelling); set one of them"));
        continue;
      }
      put(api, a.api(), value);
      folded.add(new String[]{apiPath, emqxPath});
    }
    unknownLeft(emqx, path, errors);
    ApiOptions options = ApiOptions.fromJson(api, Fields.child(path, "api"), errors);
    // an error in a folded value is reported where the operator wrote it
    for (int i = before; i < errors.size(); i++) {
      ValidationError e = errors.get(i);
      for (String[] f : folded) {
        if (e.path().equals(f[0]) || e.path().startsWith(f[0] + ".") || e.path().startsWith(f[0] + "[")) {
          errors.set(i, new ValidationError(f[1] + e.path().substring(f[0].length()), e.message()));
        }
      }
    }
    return errors.size() > before ? null : options;
  }

  /** What is left under the EMQX roots once the aliases are taken out: every leaf is an unknown key. */
  private static void unknownLeft(JsonObject obj, String path, List<ValidationError> errors) {
    for (String key : obj.fieldNames()) {
      Object v = obj.getValue(key);
      String at = Fields.child(path, key);
      if (v instanceof JsonObject child && !child.isEmpty()) {
        unknownLeft(child, at, errors);
      } else if (!(v instanceof JsonObject)) {
        errors.add(new ValidationError(at, "unknown key (" + ACCEPTED + ")"));
      }
    }
  }

  private static Object normalBind(Object v) {
    try {
      return HostPort.parseBind(v instanceof Integer port ? port.toString() : String.valueOf(v)).toString();
    } catch (IllegalArgumentException e) {
      return v;
    }
  }

  private static Object get(JsonObject obj, String dotted) {
    Object node = obj;
    for (String key : dotted.split("\\.")) {
      if (!(node instanceof JsonObject o)) {
        return null;
      }
      node = o.getValue(key);
    }
    return node;
  }

  private static void remove(JsonObject obj, String dotted) {
    String[] keys = dotted.split("\\.");
    JsonObject node = obj;
    for (int i = 0; i < keys.length - 1; i++) {
      node = node.getJsonObject(keys[i]);
    }
    node.remove(keys[keys.length - 1]);
  }

  private static void put(JsonObject obj, String dotted, Object value) {
    String[] keys = dotted.split("\\.");
    JsonObject node = obj;
    for (int i = 0; i < keys.length - 1; i++) {
      Object existing = node.getValue(keys[i]);
      if (existing != null && !(existing instanceof JsonObject)) {
        return; // the api reader reports this value's type
      }
      JsonObject child = (JsonObject) existing;
      if (child == null) {
        child = new JsonObject();
        node.put(keys[i], child);
      }
      node = child;
    }
    node.put(keys[keys.length - 1], value);
  }
}
