package io.linkgate.broker;

import io.linkgate.authn.ListenerAuthn;
import io.linkgate.config.ListenerSslOptions;

/**
 * One MQTT listener to open.
 *
 * @param id    {@code <type>:<name>}, e.g. {@code tcp:default}; used in logs, metrics and client info
 * @param port  0 picks a free port (tests)
 * @param path  the HTTP path of a WebSocket listener
 * @param ssl   TLS settings for {@code ssl}/{@code wss} listeners, null for plain ones
 * @param authn how this listener authenticates CONNECTs
 * @param maxConnRate new connections per {@code ratePeriodMillis}, 0 for no limit
 */
public record ListenerSpec(String id, Type type, String host, int port, int maxConnections, String path,
                           ListenerSslOptions ssl, ListenerAuthn authn, long maxConnRate, long ratePeriodMillis) {

  public enum Type { TCP, WS, SSL, WSS }

  public ListenerSpec {
    if ((type == Type.SSL || type == Type.WSS) != (ssl != null)) {
      throw new IllegalArgumentException("ssl options are required for, and only for, ssl and wss listeners");
    }
    authn = authn == null ? ListenerAuthn.DEFAULT : authn;
  }

  /** A plain listener without a WebSocket path (TCP), or on {@code /mqtt} (WebSocket), default authentication. */
  public ListenerSpec(String id, Type type, String host, int port, int maxConnections) {
    this(id, type, host, port, maxConnections, "/mqtt");
  }

  /** A plain listener on a path, default authentication, no connection rate limit. */
  public ListenerSpec(String id, Type type, String host, int port, int maxConnections, String path) {
    this(id, type, host, port, maxConnections, path, 0, 1000);
  }

  /** A plain listener with a connection rate limit. */
  public ListenerSpec(String id, Type type, String host, int port, int maxConnections, String path,
                      long maxConnRate, long ratePeriodMillis) {
    this(id, type, host, port, maxConnections, path, null, ListenerAuthn.DEFAULT, maxConnRate, ratePeriodMillis);
  }

  public boolean websocket() {
    return type == Type.WS || type == Type.WSS;
  }

  /**
   * Same socket: a change of the connection limits or of authentication alone applies to the open listener;
   * anything else (address, type, path, TLS) reopens it.
   */
  public boolean sameSocket(ListenerSpec other) {
    return id.equals(other.id) && type == other.type && host.equals(other.host) && port == other.port
      && path.equals(other.path) && java.util.Objects.equals(ssl, other.ssl);
  }
}
