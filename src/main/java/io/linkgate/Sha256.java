package io.linkgate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the one digest the code base uses (file versions, API key secrets, password cache entries). */
public final class Sha256 {
  private Sha256() {
  }

  /** A fresh digest (MessageDigest is not thread-safe: one per use). */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public static byte[] of(byte[] bytes) {
    return digest().digest(bytes);
  }

  /** Lower-case hex of the digest of {@code bytes}. */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(of(bytes));
  }

  /** Lower-case hex of the digest of {@code text} in UTF-8. */
  public static String hex(String text) {
    return hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The first eight hex digits of the SHA-256 of {@code text}: short, stable names (link client ids, file names). */
  public static String shortHex(String text) {
    return hex(text).substring(0, 8);
  }
}
