package io.linkgate.config;

import io.linkgate.acl.AclParser;
import io.linkgate.acl.AclRules;
import io.linkgate.acl.AclSyntaxException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code authorization { no_match, deny_action, cache {...}, sources = [{type = file, enable, path}] }}, as EMQX
 * writes it. The ACL file of each enabled source is read and parsed while the config is validated (blocking file
 * I/O, like the rest of config loading), so a bad rule is a config error with its file and line.
 *
 * <p>Without {@code sources} the built-in rules apply ({@link AclRules#defaults()}, the text of conf/acl.conf);
 * {@code sources = []} means no rules, so {@code no_match} decides everything.
 *
 * @param noMatchAllows  {@code no_match = allow}
 * @param disconnectOnDeny {@code deny_action = disconnect} (default {@code ignore}: refuse with a reason code)
 * @param cache          accepted as EMQX writes it; only {@code enable} is used (see {@link Cache})
 * @param sources        null when the config has none: the built-in rules apply
 */
public record AuthorizationOptions(boolean noMatchAllows, boolean disconnectOnDeny, Cache cache,
                                   List<FileSource> sources) {

  public static final String ALLOW = "allow";
  public static final String DENY = "deny";
  public static final String IGNORE = "ignore";
  public static final String DISCONNECT = "disconnect";

  public AuthorizationOptions {
    Objects.requireNonNull(cache, "cache");
    sources = sources == null ? null : List.copyOf(sources);
  }

  /**
   * {@code authorization.cache}: EMQX caches decisions per client with a size and a TTL. Linkgate keeps one LRU of
   * decisions on the broker thread while {@code enable = true}; {@code max_size} and {@code ttl} are validated and
   * kept for compatibility but do not change it (rules only change with a config reload, which starts afresh).
   */
  public record Cache(boolean enable, int maxSize, Duration ttl) {
    public static final Cache DEFAULT = new Cache(true, 32, Duration.ofMinutes(1));

    static Cache fromJson(JsonObject json, String path, List<ValidationError> errors) {
      Fields f = new Fields(json, path, errors);
      boolean enable = f.bool("enable", DEFAULT.enable());
      int maxSize = f.integer("max_size", DEFAULT.maxSize(), 1, 1_048_576);
      Duration ttl = f.duration("ttl", DEFAULT.ttl(), 1, Duration.ofMillis(1), Values.FOREVER);
      f.strings("excludes", List.of()); // EMQX 5.8 has cache.excludes (topics); accepted, not used
      return f.result(() -> new Cache(enable, maxSize, ttl));
    }

    JsonObject toJson() {
      return new JsonObject().put("enable", enable).put("max_size", maxSize)
        .put("ttl", Values.formatDuration(ttl));
    }
  }

  /** One {@code {type = file, enable, path}} source, with its rules as loaded. */
  public record FileSource(boolean enable, String path, AclRules rules) {
    public FileSource {
      Objects.requireNonNull(path, "path");
    }

    JsonObject toJson() {
      return new JsonObject().put("type", "file").put("enable", enable).put("path", path);
    }
  }

  public static final AuthorizationOptions DEFAULT = new AuthorizationOptions(true, false, Cache.DEFAULT, null);

  /** The rules to apply, in order: the enabled sources, or the built-in rules when the config names none. */
  public List<AclRules> activeRules() {
    if (sources == null) {
      return List.of(AclRules.defaults());
    }
    return sources.stream().filter(FileSource::enable).map(FileSource::rules).toList();
  }

  public static AuthorizationOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    Fields f = new Fields(json, path, errors);
    boolean noMatchAllows = ALLOW.equals(f.oneOf("no_match", ALLOW, List.of(ALLOW, DENY)));
    boolean disconnect = DISCONNECT.equals(f.oneOf("deny_action", IGNORE, List.of(IGNORE, DISCONNECT)));
    Cache cache = f.object("cache", Cache::fromJson);
    JsonArray array = f.array("sources");
    List<FileSource> sources = null;
    if (array != null) {
      sources = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        String at = Fields.index(f.path("sources"), i);
        Object e = array.getValue(i);
        if (!(e instanceof JsonObject obj)) {
          errors.add(new ValidationError(at, "expected an object {type = file, path = ...}, got "
            + Fields.describe(e)));
          continue;
        }
        FileSource s = source(obj, at, errors);
        if (s != null) {
          sources.add(s);
        }
      }
    }
    List<FileSource> finalSources = sources;
    return f.result(() -> new AuthorizationOptions(noMatchAllows, disconnect, cache, finalSources));
  }

  private static FileSource source(JsonObject json, String path, List<ValidationError> errors) {
    Fields f = new Fields(json, path, errors);
    String type = f.requiredString("type");
    if (type != null && !type.equals("file")) {
      f.error("type", "only type = file is supported (EMQX's acl.conf), got \"" + type + "\"");
    }
    boolean enable = f.bool("enable", true);
    String file = f.requiredString("path");
    AclRules rules = null;
    if (file != null && enable) {
      rules = load(file, f);
    }
    AclRules loaded = rules;
    return f.result(() -> new FileSource(enable, file, loaded));
  }

  /** Reads and parses an ACL file; a relative path is taken from the working directory, as EMQX does. */
  private static AclRules load(String file, Fields f) {
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      f.error("path", "cannot read the ACL file \"" + file + "\": " + e.getMessage());
      return null;
    }
    try {
      return AclParser.parse(text, file);
    } catch (AclSyntaxException e) {
      f.error("path", file + ":" + e.line() + ": " + e.getMessage());
      return null;
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("no_match", noMatchAllows ? ALLOW : DENY)
      .put("deny_action", disconnectOnDeny ? DISCONNECT : IGNORE)
      .put("cache", cache.toJson());
    if (sources != null) {
      JsonArray array = new JsonArray();
      sources.forEach(s -> array.add(s.toJson()));
      json.put("sources", array);
    }
    return json;
  }
}
