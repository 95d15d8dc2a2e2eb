package io.linkgate.link;

import io.linkgate.config.LinkOptions;
import io.linkgate.config.SslOptions;
import io.linkgate.config.TcpOptions;
import io.linkgate.link.client.LinkClientOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.time.Duration;

/** Socket and TLS options of a link's MQTT clients, from its config. */
final class LinkNetOptions {

  private LinkNetOptions() {
  }

  static LinkClientOptions clientOptions(LinkOptions link, String clientId, Duration connectTimeout,
                                         Duration retryInterval) {
    return new LinkClientOptions(link.host(), link.port(), clientId, link.username(), link.password(), true,
      link.keepalive(), retryInterval, link.maxInflight(), connectTimeout, netOptions(link, connectTimeout));
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
    if (ssl != null && ssl.enable()) {
      o.setSsl(true);
      if (ssl.verifyPeer()) {
        o.setHostnameVerificationAlgorithm(ssl.sniDisabled() ? "" : "HTTPS");
        if (ssl.cacertfile() != null) {
          o.setTrustOptions(new PemTrustOptions().addCertPath(ssl.cacertfile()));
        }
      } else {
        o.setTrustAll(true);
        o.setHostnameVerificationAlgorithm("");
      }
      if (ssl.certfile() != null) {
        o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(ssl.certfile()).setKeyPath(ssl.effectiveKeyfile()));
      }
      if (ssl.versions() != null && !ssl.versions().isEmpty()) {
        o.getEnabledSecureTransportProtocols().clear();
        for (String v : ssl.versions()) {
          o.addEnabledSecureTransportProtocol(v.replace("tlsv", "TLSv"));
        }
      }
    }
    return o;
  }
}
