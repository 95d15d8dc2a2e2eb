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
 */
public record ListenerSpec(String id, Type type, String host, int port, int maxConnections, String path,
                           ListenerSslOptions ssl, ListenerAuthn authn) {

  public enum Type { TCP, WS, SSL, WSS }

  public ListenerSpec {
    if ((type == Type.SSL || type == Type.WSS) != (ssl != null)) {
      throw new IllegalArgumentException("ssl options are required for, and only for, ssl and wss listeners");
    }
    authn = authn == null ? ListenerAuthn.DEFAULT : authn;
  }

  /** A plain listener without a WebSocket path (TCP), or on {@code /mqtt} (WebSocket), default authentication. */
  public ListenerSpec(String id, Type type, String host, int port, int maxConnections) {
    this(id, type, host, port, maxConnections, "/mqtt", null, ListenerAuthn.DEFAULT);
  }

  /** A plain listener on a path, default authentication. */
  public ListenerSpec(String id, Type type, String host, int port, int maxConnections, String path) {
    this(id, type, host, port, maxConnections, path, null, ListenerAuthn.DEFAULT);
  }

  public boolean websocket() {
    return type == Type.WS || type == Type.WSS;
  }
}
