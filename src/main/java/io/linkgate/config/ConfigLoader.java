package io.linkgate.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Loads the config file: HOCON (JSON is valid HOCON; {@code .json} files are read as strict JSON), substitutions
 * such as {@code ${?LINK_PASSWORD}} resolved against the config itself and the environment, then environment
 * overrides, then validation. Blocking file I/O: call it at start-up or off the event loop.
 *
 * <p>Environment overrides: {@code LINKGATE__CLUSTER__NAME=eu} sets {@code cluster.name}. Levels are separated by
 * a double underscore and lower-cased; a numeric level indexes an existing array
 * ({@code LINKGATE__CLUSTER__LINKS__0__PASSWORD}). The value is read as a HOCON value, so numbers, booleans,
 * {@code null}, arrays and objects keep their type; anything else is taken verbatim as a string. An override
 * replaces the whole value at its path.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "LINKGATE__";
  public static final Path DEFAULT_FILE = Path.of("conf", "linkgate.conf");

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern INDEX = Pattern.compile("\\d{1,6}");

  private ConfigLoader() {
  }

  /** Parses, resolves, applies overrides from {@code env} and validates. */
  public static LinkgateConfig load(Path file, Map<String, String> env) {
    return load(read(file), file, env);
  }

  /**
   * Like {@link #load(Path, Map)} on the text of {@code file} as read by the caller (a reload hashes exactly the
   * bytes it parses). An error at a key that a {@code LINKGATE__} variable set names that variable as well.
   */
  public static LinkgateConfig load(String text, Path file, Map<String, String> env) {
    Map<String, String> setBy = new TreeMap<>();
    JsonObject json = loadJson(text, file, env, setBy);
    try {
      return fromJson(json);
    } catch (ConfigException e) {
      if (setBy.isEmpty()) {
        throw e;
      }
      throw new ConfigException(e.errors().stream().map(err -> namingVariable(err, setBy)).toList());
    }
  }

  /** {@code err} with " (set by LINKGATE__...)" when its path is at or under a key an override set. */
  private static ValidationError namingVariable(ValidationError err, Map<String, String> setBy) {
    for (Map.Entry<String, String> e : setBy.entrySet()) {
      String at = e.getKey();
      String path = err.path();
      if (path.equals(at) || path.startsWith(at + ".") || path.startsWith(at + "[")) {
        return new ValidationError(path, err.message() + " (set by the environment variable " + e.getValue() + ")");
      }
    }
    return err;
  }

  /** Like {@link #load} but stops before validation; for reload diffs and for persisting edits. */
  public static JsonObject loadJson(Path file, Map<String, String> env) {
    return loadJson(read(file), file, env);
  }

  private static String read(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException(file.toString(), "cannot read the config file: not found or not readable");
    }
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new ConfigException(file.toString(), "cannot read the config file: " + e.getMessage());
    }
  }

  /**
   * Parses the text of {@code file} as read by the caller (a reload hashes exactly the bytes it parses), resolves
   * substitutions and applies the environment overrides. {@code .json} files are strict JSON.
   */
  public static JsonObject loadJson(String text, Path file, Map<String, String> env) {
    return loadJson(text, file, env, new TreeMap<>());
  }

  /** @param setBy filled with the config path each override set → its variable */
  private static JsonObject loadJson(String text, Path file, Map<String, String> env, Map<String, String> setBy) {
    Config config;
    try {
      config = ConfigFactory.parseString(text, parseOptions(file).setOriginDescription(file.toString()));
    } catch (com.typesafe.config.ConfigException e) {
      throw translate(e, file.toString());
    }
    JsonObject json = resolve(config, env, file.toString());
    List<ValidationError> errors = new ArrayList<>();
    applyEnv(json, env, errors, setBy);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return json;
  }

  /** HOCON, or strict JSON for a {@code .json} file. */
  public static ConfigParseOptions parseOptions(Path file) {
    boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    return ConfigParseOptions.defaults().setSyntax(json ? ConfigSyntax.JSON : ConfigSyntax.CONF);
  }

  /**
   * Parses HOCON (or JSON) text and resolves its substitutions (against the text only, not the environment).
   *
   * @param originDescription names the text in error messages, e.g. a file name or "request body"
   * @throws ConfigException on a syntax error, with the origin and line as its path
   */
  public static JsonObject parse(String hoconText, String originDescription) {
    Config config;
    try {
      config = ConfigFactory.parseString(hoconText,
          ConfigParseOptions.defaults().setOriginDescription(originDescription));
    } catch (com.typesafe.config.ConfigException e) {
      throw translate(e, originDescription);
    }
    return resolve(config, Map.of(), originDescription);
  }

  /** Validates a parsed tree. */
  public static LinkgateConfig fromJson(JsonObject json) {
    List<ValidationError> errors = new ArrayList<>();
    LinkgateConfig config = LinkgateConfig.fromJson(json, "", errors);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return config;
  }

  /** Applies {@code LINKGATE__...} overrides to {@code json} in place, in variable-name order. */
  public static void applyEnv(JsonObject json, Map<String, String> env, List<ValidationError> errors) {
    applyEnv(json, env, errors, new TreeMap<>());
  }

  private static void applyEnv(JsonObject json, Map<String, String> env, List<ValidationError> errors,
                               Map<String, String> setBy) {
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (e.getKey().startsWith(ENV_PREFIX)) {
        String path = applyOne(json, e.getKey(), e.getValue(), errors);
        if (path != null) {
          setBy.put(path, e.getKey());
        }
      }
    }
  }

  /** Applies one override; returns the config path it set, or null (with an error) when it could not. */
  private static String applyOne(JsonObject root, String var, String raw, List<ValidationError> errors) {
    String[] levels = var.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).split("__", -1);
    for (String level : levels) {
      if (level.isEmpty()) {
        errors.add(new ValidationError(var, "empty level in the variable name (use '__' between keys only)"));
        return null;
      }
    }
    Object node = root;
    String at = "";
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      boolean last = i == levels.length - 1;
      if (node instanceof JsonArray array) {
        int index = INDEX.matcher(level).matches() ? Integer.parseInt(level) : -1;
        if (index < 0 || index >= array.size()) {
          errors.add(new ValidationError(var, "\"" + at + "\" is an array of " + array.size()
              + " elements; \"" + level + "\" is not an index in it"));
          return null;
        }
        if (last) {
          array.set(index, envValue(raw));
          return Fields.index(at, index);
        }
        node = array.getValue(index);
        at = Fields.index(at, index);
      } else {
        JsonObject obj = (JsonObject) node;
        if (last) {
          obj.put(level, envValue(raw));
          return Fields.child(at, level);
        }
        if (obj.getValue(level) == null) {
          obj.put(level, new JsonObject());
        }
        node = obj.getValue(level);
        at = Fields.child(at, level);
      }
      if (!(node instanceof JsonObject) && !(node instanceof JsonArray)) {
        errors.add(new ValidationError(var, "cannot override inside \"" + at + "\": it is "
            + Fields.describe(node) + ", not an object"));
        return null;
      }
    }
    return null;
  }

  /** An override value: typed when it reads as a HOCON number, boolean, null, array, object or quoted string. */
  static Object envValue(String raw) {
    try {
      ConfigObject root = ConfigFactory.parseString("v = " + raw).resolve(ConfigResolveOptions.noSystem()).root();
      ConfigValue v = root.get("v");
      if (root.size() != 1 || v == null) {
        return raw;
      }
      if (v.valueType() == ConfigValueType.STRING) {
        String trimmed = raw.trim();
        return trimmed.startsWith("\"") && trimmed.endsWith("\"") ? v.unwrapped() : raw;
      }
      return toJsonValue(v);
    } catch (com.typesafe.config.ConfigException e) {
      return raw;
    }
  }

  private static JsonObject resolve(Config config, Map<String, String> env, String origin) {
    Map<String, String> usable = new TreeMap<>();
    env.forEach((k, v) -> {
      if (ENV_NAME.matcher(k).matches() && v != null) {
        usable.put(k, v);
      }
    });
    Config envConfig = ConfigValueFactory.fromMap(usable).toConfig();
    try {
      Config resolved = config.withFallback(envConfig).resolve(ConfigResolveOptions.noSystem());
      JsonObject out = new JsonObject();
      ConfigObject root = resolved.root();
      sortedKeys(config.root()).forEach(k -> out.put(k, toJsonValue(root.get(k))));
      return out;
    } catch (com.typesafe.config.ConfigException e) {
      throw translate(e, origin);
    }
  }

  /** Object keys in document order (by line), so that errors and listeners come out in the order written. */
  private static List<String> sortedKeys(ConfigObject obj) {
    return obj.keySet().stream()
        .sorted(Comparator.comparingInt((String k) -> line(obj.get(k))).thenComparing(k -> k))
        .toList();
  }

  private static int line(ConfigValue v) {
    return v == null || v.origin() == null ? Integer.MAX_VALUE : v.origin().lineNumber();
  }

  private static Object toJsonValue(ConfigValue value) {
    if (value instanceof ConfigObject obj) {
      JsonObject json = new JsonObject();
      sortedKeys(obj).forEach(k -> json.put(k, toJsonValue(obj.get(k))));
      return json;
    }
    if (value instanceof ConfigList list) {
      JsonArray array = new JsonArray();
      list.forEach(v -> array.add(toJsonValue(v)));
      return array;
    }
    return value == null ? null : value.unwrapped();
  }

  /** A Typesafe parse or resolve error as a ConfigException whose path is {@code <file or origin>:<line>}. */
  private static ConfigException translate(com.typesafe.config.ConfigException e, String origin) {
    ConfigOrigin o = e.origin();
    String message = e.getMessage();
    if (o == null) {
      return new ConfigException(origin, message);
    }
    String prefix = o.description() + ": ";
    if (message.startsWith(prefix)) {
      message = message.substring(prefix.length());
    }
    String where = o.filename() != null ? o.filename() : origin;
    return new ConfigException(o.lineNumber() > 0 ? where + ":" + o.lineNumber() : where, message);
  }
}
