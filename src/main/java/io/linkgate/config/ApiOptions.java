package io.linkgate.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * {@code api { enable, bind }}: the REST API / dashboard HTTP listener (EMQX's {@code dashboard.listeners.http}).
 * The API issue adds keys, users and the like as further components.
 */
public record ApiOptions(boolean enable, HostPort bind) {

  public static final HostPort DEFAULT_BIND = new HostPort(HostPort.ANY_HOST, 18083);
  public static final ApiOptions DEFAULT = new ApiOptions(true, DEFAULT_BIND);

  public ApiOptions {
    Objects.requireNonNull(bind, "bind");
  }

  public static ApiOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    Fields f = new Fields(json, path, errors);
    boolean enable = f.bool("enable", true);
    HostPort bind = Binds.read(f, "bind", DEFAULT_BIND);
    return f.result(() -> new ApiOptions(enable, bind));
  }

  public JsonObject toJson() {
    return new JsonObject().put("enable", enable).put("bind", bind.toString());
  }
}
