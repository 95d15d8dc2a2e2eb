package io.linkgate.link.client;

import io.vertx.core.net.NetClientOptions;

import java.time.Duration;

/**
 * What one outgoing MQTT 5 connection of a cluster link needs.
 *
 * @param keepAlive     0 disables keep alive
 * @param retryInterval resend of unacknowledged QoS 1 publishes (with DUP); zero disables
 * @param maxInflight   unacknowledged QoS 1 publishes allowed at once; 0 means the server's Receive Maximum
 * @param connectTimeout time allowed for TCP connect plus CONNACK
 * @param sniServerName  TLS server name to send (and to verify the certificate against) instead of {@code host};
 *                       null for {@code host}
 */
public record LinkClientOptions(
  String host,
  int port,
  String clientId,
  String username,
  String password,
  boolean cleanStart,
  Duration keepAlive,
  Duration retryInterval,
  int maxInflight,
  Duration connectTimeout,
  NetClientOptions netOptions,
  String sniServerName) {

  /** Without a separate TLS server name. */
  public LinkClientOptions(String host, int port, String clientId, String username, String password,
                           boolean cleanStart, Duration keepAlive, Duration retryInterval, int maxInflight,
                           Duration connectTimeout, NetClientOptions netOptions) {
    this(host, port, clientId, username, password, cleanStart, keepAlive, retryInterval, maxInflight, connectTimeout,
      netOptions, null);
  }
}
