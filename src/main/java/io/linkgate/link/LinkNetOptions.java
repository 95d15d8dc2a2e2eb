package io.linkgate.link;

import io.linkgate.config.HostPort;
import io.linkgate.config.LinkOptions;
import io.linkgate.config.PemSource;
import io.linkgate.config.SslOptions;
import io.linkgate.config.TcpOptions;
import io.linkgate.config.TlsNames;
import io.linkgate.link.client.LinkClientOptions;
import io.vertx.core.net.NetClientOptions;

import java.time.Duration;

/** Socket and TLS options of a link's MQTT clients, from its config. */
final class LinkNetOptions {

  private LinkNetOptions() {
  }

  /** Options of one client of the link, dialling {@code server} (one entry of the link's server list). */
  static LinkClientOptions clientOptions(LinkOptions link, HostPort server, String clientId, Duration connectTimeout,
                                         Duration retryInterval) {
    SslOptions ssl = link.ssl();
    String sni = ssl != null && ssl.enable() && ssl.serverNameIndication() != null && !ssl.sniDisabled()
      ? ssl.serverNameIndication() : null;
    return new LinkClientOptions(server.host(), server.port(), clientId, link.username(), link.password(), true,
      link.keepalive(), retryInterval, link.maxInflight(), connectTimeout, netOptions(link, connectTimeout), sni);
  }

  static NetClientOptions netOptions(LinkOptions link, Duration connectTimeout) {
    NetClientOptions o = new NetClientOptions();
    o.setConnectTimeout((int) Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE));
    TcpOptions tcp = link.tcpOpts() == null ? TcpOptions.DEFAULT : link.tcpOpts();
    o.setTcpNoDelay(tcp.nodelay());
    if (tcp.sndbuf() > 0) {
      o.setSendBufferSize((int) Math.min(tcp.sndbuf(), Integer.MAX_VALUE));
    }
    if (tcp.recbuf() > 0) {
      o.setReceiveBufferSize((int) Math.min(tcp.recbuf(), Integer.MAX_VALUE));
    }
    // EMQX's "Idle,Interval,Probes" timing needs a native transport; on NIO it turns on plain SO_KEEPALIVE
    o.setTcpKeepAlive(tcp.keepaliveEnabled());
    SslOptions ssl = link.ssl();
    // TLS is on when ssl.enable says so, whatever the server's scheme: mqtts:// alone does not switch it on (EMQX)
    if (ssl != null && ssl.enable()) {
      o.setSsl(true);
      if (ssl.verifyPeer()) {
        // the peer's certificate must chain to cacertfile (or the JVM's trust store) and name the host we dial, or
        // server_name_indication when set; "disable" turns the name check off, as in Erlang's ssl
        o.setHostnameVerificationAlgorithm(ssl.sniDisabled() ? "" : "HTTPS");
        if (ssl.cacertfile() != null) {
          o.setTrustOptions(PemSource.trust(ssl.cacertfile()));
        }
      } else {
        o.setTrustAll(true);
        o.setHostnameVerificationAlgorithm("");
      }
      if (ssl.certfile() != null) {
        o.setKeyCertOptions(PemSource.keyCert(ssl.certfile(), ssl.effectiveKeyfile()));
      }
      if (ssl.versions() != null && !ssl.versions().isEmpty()) {
        o.getEnabledSecureTransportProtocols().clear();
        for (String v : ssl.versions()) {
          o.addEnabledSecureTransportProtocol(TlsNames.javaProtocol(v));
        }
      }
      for (String cipher : ssl.ciphers()) {
        String javaName = TlsNames.javaCipher(cipher);
        if (javaName != null) { // validation refused unknown names already
          o.addEnabledCipherSuite(javaName);
        }
      }
    }
    return o;
  }

  /** Client certificate and key, each a file path or inline PEM. */
}
