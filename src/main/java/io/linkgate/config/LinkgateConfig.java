package io.linkgate.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole configuration: immutable, safe to share between verticles and event loops. Load it with
 * {@link ConfigLoader} (or {@link #fromJson}), which validates everything; the constructors only check for nulls.
 *
 * <p>Adding a section: a component here, one line in {@link #fromJson} and one in {@link #toJson(boolean)}; the
 * section's record follows the same {@code fromJson(json, path, errors)} / {@code toJson()} shape. Keys that no
 * section reads are reported as unknown.
 */
public record LinkgateConfig(
    NodeOptions node,
    ClusterOptions cluster,
    ListenersOptions listeners,
    MqttOptions mqtt,
    ApiOptions api,
    AuthenticationOptions authentication,
    AuthorizationOptions authorization) {

  public LinkgateConfig {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(listeners, "listeners");
    Objects.requireNonNull(mqtt, "mqtt");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(authentication, "authentication");
    Objects.requireNonNull(authorization, "authorization");
  }

  /** Every default: what an empty file gives. */
  public static LinkgateConfig defaults() {
    return ConfigLoader.fromJson(new JsonObject());
  }

  /**
   * Reads and validates a config tree. Returns null when anything is wrong; every problem is added to
   * {@code errors} with its path (relative to {@code path}, "" for the root).
   */
  public static LinkgateConfig fromJson(JsonObject json, String path, List<ValidationError> errors) {
    Fields f = new Fields(json, path, errors);
    NodeOptions node = f.object("node", NodeOptions::fromJson);
    ClusterOptions cluster = f.object("cluster", ClusterOptions::fromJson);
    ListenersOptions listeners = f.object("listeners", ListenersOptions::fromJson);
    MqttOptions mqtt = f.object("mqtt", MqttOptions::fromJson);
    ApiOptions api = ApiAliases.read(f, path, errors);
    AuthenticationOptions authentication = AuthenticationOptions.read(f, "authentication", errors);
    AuthorizationOptions authorization = f.object("authorization", AuthorizationOptions::fromJson);
    f.finish();
    checkPorts(listeners, api, path, errors);
    return f.failed() ? null : new LinkgateConfig(node, cluster, listeners, mqtt, api, authentication,
        authorization);
  }

  /** Two enabled listeners (or a listener and the API) may not bind the same port on overlapping addresses. */
  private static void checkPorts(ListenersOptions listeners, ApiOptions api, String path,
      List<ValidationError> errors) {
    Map<String, HostPort> binds = new LinkedHashMap<>();
    if (listeners != null) {
      listeners.enabled().forEach((id, l) -> binds.put(
          Fields.child(path, "listeners." + id.replace(':', '.') + ".bind"), l.bind()));
    }
    if (api != null && api.enable()) {
      binds.put(Fields.child(path, "api.bind"), api.bind());
      if (api.https() != null && api.https().enable()) {
        binds.put(Fields.child(path, "api.https.bind"), api.https().bind());
      }
    }
    List<Map.Entry<String, HostPort>> earlier = new ArrayList<>();
    for (Map.Entry<String, HostPort> e : binds.entrySet()) {
      HostPort b = e.getValue();
      for (Map.Entry<String, HostPort> prior : earlier) {
        HostPort p = prior.getValue();
        if (b.port() != 0 && b.port() == p.port()
            && (b.host().equals(p.host()) || b.isWildcard() || p.isWildcard())) {
          errors.add(new ValidationError(e.getKey(), "port " + b.port() + " is already used by " + prior.getKey()
              + " (" + p + ")"));
          break;
        }
      }
      earlier.add(e);
    }
  }

  /** This config with other links: nothing else is re-read (the ACL and certificate files stay as loaded). */
  public LinkgateConfig withCluster(ClusterOptions newCluster) {
    return new LinkgateConfig(node, newCluster, listeners, mqtt, api, authentication, authorization);
  }

  /** Full form with every default; {@code redactSecrets} replaces passwords with {@link LinkOptions#REDACTED}. */
  public JsonObject toJson(boolean redactSecrets) {
    return new JsonObject()
        .put("node", node.toJson())
        .put("cluster", cluster.toJson(redactSecrets))
        .put("listeners", listeners.toJson(redactSecrets))
        .put("mqtt", mqtt.toJson())
        .put("api", api.toJson(redactSecrets))
        .put("authentication", authentication.toJson(redactSecrets))
        .put("authorization", authorization.toJson());
  }

  public JsonObject toJson() {
    return toJson(false);
  }
}
