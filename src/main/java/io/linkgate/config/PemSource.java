package io.linkgate.config;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A certificate or key setting that takes either a file path or the PEM text itself (text starting with
 * {@code -----BEGIN}), as EMQX accepts for its {@code certfile}/{@code keyfile}/{@code cacertfile} settings.
 */
public final class PemSource {
  private static final String PEM_START = "-----BEGIN";

  private PemSource() {
  }

  /** Vert.x trust options from a {@code cacertfile} setting: a path or inline PEM. */
  public static PemTrustOptions trust(String cacertfile) {
    PemTrustOptions o = new PemTrustOptions();
    if (isInline(cacertfile)) {
      o.addCertValue(Buffer.buffer(cacertfile));
    } else {
      o.addCertPath(cacertfile);
    }
    return o;
  }

  /** Vert.x key/certificate options from {@code certfile}/{@code keyfile} settings: paths or inline PEM. */
  public static PemKeyCertOptions keyCert(String certfile, String keyfile) {
    PemKeyCertOptions o = new PemKeyCertOptions();
    if (isInline(certfile)) {
      o.setCertValue(Buffer.buffer(certfile));
    } else {
      o.setCertPath(certfile);
    }
    if (isInline(keyfile)) {
      o.setKeyValue(Buffer.buffer(keyfile));
    } else {
      o.setKeyPath(keyfile);
    }
    return o;
  }

  /** True when the setting holds PEM text rather than a path. */
  public static boolean isInline(String value) {
    return value != null && value.strip().startsWith(PEM_START);
  }

  /**
   * Null when {@code value} is PEM text or names a readable file, otherwise the problem. Reads the file system:
   * config is validated at start-up and off the event loop.
   */
  static String check(String value) {
    if (isInline(value)) {
      return value.contains("-----END") ? null : "inline PEM has no -----END line";
    }
    return checkFile(value);
  }

  /** Null when {@code value} names a readable regular file, otherwise the problem. */
  static String checkFile(String value) {
    Path p;
    try {
      p = Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      return "not a file path nor inline PEM: " + e.getMessage();
    }
    if (!Files.isRegularFile(p)) {
      return "file not found: " + p.toAbsolutePath();
    }
    if (!Files.isReadable(p)) {
      return "file not readable: " + p.toAbsolutePath();
    }
    return null;
  }
}
