package io.linkgate.authn;

/**
 * The outcome of authenticating a CONNECT and the username the client goes by from then on: the CONNECT's
 * username, or the certificate's CN with {@code peer_cert_as_username = cn}.
 */
public record AuthnResult(AuthnOutcome outcome, String username) {
}
