package io.linkgate.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code node { name, data_dir }}.
 *
 * @param name this node's name, {@code name@host} as in EMQX; link client ids are derived from it
 * @param dataDir directory for state written at run time (certificates saved from the API, persisted changes)
 */
public record NodeOptions(String name, String dataDir) {

  public static final String DEFAULT_NAME = "linkgate@127.0.0.1";
  public static final String DEFAULT_DATA_DIR = "data";
  public static final NodeOptions DEFAULT = new NodeOptions(DEFAULT_NAME, DEFAULT_DATA_DIR);

  private static final Pattern NODE_NAME = Pattern.compile("[^@\\s]+@[^@\\s]+");

  public NodeOptions {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataDir, "dataDir");
  }

  public static NodeOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    Fields f = new Fields(json, path, errors);
    String name = f.string("name", DEFAULT_NAME);
    if (!NODE_NAME.matcher(name).matches()) {
      f.error("name", "must look like \"name@host\", got \"" + name + "\"");
    }
    String dataDir = f.string("data_dir", DEFAULT_DATA_DIR);
    if (dataDir.isBlank()) {
      f.error("data_dir", "must not be empty");
    }
    return f.result(() -> new NodeOptions(name, dataDir));
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("data_dir", dataDir);
  }
}
