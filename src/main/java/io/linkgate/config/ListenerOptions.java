package io.linkgate.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * One MQTT listener: {@code listeners.tcp.<name>} or {@code listeners.ws.<name>}.
 *
 * @param enable false keeps the entry but does not listen (the way to switch off a default listener)
 * @param bind host and port; port 0 binds an ephemeral port (tests)
 * @param maxConnections concurrent connections accepted by this listener, {@link Values#INFINITY} for no limit
 * @param maxConnRate new connections accepted per period ({@code "1000/s"}), {@link ConnRate#UNLIMITED} for no limit
 * @param websocket WebSocket settings, present for {@code ws}/{@code wss} listeners and null otherwise
 * @param ssl TLS settings ({@code ssl_options}), present for {@code ssl}/{@code wss} listeners and null otherwise
 * @param enableAuthn whether clients of this listener go through {@code authentication} (EMQX's
 *     {@code enable_authn})
 * @param allowAnonymous with {@code authentication} configured, also admit clients that send no username
 * @param peerCertAsUsername {@code disabled}, or {@code cn}: a verified client certificate's CN is the username
 *     and authenticates the client by itself
 */
public record ListenerOptions(boolean enable, HostPort bind, int maxConnections, WebsocketOptions websocket,
    ListenerSslOptions ssl, AuthnMode enableAuthn, boolean allowAnonymous, String peerCertAsUsername,
    ConnRate maxConnRate) {

  public static final String PEER_CERT_DISABLED = "disabled";
  public static final String PEER_CERT_CN = "cn";

  /** Listener kinds, named by their key under {@code listeners}. */
  public enum Type {
    TCP("tcp", 1883, false, false), WS("ws", 8083, true, false), SSL("ssl", 8883, false, true),
    WSS("wss", 8084, true, true);

    private final String key;
    private final HostPort defaultBind;
    private final boolean websocket;
    private final boolean tls;

    Type(String key, int port, boolean websocket, boolean tls) {
      this.key = key;
      this.defaultBind = new HostPort(HostPort.ANY_HOST, port);
      this.websocket = websocket;
      this.tls = tls;
    }

    public String key() {
      return key;
    }

    public boolean websocket() {
      return websocket;
    }

    public boolean tls() {
      return tls;
    }

    public HostPort defaultBind() {
      return defaultBind;
    }
  }

  /** {@code enable_authn}: {@code true}, {@code false} or {@code quick_deny_anonymous}, as in EMQX. */
  public enum AuthnMode {
    /** clients are checked against {@code authentication} (when it is configured) */
    ENABLED(true),
    /** this listener skips authentication: every client is admitted */
    DISABLED(false),
    /** like ENABLED, and a client without a username is refused at once, whatever {@code allow_anonymous} says */
    QUICK_DENY_ANONYMOUS("quick_deny_anonymous");

    private final Object configValue;

    AuthnMode(Object configValue) {
      this.configValue = configValue;
    }

    public Object configValue() {
      return configValue;
    }
  }

  public ListenerOptions {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(enableAuthn, "enableAuthn");
    Objects.requireNonNull(peerCertAsUsername, "peerCertAsUsername");
    Objects.requireNonNull(maxConnRate, "maxConnRate");
  }

  /** A listener with the default security settings (authentication on, no anonymous, no certificate identity). */
  public ListenerOptions(boolean enable, HostPort bind, int maxConnections, WebsocketOptions websocket) {
    this(enable, bind, maxConnections, websocket, null, AuthnMode.ENABLED, false, PEER_CERT_DISABLED,
        ConnRate.UNLIMITED);
  }

  /** The listener named {@code default} that exists unless the config changes or disables it (tcp and ws only). */
  public static ListenerOptions defaults(Type type) {
    return new ListenerOptions(true, type.defaultBind(), Values.INFINITY,
        type.websocket() ? WebsocketOptions.DEFAULT : null);
  }

  public boolean peerCertIsUsername() {
    return PEER_CERT_CN.equals(peerCertAsUsername);
  }

  /** Listeners other than {@code default} must say where they bind. */
  public static ListenerOptions fromJson(JsonObject json, String path, List<ValidationError> errors, Type type,
      boolean isDefault) {
    Fields f = new Fields(json, path, errors);
    boolean enable = f.bool("enable", true);
    if (!isDefault && json.getValue("bind") == null) {
      f.error("bind", Fields.MISSING);
    }
    HostPort bind = Binds.read(f, "bind", type.defaultBind());
    int maxConnections = f.intOrInfinity("max_connections", Values.INFINITY, 1, Integer.MAX_VALUE);
    ConnRate rate = connRate(f);
    WebsocketOptions ws = type.websocket() ? f.object("websocket", WebsocketOptions::fromJson) : null;
    ListenerSslOptions ssl = null;
    if (type.tls()) {
      if (json.getValue("ssl_options") == null) {
        f.error("ssl_options", Fields.MISSING + ": a TLS listener needs at least certfile and keyfile");
      } else {
        ssl = f.object("ssl_options", ListenerSslOptions::fromJson);
      }
    }
    AuthnMode authn = readAuthnMode(f);
    boolean allowAnonymous = f.bool("allow_anonymous", false);
    String peerCert = f.oneOf("peer_cert_as_username", PEER_CERT_DISABLED, List.of(PEER_CERT_DISABLED, PEER_CERT_CN));
    if (PEER_CERT_CN.equals(peerCert)) {
      if (!type.tls()) {
        f.error("peer_cert_as_username", "only ssl and wss listeners see client certificates");
      } else if (!(json.getValue("ssl_options") instanceof JsonObject o
          && SslOptions.VERIFY_PEER.equals(o.getValue("verify")))) { // read raw: ssl is null when it has errors
        f.error("peer_cert_as_username", "needs ssl_options.verify = verify_peer: an unverified certificate "
            + "must not name the client");
      }
    }
    ListenerSslOptions sslOptions = ssl;
    return f.result(() -> new ListenerOptions(enable, bind, maxConnections, ws, sslOptions, authn, allowAnonymous,
        peerCert, rate));
  }

  private static ConnRate connRate(Fields f) {
    Object v = f.value("max_conn_rate");
    if (v == null) {
      return ConnRate.UNLIMITED;
    }
    try {
      if (v instanceof String s) {
        return ConnRate.parse(s);
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      // reported below
    }
    f.error("max_conn_rate", "expected a rate such as \"1000/s\", \"100/10s\" or \"infinity\", got "
        + Fields.describe(v));
    return ConnRate.UNLIMITED;
  }

  private static AuthnMode readAuthnMode(Fields f) {
    Object v = f.value("enable_authn");
    if (v == null || Boolean.TRUE.equals(v) || "true".equals(v)) {
      return AuthnMode.ENABLED;
    }
    if (Boolean.FALSE.equals(v) || "false".equals(v)) {
      return AuthnMode.DISABLED;
    }
    if ("quick_deny_anonymous".equals(v)) {
      return AuthnMode.QUICK_DENY_ANONYMOUS;
    }
    f.error("enable_authn", "must be true, false or \"quick_deny_anonymous\", got " + Fields.describe(v));
    return AuthnMode.ENABLED;
  }

  public JsonObject toJson() {
    return toJson(false);
  }

  public JsonObject toJson(boolean redactSecrets) {
    JsonObject json = new JsonObject()
        .put("enable", enable)
        .put("bind", bind.toString())
        .put("max_connections", Values.intOrInfinity(maxConnections))
        .put("max_conn_rate", maxConnRate.toString());
    if (websocket != null) {
      json.put("websocket", websocket.toJson());
    }
    if (ssl != null) {
      json.put("ssl_options", ssl.toJson(redactSecrets));
    }
    return json.put("enable_authn", enableAuthn.configValue())
        .put("allow_anonymous", allowAnonymous)
        .put("peer_cert_as_username", peerCertAsUsername);
  }

  /** {@code listeners.ws.<name>.websocket}. Only the standard path is served for now. */
  public record WebsocketOptions(String mqttPath) {

    public static final String MQTT_PATH = "/mqtt";
    public static final WebsocketOptions DEFAULT = new WebsocketOptions(MQTT_PATH);

    public WebsocketOptions {
      Objects.requireNonNull(mqttPath, "mqttPath");
    }

    public static WebsocketOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
      Fields f = new Fields(json, path, errors);
      String mqttPath = f.string("mqtt_path", MQTT_PATH);
      if (!mqttPath.equals(MQTT_PATH)) {
        f.error("mqtt_path", "only \"" + MQTT_PATH + "\" is supported, got \"" + mqttPath + "\"");
      }
      return f.result(() -> new WebsocketOptions(mqttPath));
    }

    public JsonObject toJson() {
      return new JsonObject().put("mqtt_path", mqttPath);
    }
  }
}
