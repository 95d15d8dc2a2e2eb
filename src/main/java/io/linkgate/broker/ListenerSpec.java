package io.linkgate.broker;

/**
 * One MQTT listener to open.
 *
 * @param id   {@code <type>:<name>}, e.g. {@code tcp:default}; used in logs, metrics and client info
 * @param port 0 picks a free port (tests)
 */
public record ListenerSpec(String id, Type type, String host, int port, int maxConnections) {

  public enum Type { TCP, WS }
}
