package io.linkgate.broker;

/**
 * Who a connection is, for authorization and logs.
 *
 * @param listener the listener name, e.g. {@code tcp:default}
 */
public record ClientInfo(String clientId, String username, String peerHost, String listener, int protocolVersion) {
}
