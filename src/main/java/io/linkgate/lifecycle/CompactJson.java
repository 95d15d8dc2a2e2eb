package io.linkgate.lifecycle;

import io.linkgate.config.LinkOptions;
import io.linkgate.config.LinkgateConfig;
import io.linkgate.config.ValidationError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A config section as the API writes it into the operator's file: only the keys that differ from their defaults,
 * so that the file stays readable and a later change of a default still reaches keys nobody set.
 */
final class CompactJson {
  /** Kept even when default: they say what a link is. */
  private static final List<String> LINK_IDENTITY = List.of("name", "server", "topics", "enable");

  private CompactJson() {
  }

  /** Every default, built once, when first needed. */
  private static final class Defaults {
    static final JsonObject CONFIG = LinkgateConfig.defaults().toJson(false);
  }

  /** A top-level section without its defaults, or null when nothing is left (the key is then removed). */
  static Object section(String name, Object value) {
    if ("cluster".equals(name) && value instanceof JsonObject cluster) {
      JsonObject out = new JsonObject().put("name", cluster.getValue("name"));
      out.put("links", links(cluster.getJsonArray("links", new JsonArray())));
      return out;
    }
    if (value instanceof JsonObject obj && Defaults.CONFIG.getValue(name) instanceof JsonObject d) {
      JsonObject out = withoutDefaults(obj, d);
      return out.isEmpty() ? null : out;
    }
    return value;
  }

  static JsonArray links(List<LinkOptions> links) {
    JsonArray array = new JsonArray();
    links.forEach(l -> array.add(l.toJson(false)));
    return links(array);
  }

  private static JsonArray links(JsonArray full) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < full.size(); i++) {
      JsonObject link = full.getJsonObject(i);
      // the defaults of a link with the same identity (a link needs its topics too: without them it is invalid,
      // and there would be nothing to compare with)
      JsonObject minimal = new JsonObject();
      LINK_IDENTITY.forEach(k -> minimal.put(k, link.getValue(k)));
      List<ValidationError> ignored = new ArrayList<>();
      LinkOptions defaults = LinkOptions.fromJson(minimal, "", ignored);
      JsonObject compact = defaults == null ? link : withoutDefaults(link, defaults.toJson(false));
      JsonObject ordered = new JsonObject();
      for (String key : LINK_IDENTITY) {
        ordered.put(key, link.getValue(key));
      }
      compact.forEach(e -> {
        if (!LINK_IDENTITY.contains(e.getKey())) {
          ordered.put(e.getKey(), e.getValue());
        }
      });
      out.add(ordered);
    }
    return out;
  }

  /** Keys of {@code value} whose value differs from {@code defaults}, recursively for objects. */
  static JsonObject withoutDefaults(JsonObject value, JsonObject defaults) {
    JsonObject out = new JsonObject();
    value.forEach(e -> {
      Object d = defaults.getValue(e.getKey());
      Object v = e.getValue();
      if (v instanceof JsonObject o && d instanceof JsonObject dd) {
        JsonObject inner = withoutDefaults(o, dd);
        if (!inner.isEmpty()) {
          out.put(e.getKey(), inner);
        }
      } else if (v != null && !v.equals(d)) {
        out.put(e.getKey(), v);
      }
    });
    return out;
  }
}
