package io.linkgate.config;

import io.linkgate.config.ListenerOptions.Type;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code listeners { tcp { <name> {...} }, ws {...}, ssl {...}, wss {...} }}. A listener named {@code default} exists
 * for {@code tcp} and {@code ws} unless the config disables it ({@code listeners.ws.default.enable = false}); the TLS
 * types ({@code ssl}, {@code wss}) have none, because they cannot start without certificates. Maps keep the file's
 * order and are unmodifiable.
 */
public record ListenersOptions(Map<String, ListenerOptions> tcp, Map<String, ListenerOptions> ws,
    Map<String, ListenerOptions> ssl, Map<String, ListenerOptions> wss) {

  public static final String DEFAULT_NAME = "default";
  public static final ListenersOptions DEFAULT = new ListenersOptions(
      Map.of(DEFAULT_NAME, ListenerOptions.defaults(Type.TCP)),
      Map.of(DEFAULT_NAME, ListenerOptions.defaults(Type.WS)));

  private static final Pattern NAME = Pattern.compile("[0-9a-zA-Z][-0-9a-zA-Z_]*");

  public ListenersOptions {
    tcp = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tcp, "tcp")));
    ws = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(ws, "ws")));
    ssl = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(ssl, "ssl")));
    wss = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(wss, "wss")));
  }

  /** Plain listeners only (no TLS). */
  public ListenersOptions(Map<String, ListenerOptions> tcp, Map<String, ListenerOptions> ws) {
    this(tcp, ws, Map.of(), Map.of());
  }

  public static ListenersOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    Fields f = new Fields(json, path, errors);
    Map<String, ListenerOptions> tcp = readType(f, Type.TCP, errors);
    Map<String, ListenerOptions> ws = readType(f, Type.WS, errors);
    Map<String, ListenerOptions> ssl = readType(f, Type.SSL, errors);
    Map<String, ListenerOptions> wss = readType(f, Type.WSS, errors);
    return f.result(() -> new ListenersOptions(tcp, ws, ssl, wss));
  }

  private static Map<String, ListenerOptions> readType(Fields f, Type type, List<ValidationError> errors) {
    JsonObject byName = f.rawObject(type.key());
    Map<String, ListenerOptions> out = new LinkedHashMap<>();
    if (!type.tls()) {
      out.put(DEFAULT_NAME, ListenerOptions.defaults(type));
    }
    if (byName == null) {
      return out;
    }
    String typePath = f.path(type.key());
    for (String name : byName.fieldNames()) {
      String path = Fields.child(typePath, name);
      if (!NAME.matcher(name).matches()) {
        errors.add(new ValidationError(path,
            "invalid listener name, use letters, digits, '-' and '_' (starting with a letter or digit)"));
        continue;
      }
      Object v = byName.getValue(name);
      if (!(v instanceof JsonObject obj)) {
        errors.add(new ValidationError(path, "expected an object, got " + Fields.describe(v)));
        continue;
      }
      out.put(name, ListenerOptions.fromJson(obj, path, errors, type, name.equals(DEFAULT_NAME)));
    }
    return out;
  }

  /** The listeners of one type. */
  public Map<String, ListenerOptions> ofType(Type type) {
    return switch (type) {
      case TCP -> tcp;
      case WS -> ws;
      case SSL -> ssl;
      case WSS -> wss;
    };
  }

  /** Every enabled listener as {@code "tcp:default"} / {@code "ssl:default"} to its options: tcp, ws, ssl, wss. */
  public Map<String, ListenerOptions> enabled() {
    Map<String, ListenerOptions> out = new LinkedHashMap<>();
    for (Type type : Type.values()) {
      ofType(type).forEach((name, l) -> {
        if (l.enable()) {
          out.put(type.key() + ":" + name, l);
        }
      });
    }
    return out;
  }

  /** The listener type of an id from {@link #enabled()} ({@code "wss:default"} → WSS). */
  public static Type typeOf(String listenerId) {
    String key = listenerId.substring(0, listenerId.indexOf(':'));
    for (Type type : Type.values()) {
      if (type.key().equals(key)) {
        return type;
      }
    }
    throw new IllegalArgumentException("not a listener id: " + listenerId);
  }

  public JsonObject toJson() {
    return toJson(false);
  }

  /**
   * tcp and ws always (they hold the defaults); ssl and wss only when configured. {@code redactSecrets} hides
   * private keys pasted inline.
   */
  public JsonObject toJson(boolean redactSecrets) {
    JsonObject json = new JsonObject();
    for (Type type : Type.values()) {
      Map<String, ListenerOptions> byName = ofType(type);
      if (!type.tls() || !byName.isEmpty()) {
        JsonObject typeJson = new JsonObject();
        byName.forEach((name, l) -> typeJson.put(name, l.toJson(redactSecrets)));
        json.put(type.key(), typeJson);
      }
    }
    return json;
  }
}
