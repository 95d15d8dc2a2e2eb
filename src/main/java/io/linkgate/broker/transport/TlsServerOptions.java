package io.linkgate.broker.transport;

import io.linkgate.config.ListenerSslOptions;
import io.linkgate.config.PemSource;
import io.linkgate.config.TlsNames;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The server side of TLS for an {@code ssl}/{@code wss} listener (and the API's HTTPS), from its {@code ssl_options}. */
public final class TlsServerOptions {

  private TlsServerOptions() {
  }

  public static void apply(NetServerOptions o, ListenerSslOptions ssl) {
    o.setSsl(true);
    o.setKeyCertOptions(PemSource.keyCert(ssl.certfile(), ssl.keyfile()));
    if (ssl.cacertfile() != null) {
      o.setTrustOptions(PemSource.trust(ssl.cacertfile()));
    }
    // verify_peer asks for a client certificate and rejects the handshake when the one sent does not verify;
    // fail_if_no_peer_cert also rejects clients that send none
    o.setClientAuth(!ssl.verifyPeer() ? ClientAuth.NONE
      : ssl.failIfNoPeerCert() ? ClientAuth.REQUIRED : ClientAuth.REQUEST);
    Set<String> protocols = new LinkedHashSet<>();
    ssl.versions().forEach(v -> protocols.add(TlsNames.javaProtocol(v)));
    o.setEnabledSecureTransportProtocols(protocols);
    ssl.ciphers().forEach(c -> o.addEnabledCipherSuite(TlsNames.javaCipher(c)));
    o.setSslHandshakeTimeout(ssl.handshakeTimeout().toMillis());
    o.setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }
}
