package io.linkgate.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * {@code api.https} (EMQX: {@code dashboard.listeners.https}): the API and dashboard over TLS, with the certificate
 * options of the MQTT {@code ssl} listeners ({@code ssl_options}: paths or inline PEM, {@code verify_peer} for
 * client certificates). Present means on unless {@code enable = false}; the plain listener ({@code api.bind}) stays
 * on as well.
 */
public record ApiHttpsOptions(boolean enable, HostPort bind, ListenerSslOptions ssl) {

  public static final HostPort DEFAULT_BIND = new HostPort(HostPort.ANY_HOST, 18084);

  public ApiHttpsOptions {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(ssl, "ssl");
  }

  static ApiHttpsOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    Fields f = new Fields(json, path, errors);
    boolean enable = f.bool("enable", true);
    HostPort bind = Binds.read(f, "bind", DEFAULT_BIND);
    JsonObject sslJson = f.rawObject("ssl_options");
    ListenerSslOptions ssl = null;
    if (sslJson == null) {
      if (json.getValue("ssl_options") == null) {
        f.error("ssl_options", "missing required key: the server certificate (certfile, keyfile)");
      }
    } else {
      ssl = ListenerSslOptions.fromJson(sslJson, f.path("ssl_options"), errors);
    }
    ListenerSslOptions s = ssl;
    return f.result(() -> new ApiHttpsOptions(enable, bind, s));
  }

  public JsonObject toJson(boolean redactSecrets) {
    return new JsonObject().put("enable", enable).put("bind", bind.toString())
        .put("ssl_options", ssl.toJson(redactSecrets));
  }
}
