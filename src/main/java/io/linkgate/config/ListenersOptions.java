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
 * {@code listeners { tcp { <name> {...} }, ws { <name> {...} } }}. A listener named {@code default} exists for each
 * type unless the config disables it ({@code listeners.ws.default.enable = false}). Maps keep the file's order and
 * are unmodifiable. ({@code ssl} and {@code wss} come later and are unknown keys until then.)
 */
public record ListenersOptions(Map<String, ListenerOptions> tcp, Map<String, ListenerOptions> ws) {

  public static final String DEFAULT_NAME = "default";
  public static final ListenersOptions DEFAULT = new ListenersOptions(
      Map.of(DEFAULT_NAME, ListenerOptions.defaults(Type.TCP)),
      Map.of(DEFAULT_NAME, ListenerOptions.defaults(Type.WS)));

  private static final Pattern NAME = Pattern.compile("[0-9a-zA-Z][-0-9a-zA-Z_]*");

  public ListenersOptions {
    tcp = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tcp, "tcp")));
    ws = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(ws, "ws")));
  }

  public static ListenersOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    Fields f = new Fields(json, path, errors);
    Map<String, ListenerOptions> tcp = readType(f, Type.TCP, errors);
    Map<String, ListenerOptions> ws = readType(f, Type.WS, errors);
    return f.result(() -> new ListenersOptions(tcp, ws));
  }

  private static Map<String, ListenerOptions> readType(Fields f, Type type, List<ValidationError> errors) {
    JsonObject byName = f.rawObject(type.key());
    Map<String, ListenerOptions> out = new LinkedHashMap<>();
    out.put(DEFAULT_NAME, ListenerOptions.defaults(type));
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

  /** Every enabled listener as {@code "tcp:default"} / {@code "ws:default"} to its options, tcp first. */
  public Map<String, ListenerOptions> enabled() {
    Map<String, ListenerOptions> out = new LinkedHashMap<>();
    tcp.forEach((name, l) -> {
      if (l.enable()) {
        out.put(Type.TCP.key() + ":" + name, l);
      }
    });
    ws.forEach((name, l) -> {
      if (l.enable()) {
        out.put(Type.WS.key() + ":" + name, l);
      }
    });
    return out;
  }

  public JsonObject toJson() {
    JsonObject tcpJson = new JsonObject();
    tcp.forEach((name, l) -> tcpJson.put(name, l.toJson()));
    JsonObject wsJson = new JsonObject();
    ws.forEach((name, l) -> wsJson.put(name, l.toJson()));
    return new JsonObject().put(Type.TCP.key(), tcpJson).put(Type.WS.key(), wsJson);
  }
}
