package io.linkgate.config;

import io.netty.handler.ssl.CipherSuiteConverter;

import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * TLS protocol and cipher names as EMQX writes them, translated to the JVM's. EMQX (Erlang/OpenSSL) names TLS 1.2
 * suites the OpenSSL way ({@code ECDHE-RSA-AES256-GCM-SHA384}); the JVM wants the IANA name
 * ({@code TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384}). Both spellings are accepted so an EMQX cipher list pastes in.
 */
public final class TlsNames {
  /** EMQX spelling, newest first. */
  public static final List<String> VERSIONS = List.of("tlsv1.3", "tlsv1.2", "tlsv1.1", "tlsv1");

  private static final Set<String> SUPPORTED_CIPHERS = supportedCiphers();

  private TlsNames() {
  }

  /** {@code "tlsv1.2"} → {@code "TLSv1.2"}. */
  public static String javaProtocol(String emqxVersion) {
    return emqxVersion.toLowerCase(Locale.ROOT).replace("tlsv", "TLSv");
  }

  /** The JVM name of a cipher suite given in either spelling, or null when this JVM does not support it. */
  public static String javaCipher(String name) {
    if (SUPPORTED_CIPHERS.contains(name)) {
      return name;
    }
    String converted = CipherSuiteConverter.toJava(name, "TLS");
    return converted != null && SUPPORTED_CIPHERS.contains(converted) ? converted : null;
  }

  /** Null when {@code name} is a cipher suite this JVM supports, otherwise the problem (for validation). */
  static String checkCipher(String name) {
    return javaCipher(name) != null ? null
      : "unknown or unsupported cipher suite \"" + name + "\" (use IANA names such as "
        + "TLS_AES_256_GCM_SHA384 or OpenSSL names such as ECDHE-RSA-AES256-GCM-SHA384)";
  }

  private static Set<String> supportedCiphers() {
    try {
      return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
    } catch (NoSuchAlgorithmException e) {
      return Set.of();
    }
  }
}
