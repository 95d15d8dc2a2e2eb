package io.linkgate.authn;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Salted PBKDF2-HMAC-SHA256 hashes, stored as {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (salt and hash in
 * standard Base64). Shared by the API users and the MQTT users of {@code authentication}. Deliberately slow: call
 * {@link #hash} and {@link #verify} off the event loop.
 */
public final class PasswordHash {
  /**
   * Iterations of new hashes: about 50-100 ms on one core of a small server. High enough to make offline guessing
   * of a leaked hash expensive; MQTT pays it once per client and process, because successful checks are cached
   * ({@link VerifiedPasswords}).
   */
  public static final int DEFAULT_ITERATIONS = 100_000;
  public static final int MIN_ITERATIONS = 1_000;
  public static final int MAX_ITERATIONS = 10_000_000;
  private static final String SCHEME = "pbkdf2-sha256";
  private static final Pattern FORMAT = Pattern.compile(
    Pattern.quote(SCHEME) + "\\$\\d{1,9}\\$[A-Za-z0-9+/]+={0,2}\\$[A-Za-z0-9+/]+={0,2}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHash() {
  }

  public static String hash(String password) {
    return hash(password, DEFAULT_ITERATIONS);
  }

  public static String hash(String password, int iterations) {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be between " + MIN_ITERATIONS + " and " + MAX_ITERATIONS);
    }
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return SCHEME + "$" + iterations + "$" + b64(salt) + "$" + b64(derive(password, salt, iterations));
  }

  /** Null when {@code stored} is a hash this class can check, otherwise what is wrong with it. */
  public static String checkFormat(String stored) {
    if (!FORMAT.matcher(stored).matches()) {
      return "expected \"" + SCHEME + "$<iterations>$<salt>$<hash>\" (make one with: java -jar linkgate.jar "
        + "hash-password)";
    }
    long iterations = Long.parseLong(stored.split("\\$")[1]);
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      return "iterations must be between " + MIN_ITERATIONS + " and " + MAX_ITERATIONS + ", got " + iterations;
    }
    return null;
  }

  public static boolean verify(String password, String stored) {
    if (checkFormat(stored) != null) {
      return false;
    }
    String[] parts = stored.split("\\$");
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    return MessageDigest.isEqual(expected, derive(password, salt, Integer.parseInt(parts[1])));
  }

  /**
   * The hash an unknown user's password is checked against, so that the answer takes as long as for a real user and
   * timing does not tell which user names exist. Computed on first use, by the worker thread that needs it (a
   * PBKDF2 of {@link #DEFAULT_ITERATIONS}), never when a class is loaded on an event loop.
   */
  public static String unknownUserHash() {
    return UnknownUser.HASH;
  }

  private static final class UnknownUser {
    static final String HASH = hash(randomSecret());
  }

  /** A random secret for generated credentials: 24 URL-safe characters (144 bits). */
  public static String randomSecret() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
