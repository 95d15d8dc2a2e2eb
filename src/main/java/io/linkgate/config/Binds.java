package io.linkgate.config;

/** Reading {@code bind} addresses, shared by listeners and the API. */
final class Binds {

  private Binds() {
  }

  /** The bind at {@code key} (a string, or a bare port number), or {@code def} when absent or invalid. */
  static HostPort read(Fields f, String key, HostPort def) {
    Object v = f.value(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Integer port) {
      v = port.toString();
    }
    if (!(v instanceof String s)) {
      f.error(key, "expected a string such as \"0.0.0.0:1883\", got " + Fields.describe(v));
      return def;
    }
    try {
      return HostPort.parseBind(s);
    } catch (IllegalArgumentException e) {
      f.error(key, e.getMessage());
      return def;
    }
  }
}
