package io.linkgate.lifecycle;

import io.linkgate.config.ConfigException;
import io.linkgate.config.LinkOptions;
import io.linkgate.config.ValidationError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A config as {@code GET /api/v5/configs} returned it may be sent back with its secrets still {@code ******}:
 * each of those takes the running value at the same place. Objects in arrays are matched by their
 * {@code name} (links), {@code username} (API users) or {@code user_id} (MQTT users), so a reordered list keeps
 * each secret with its owner.
 */
public final class RedactedSecrets {

  private RedactedSecrets() {
  }

  /**
   * A copy of {@code body} with every {@code ******} replaced from {@code running} (a full, unredacted form).
   *
   * @throws ConfigException listing each {@code ******} that has no stored secret to keep (it would be stored as
   *     the literal text)
   */
  public static JsonObject restore(JsonObject body, JsonObject running) {
    List<ValidationError> errors = new ArrayList<>();
    JsonObject out = (JsonObject) restore((Object) body.copy(), running, "", errors);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return out;
  }

  private static Object restore(Object value, Object running, String path, List<ValidationError> errors) {
    if (LinkOptions.REDACTED.equals(value)) {
      if (running instanceof String s && !LinkOptions.REDACTED.equals(s)) {
        return s;
      }
      errors.add(new ValidationError(path, "is " + LinkOptions.REDACTED + " but there is no stored secret to keep: "
        + "give the value"));
      return value;
    }
    if (value instanceof JsonObject obj) {
      JsonObject source = running instanceof JsonObject r ? r : new JsonObject();
      for (String key : obj.fieldNames()) {
        obj.put(key, restore(obj.getValue(key), source.getValue(key), path.isEmpty() ? key : path + "." + key,
          errors));
      }
      return obj;
    }
    if (value instanceof JsonArray array) {
      JsonArray source = running instanceof JsonArray r ? r : new JsonArray();
      for (int i = 0; i < array.size(); i++) {
        array.set(i, restore(array.getValue(i), counterpart(array.getValue(i), source, i), path + "[" + i + "]",
          errors));
      }
      return array;
    }
    return value;
  }

  private static Object counterpart(Object element, JsonArray source, int index) {
    if (element instanceof JsonObject obj) {
      for (String id : new String[] {"name", "username", "user_id"}) {
        Object key = obj.getValue(id);
        if (key != null) {
          for (Object candidate : source) {
            if (candidate instanceof JsonObject c && key.equals(c.getValue(id))) {
              return c;
            }
          }
          return null;
        }
      }
    }
    return index < source.size() ? source.getValue(index) : null;
  }
}
