package io.linkgate.broker.transport;

import io.linkgate.config.ListenerSslOptions;
import io.linkgate.config.PemSource;
import io.linkgate.config.TlsNames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The server side of TLS for an {@code ssl}/{@code wss} listener, from its {@code ssl_options}. */
final class TlsServerOptions {

  private TlsServerOptions() {
  }

  static void apply(NetServerOptions o, ListenerSslOptions ssl) {
    o.setSsl(true);
    PemKeyCertOptions keyCert = new PemKeyCertOptions();
    if (PemSource.isInline(ssl.certfile())) {
      keyCert.setCertValue(Buffer.buffer(ssl.certfile()));
    } else {
      keyCert.setCertPath(ssl.certfile());
    }
    if (PemSource.isInline(ssl.keyfile())) {
      keyCert.setKeyValue(Buffer.buffer(ssl.keyfile()));
    } else {
      keyCert.setKeyPath(ssl.keyfile());
    }
    o.setKeyCertOptions(keyCert);
    if (ssl.cacertfile() != null) {
      PemTrustOptions trust = new PemTrustOptions();
      if (PemSource.isInline(ssl.cacertfile())) {
        trust.addCertValue(Buffer.buffer(ssl.cacertfile()));
      } else {
        trust.addCertPath(ssl.cacertfile());
      }
      o.setTrustOptions(trust);
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
