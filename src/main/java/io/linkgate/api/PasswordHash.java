package io.linkgate.api;

/**
 * The API's view of {@link io.linkgate.authn.PasswordHash}, which MQTT authentication shares. Deliberately slow:
 * call it off the event loop.
 */
final class PasswordHash {

  private PasswordHash() {
  }

  static String hash(String password) {
    return io.linkgate.authn.PasswordHash.hash(password);
  }

  static boolean verify(String password, String stored) {
    return io.linkgate.authn.PasswordHash.verify(password, stored);
  }

  static String randomSecret() {
    return io.linkgate.authn.PasswordHash.randomSecret();
  }
}
