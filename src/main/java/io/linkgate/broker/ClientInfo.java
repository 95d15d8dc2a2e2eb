package io.linkgate.broker;

/**
 * Who a connection is, for authorization and logs.
 *
 * @param username   the authenticated user name: the CONNECT's, or the client certificate's CN on a listener with
 *                   {@code peer_cert_as_username = cn}; null for an anonymous client
 * @param listener   the listener name, e.g. {@code tcp:default}
 * @param peerCertCn CN of the client's verified TLS certificate, null when it presented none
 */
public record ClientInfo(String clientId, String username, String peerHost, String listener, int protocolVersion,
                         String peerCertCn) {

  /** A client without a certificate. */
  public ClientInfo(String clientId, String username, String peerHost, String listener, int protocolVersion) {
    this(clientId, username, peerHost, listener, protocolVersion, null);
  }
}
