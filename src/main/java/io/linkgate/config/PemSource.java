package io.linkgate.config;

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
