package io.linkgate.broker;

/**
 * One MQTT listener to open.
 *
 * @param id   {@code <type>:<name>}, e.g. {@code tcp:default}; used in logs, metrics and client info
 * @param port 0 picks a free port (tests)
 * @param path the HTTP path of a WebSocket listener
 */
public record ListenerSpec(String id, Type type, String host, int port, int maxConnections, String path) {

  public enum Type { TCP, WS }

  /** A listener without a WebSocket path (TCP), or on {@code /mqtt} (WebSocket). */
  public ListenerSpec(String id, Type type, String host, int port, int maxConnections) {
    this(id, type, host, port, maxConnections, "/mqtt");
  }

  public ListenerSpec withMaxConnections(int max) {
    return new ListenerSpec(id, type, host, port, max, path);
  }
}
