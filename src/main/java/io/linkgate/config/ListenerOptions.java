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
 * @param websocket WebSocket settings, present for {@code ws} listeners and null for {@code tcp}
 */
public record ListenerOptions(boolean enable, HostPort bind, int maxConnections, WebsocketOptions websocket,
    ConnRate maxConnRate) {

  /** Listener kinds, named by their key under {@code listeners}. */
  public enum Type {
    TCP("tcp", 1883), WS("ws", 8083);

    private final String key;
    private final HostPort defaultBind;

    Type(String key, int port) {
      this.key = key;
      this.defaultBind = new HostPort(HostPort.ANY_HOST, port);
    }

    public String key() {
      return key;
    }

    public HostPort defaultBind() {
      return defaultBind;
    }
  }

  public ListenerOptions {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(maxConnRate, "maxConnRate");
  }

  public ListenerOptions(boolean enable, HostPort bind, int maxConnections, WebsocketOptions websocket) {
    this(enable, bind, maxConnections, websocket, ConnRate.UNLIMITED);
  }

  /** The listener named {@code default} that exists unless the config changes or disables it. */
  public static ListenerOptions defaults(Type type) {
    return new ListenerOptions(true, type.defaultBind(), Values.INFINITY,
        type == Type.WS ? WebsocketOptions.DEFAULT : null);
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
    WebsocketOptions ws = type == Type.WS ? f.object("websocket", WebsocketOptions::fromJson) : null;
    return f.result(() -> new ListenerOptions(enable, bind, maxConnections, ws, rate));
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

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("enable", enable)
        .put("bind", bind.toString())
        .put("max_connections", Values.intOrInfinity(maxConnections))
        .put("max_conn_rate", maxConnRate.toString());
    if (websocket != null) {
      json.put("websocket", websocket.toJson());
    }
    return json;
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
