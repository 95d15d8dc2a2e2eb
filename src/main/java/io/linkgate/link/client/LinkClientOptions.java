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
  NetClientOptions netOptions) {
}
