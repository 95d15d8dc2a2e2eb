package io.linkgate.broker;

/**
 * One MQTT listener to open.
 *
 * @param id   {@code <type>:<name>}, e.g. {@code tcp:default}; used in logs, metrics and client info
 * @param port 0 picks a free port (tests)
 * @param path the HTTP path of a WebSocket listener
 * @param maxConnRate new connections per {@code ratePeriodMillis}, 0 for no limit
 */
public record ListenerSpec(String id, Type type, String host, int port, int maxConnections, String path,
                           long maxConnRate, long ratePeriodMillis) {

  public enum Type { TCP, WS }

  /** A listener without a WebSocket path (TCP), or on {@code /mqtt} (WebSocket). */
  public ListenerSpec(String id, Type type, String host, int port, int maxConnections) {
    this(id, type, host, port, maxConnections, "/mqtt");
  }

  public ListenerSpec(String id, Type type, String host, int port, int maxConnections, String path) {
    this(id, type, host, port, maxConnections, path, 0, 1000);
  }

  /** Same socket: a change of the limits alone applies to the open listener, anything else reopens it. */
  public boolean sameSocket(ListenerSpec other) {
    return id.equals(other.id) && type == other.type && host.equals(other.host) && port == other.port
      && path.equals(other.path);
  }
}
