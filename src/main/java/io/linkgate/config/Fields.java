package io.linkgate.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads one JSON object for a {@code fromJson} converter: typed getters that fall back to a default, record a
 * {@link ValidationError} with the key's path on a wrong type or range, and remember which keys were read so that
 * {@link #finish()} can report every other key as unknown. One instance per converter call; not thread-safe.
 */
final class Fields {

  static final String MISSING = "missing required key";

  private final JsonObject json;
  private final String path;
  private final List<ValidationError> errors;
  private final int errorsAtStart;
  private final Set<String> read = new HashSet<>();

  Fields(JsonObject json, String path, List<ValidationError> errors) {
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
    this.errors = errors;
    this.errorsAtStart = errors.size();
  }

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }

  /** How a value is quoted in "got ..." messages. */
  static String describe(Object v) {
    if (v instanceof String s) {
      return "\"" + s + "\"";
    }
    if (v instanceof JsonObject) {
      return "an object";
    }
    if (v instanceof JsonArray) {
      return "an array";
    }
    return String.valueOf(v);
  }

  String path(String key) {
    return child(path, key);
  }

  void error(String key, String message) {
    errors.add(new ValidationError(path(key), message));
  }

  /** True when an error was recorded (here or in a nested converter) since this reader was created. */
  boolean failed() {
    return errors.size() > errorsAtStart;
  }

  /** The raw value (JSON null counts as absent) and marks the key as known. */
  Object value(String key) {
    read.add(key);
    return json.getValue(key);
  }

  private void typeError(String key, String expected, Object got) {
    error(key, "expected " + expected + ", got " + describe(got));
  }

  String string(String key, String def) {
    Object v = value(key);
    if (v == null) {
      return def;
    }
    if (v instanceof String s) {
      return s;
    }
    typeError(key, "a string", v);
    return def;
  }

  String requiredString(String key) {
    if (json.getValue(key) == null) {
      value(key);
      error(key, MISSING);
      return null;
    }
    return string(key, null);
  }

  /** A secret: a string, or an integer taken as its decimal text (HOCON reads an unquoted 123456 as a number). */
  String secret(String key) {
    Object v = value(key);
    if (v instanceof Integer || v instanceof Long) {
      return v.toString();
    }
    return v == null ? null : string(key, null);
  }

  boolean bool(String key, boolean def) {
    Object v = value(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if ("true".equals(v) || "false".equals(v)) {
      return Boolean.parseBoolean((String) v);
    }
    typeError(key, "a boolean", v);
    return def;
  }

  int integer(String key, int def, int min, int max) {
    Object v = value(key);
    if (v == null) {
      return def;
    }
    Long n = asLong(v);
    if (n == null) {
      typeError(key, "an integer", v);
      return def;
    }
    return (int) checkRange(key, n, min, max, def, String::valueOf);
  }

  /** An integer or "infinity" ({@link Values#INFINITY}). */
  int intOrInfinity(String key, int def, int min, int max) {
    return intOr(key, def, min, max, Values.INFINITY_TEXT, Values.INFINITY);
  }

  /** An integer in range, or {@code word} (such as "infinity" or "disabled") standing for {@code wordValue}. */
  int intOr(String key, int def, int min, int max, String word, int wordValue) {
    Object v = value(key);
    if (word.equals(v)) {
      return wordValue;
    }
    if (v != null && asLong(v) == null) {
      typeError(key, "an integer or \"" + word + "\"", v);
      return def;
    }
    return integer(key, def, min, max);
  }

  double number(String key, double def, double exclusiveMin) {
    Object v = value(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number n)) {
      typeError(key, "a number", v);
      return def;
    }
    if (!(n.doubleValue() > exclusiveMin) || Double.isInfinite(n.doubleValue())) {
      error(key, "must be greater than " + exclusiveMin + ", got " + n);
      return def;
    }
    return n.doubleValue();
  }

  /** A size ({@code "16KB"}) or an integer number of bytes. */
  long size(String key, long def, long min, long max) {
    Object v = value(key);
    if (v == null) {
      return def;
    }
    Long n = asLong(v);
    if (n == null && v instanceof String s) {
      try {
        n = Values.parseSize(s);
      } catch (IllegalArgumentException | ArithmeticException e) {
        n = null;
      }
    }
    if (n == null) {
      typeError(key, "a size such as \"16KB\" or \"1MB\", or an integer number of bytes", v);
      return def;
    }
    return checkRange(key, n, min, max, def, Values::formatSize);
  }

  /**
   * A duration string, or an integer in {@code intUnitMillis} (1 when EMQX reads integers as milliseconds, 1000
   * when as seconds).
   */
  Duration duration(String key, Duration def, long intUnitMillis, Duration min, Duration max) {
    Object v = value(key);
    if (v == null) {
      return def;
    }
    Duration d = null;
    Long n = asLong(v);
    if (n != null) {
      d = n > Long.MAX_VALUE / intUnitMillis || n < 0 ? null : Duration.ofMillis(n * intUnitMillis);
    } else if (v instanceof String s) {
      try {
        d = Values.parseDuration(s);
      } catch (IllegalArgumentException | ArithmeticException e) {
        d = null;
      }
    }
    if (d == null) {
      String unit = intUnitMillis == 1 ? "milliseconds" : "seconds";
      typeError(key, "a duration such as \"15s\" or \"100ms\", or an integer number of " + unit, v);
      return def;
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      error(key, rangeMessage(Values.formatDuration(min), Values.formatDuration(max),
          max.equals(Values.FOREVER), Values.formatDuration(d)));
      return def;
    }
    return d;
  }

  /** Like {@link #duration} but also accepts "infinity" ({@link Values#FOREVER}). */
  Duration durationOrInfinity(String key, Duration def, long intUnitMillis, Duration min) {
    if (Values.INFINITY_TEXT.equals(json.getValue(key))) {
      value(key);
      return Values.FOREVER;
    }
    return duration(key, def, intUnitMillis, min, Values.FOREVER);
  }

  /** One of a fixed set of words (an EMQX enum). */
  String oneOf(String key, String def, List<String> allowed) {
    Object v = value(key);
    if (v == null) {
      return def;
    }
    if (v instanceof String s && allowed.contains(s)) {
      return s;
    }
    error(key, "must be one of " + allowed + ", got " + describe(v));
    return def;
  }

  /** A list of strings; {@code def == null} makes the key required. */
  List<String> strings(String key, List<String> def) {
    return strings(key, def, e -> null);
  }

  /**
   * A list of strings; {@code def == null} makes the key required. Each string is given to {@code check}, which
   * returns null or a message recorded at the element's path; only elements without an error are returned.
   */
  List<String> strings(String key, List<String> def, Function<String, String> check) {
    Object v = value(key);
    if (v == null) {
      if (def == null) {
        error(key, MISSING);
      }
      return def;
    }
    if (!(v instanceof JsonArray array)) {
      typeError(key, "an array of strings", v);
      return def;
    }
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object e = array.getValue(i);
      String problem = e instanceof String s ? check.apply(s) : "expected a string, got " + describe(e);
      if (problem == null) {
        out.add((String) e);
      } else {
        errors.add(new ValidationError(index(path(key), i), problem));
      }
    }
    return List.copyOf(out);
  }

  /** A nested object given to {@code reader}, which sees an empty object when the key is absent. */
  <T> T object(String key, FromJson<T> reader) {
    Object v = value(key);
    JsonObject obj = null;
    if (v instanceof JsonObject o) {
      obj = o;
    } else if (v != null) {
      typeError(key, "an object", v);
    }
    return reader.fromJson(obj == null ? new JsonObject() : obj, path(key), errors);
  }

  /** The array at {@code key}, or null when absent or (recorded as an error) not an array. */
  JsonArray array(String key) {
    Object v = value(key);
    if (v != null && !(v instanceof JsonArray)) {
      typeError(key, "an array", v);
      return null;
    }
    return (JsonArray) v;
  }

  /** The object at {@code key}, or null when absent or (recorded as an error) not an object. */
  JsonObject rawObject(String key) {
    Object v = value(key);
    if (v != null && !(v instanceof JsonObject)) {
      typeError(key, "an object", v);
      return null;
    }
    return (JsonObject) v;
  }

  /** Reports every key that no getter asked for. Call once, after reading all known keys. */
  void finish() {
    for (String key : json.fieldNames()) {
      if (!read.contains(key)) {
        error(key, "unknown key");
      }
    }
  }

  /** Returns {@code value} when nothing failed in this object (and below), otherwise null. */
  <T> T result(Supplier<T> value) {
    finish();
    return failed() ? null : value.get();
  }

  private long checkRange(String key, long n, long min, long max, long def, Function<Long, String> fmt) {
    if (n < min || n > max) {
      error(key, rangeMessage(fmt.apply(min), fmt.apply(max), max == Integer.MAX_VALUE || max == Long.MAX_VALUE,
          fmt.apply(n)));
      return def;
    }
    return n;
  }

  private static String rangeMessage(String min, String max, boolean unbounded, String got) {
    return (unbounded ? "must be at least " + min : "must be between " + min + " and " + max) + ", got " + got;
  }

  private static Long asLong(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) d : null;
    }
    if (v instanceof String s && s.matches("-?\\d{1,18}")) {
      return Long.parseLong(s);
    }
    return null;
  }

  static void putIfSet(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  /** The signature of every options record's {@code fromJson}. */
  @FunctionalInterface
  interface FromJson<T> {
    T fromJson(JsonObject json, String path, List<ValidationError> errors);
  }
}
